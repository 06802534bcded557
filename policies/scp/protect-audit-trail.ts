import { BASELINE_POLICY_PATH } from "../../config/arns";
import type { Statement } from "../document";
import { teamRoleNames } from "../names";
import { auditNames } from "../trail/names";
import { pickActions, roleGuard, type ControlContext, type ScpControl } from "./control";

/**
 * Tamper protection for everything the baseline relies on to see and to alert:
 * - the governance trail (stop, delete, update, re-select events);
 * - its CloudWatch log group (delete, retention, subscriptions, metric filters, encryption) and
 *   the role CloudTrail delivers through;
 * - its log bucket and access-log bucket (delete, policy, ACL, versioning, lifecycle, replication,
 *   encryption, public access, log files), and the KMS keys by their aliases;
 * - the alarms and their SNS topic;
 * - the roles: the team roles, their permissions boundaries and the Identity Center SAML provider
 *   their trust rests on, the deployment role itself (the exemption everything else rests on) and
 *   the break-glass role;
 * - leaving the organization, which would shed every SCP and the organization trail at once.
 * Names come from the config, through the same functions the audit stack uses. Retention cannot
 * be told apart from shortening it, so every retention change is denied.
 */
export const protectAuditTrail: ScpControl<"protectAuditTrail"> = {
  id: "protectAuditTrail",
  title: "Tamper protection",
  summary:
    "Stopping, deleting, re-pointing or re-selecting the governance trail; weakening its log group, delivery role, buckets, log files, keys, alarms or alarm topic; changing the team, deployment or break-glass roles, the team roles' permissions boundaries or the Identity Center SAML provider their trust rests on; leaving the organization — for everyone but the deployment role.",
  risk: "An intruder's first move is to blind the defenders: stop the trail, drop the data-event selectors, shorten retention, silence an alarm, take over the deployment role that everything else exempts, or loosen a team role's trust policy to keep a way in.",
  leavesAlone:
    "The exempt principals (the deployment role in every account, by default), reading the trail, logs and alarms, and other trails, log groups, buckets, keys, alarms, topics and roles. The management account, where SCPs never apply: keep its use to the pipeline and break-glass.",
  statements(options, context): Statement[] {
    const trail = context.config.auditTrail;
    return [
      ...(trail ? governanceTrailStatements(context, trail) : []),
      ...roleGuard("ProtectBaselineRoles", baselineRoles(context, options.protectTeamRoles), context, true),
      ...(options.protectTeamRoles ? [baselinePolicyGuard(context), identityCenterProviderGuard(context)] : []),
      { Sid: "DenyLeaveOrganization", Effect: "Deny", Action: pickActions(context.catalog, ["organizations:LeaveOrganization"]), Resource: ["*"] },
    ];
  },
};

/** The deployment role, the break-glass role and (optionally) the team roles, in every account. */
function baselineRoles({ config, partition }: ControlContext, includeTeamRoles: boolean): string[] {
  return [
    `arn:${partition}:iam::*:role/${config.deployment.roleName}`,
    config.deployment.breakGlassRoleArn,
    ...(includeTeamRoles ? teamRoleNames(config).map((name) => `arn:${partition}:iam::*:role/${name}`) : []),
  ];
}

/**
 * The team roles' permissions boundaries live under the baseline's own IAM path. Rewriting one
 * (a new default version) would lift every limit the boundary sets, so only the exemptions may
 * create, version, delete or retag a policy there. One path, whatever the number of teams.
 */
function baselinePolicyGuard(context: ControlContext): Statement {
  return denyAllButExemptions(
    "ProtectBaselinePolicies",
    ["iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:TagPolicy", "iam:UntagPolicy"],
    `arn:${context.partition}:iam::*:policy${BASELINE_POLICY_PATH}*`,
    context,
  );
}

/**
 * A team role trusts only the team's Identity Center permission-set role, which in turn trusts
 * only the account's Identity Center SAML provider (`AWSSSO_<id>_DO_NOT_DELETE`). Nobody can
 * create a role under /aws-reserved/, but an administrator who re-points that provider at an
 * identity provider of their own (or deletes and recreates it under the same name) can sign in as
 * any permission-set role of the account, and through it assume the team role. Identity Center
 * manages the provider through its service-linked role, which SCPs do not reach.
 */
function identityCenterProviderGuard(context: ControlContext): Statement {
  return denyAllButExemptions(
    "ProtectIdentityCenterProvider",
    ["iam:CreateSAMLProvider", "iam:UpdateSAMLProvider", "iam:DeleteSAMLProvider", "iam:TagSAMLProvider", "iam:UntagSAMLProvider"],
    `arn:${context.partition}:iam::*:saml-provider/AWSSSO_*`,
    context,
  );
}

/** Denies `actions` on `resource` to everyone but the exemptions, whatever `exempt` says: they are who deploys it. */
function denyAllButExemptions(sid: string, actions: string[], resource: string, { catalog, exemptions }: ControlContext): Statement {
  return { Sid: sid, Effect: "Deny", Action: pickActions(catalog, actions), Resource: [resource], Condition: { ArnNotLike: { "aws:PrincipalArn": [...exemptions] } } };
}

function governanceTrailStatements(context: ControlContext, trail: NonNullable<ControlContext["config"]["auditTrail"]>): Statement[] {
  const { catalog, partition, config } = context;
  const names = auditNames(config, trail);
  const deny = (Sid: string, actions: string[], Resource: string[]): Statement => ({ Sid, Effect: "Deny", Action: pickActions(catalog, actions), Resource });
  const logGroup = `arn:${partition}:logs:*:${names.account}:log-group:${names.logGroupName}`;
  const buckets = [names.bucketArn, names.accessLogBucketArn];
  return [
    deny(
      "ProtectGovernanceTrail",
      ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail", "cloudtrail:PutEventSelectors", "cloudtrail:PutInsightSelectors", "cloudtrail:RemoveTags"],
      // Any account: an organization trail belongs to the management account, an account trail to the audit account.
      [`arn:${partition}:cloudtrail:*:*:trail/${names.trailName}`],
    ),
    deny(
      "ProtectGovernanceLogGroup",
      [
        "logs:DeleteLogGroup",
        "logs:DeleteLogStream",
        "logs:PutRetentionPolicy",
        "logs:DeleteRetentionPolicy",
        "logs:PutSubscriptionFilter",
        "logs:DeleteSubscriptionFilter",
        "logs:PutMetricFilter",
        "logs:DeleteMetricFilter",
        "logs:AssociateKmsKey",
        "logs:DisassociateKmsKey",
        "logs:PutDataProtectionPolicy",
        "logs:DeleteDataProtectionPolicy",
        "logs:UntagLogGroup",
      ],
      [logGroup, `${logGroup}:*`],
    ),
    deny(
      "ProtectGovernanceLogBucket",
      [
        "s3:DeleteBucket",
        "s3:PutBucketPolicy",
        "s3:DeleteBucketPolicy",
        "s3:PutBucketAcl",
        "s3:PutBucketVersioning",
        "s3:PutLifecycleConfiguration",
        "s3:PutReplicationConfiguration",
        "s3:PutEncryptionConfiguration",
        "s3:PutBucketPublicAccessBlock",
        "s3:PutBucketOwnershipControls",
        "s3:PutBucketLogging",
        "s3:PutBucketObjectLockConfiguration",
      ],
      buckets,
    ),
    deny("ProtectGovernanceLogFiles", ["s3:DeleteObject", "s3:DeleteObjectVersion"], buckets.map((b) => `${b}/*`)),
    {
      Sid: "ProtectGovernanceKeys",
      Effect: "Deny",
      Action: pickActions(catalog, ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:DisableKeyRotation", "kms:PutKeyPolicy"]),
      Resource: [`arn:${partition}:kms:*:${names.account}:key/*`],
      Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": [names.trailKeyAlias, names.alarmKeyAlias] } },
    },
    deny(
      "ProtectGovernanceKeyAliases",
      ["kms:DeleteAlias", "kms:UpdateAlias"],
      [names.trailKeyAlias, names.alarmKeyAlias].map((alias) => `arn:${partition}:kms:*:${names.account}:${alias}`),
    ),
    deny(
      "ProtectGovernanceAlarms",
      ["cloudwatch:DeleteAlarms", "cloudwatch:PutMetricAlarm", "cloudwatch:DisableAlarmActions", "cloudwatch:SetAlarmState"],
      [`arn:${partition}:cloudwatch:*:${names.account}:alarm:${names.alarmNamePrefix}*`],
    ),
    deny(
      "ProtectGovernanceAlarmTopic",
      ["sns:DeleteTopic", "sns:SetTopicAttributes", "sns:Subscribe", "sns:Unsubscribe", "sns:SetSubscriptionAttributes", "sns:AddPermission", "sns:RemovePermission"],
      [`arn:${partition}:sns:*:${names.account}:${names.topicName}`],
    ),
    ...roleGuard("ProtectGovernanceDeliveryRole", [names.deliveryRoleArn], context, true),
  ];
}
