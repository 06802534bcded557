import { BASELINE_POLICY_PATH, TEAM_ROLE_TAG } from "../../config/arns";
import type { Statement } from "../document";
import { auditNames } from "../trail/names";
import { pickActions, roleArns, roleGuard, ROLE_CHANGE_ACTIONS, type ControlContext, type ScpControl } from "./control";

/**
 * Tamper protection for everything the baseline relies on to see, to alert and to govern:
 * - the governance trail (stop, delete, update, re-select events, event configuration);
 * - its CloudWatch log group (delete, retention, subscriptions, metric filters, transformers,
 *   encryption, tags by either API), forged events in it (only the delivery role writes), the
 *   audit account's account-level log policies (which reach every group), the role CloudTrail
 *   delivers through, and metric data pushed into the alarms' namespace;
 * - its log bucket and access-log bucket (delete, policy, ACL, versioning, lifecycle, replication,
 *   encryption, public access, log files), and the KMS keys by their aliases;
 * - the alarms (muting included) and their SNS topic (data-protection policies included);
 * - the roles: the team roles, their permissions boundaries and the Identity Center SAML provider
 *   their trust rests on, the exempt roles (the exemption everything else rests on: nobody else may
 *   assume or pass them either) and the break-glass role;
 * - outbound web identity federation, without which no Claude call works;
 * - SCP management from member accounts (a delegated administrator) and leaving the organization,
 *   for everyone: the pipeline runs in the management account, where SCPs do not apply.
 * Names come from the config, through the same functions the audit stack uses. Retention cannot
 * be told apart from shortening it, so every retention change is denied.
 */
export const protectAuditTrail: ScpControl<"protectAuditTrail"> = {
  id: "protectAuditTrail",
  title: "Tamper protection",
  summary:
    "Stopping, deleting, re-pointing or re-selecting the governance trail; weakening or polluting its log group, delivery and replication roles, buckets, log files (their retention and legal holds included), keys, alarms, alarm metrics, alarm topic, detection rules (Contributor Insights, EventBridge, the audit account's default event bus and anomaly detectors); changing, assuming or passing the exempt roles; changing or passing the break-glass role and the team roles (every role tagged claude-platform-baseline:role, a tag only the deployment role may set or remove), the team roles' permissions boundaries or the Identity Center SAML provider their trust rests on; turning outbound web identity federation on or off — for everyone but the deployment role. Managing SCPs from a member account, leaving the organization, writing the alarms' metrics and bypassing Object Lock governance retention on the log files — for everyone; writing events into the governance log group — for everyone but the delivery role.",
  risk: "An intruder's first move is to blind the defenders: stop the trail, drop the data-event selectors, shorten retention, mute an alarm or pin it in ALARM, take over the deployment role that everything else exempts (or run code as it), loosen a team role's trust policy to keep a way in, or detach the SCPs from a delegated administrator account.",
  leavesAlone:
    "The exempt principals (the deployment role in every account, by default) outside the denies that reach everyone, and auditTrail.keyAdministrators for the governance keys; the bootstrap principals creating the deployment role; reading the trail, logs and alarms; other trails, log groups, buckets, keys, alarms, topics, roles (a role without the baseline's tag, whatever its name) and policy types. The management account, where SCPs never apply: keep its use to the pipeline and break-glass. Compute already running as an exempt or allow-listed role keeps running as it: no SCP reaches a session or a function that exists.",
  neverExempt: [
    "DenyLeaveOrganization",
    "DenyScpManagement",
    "DenyScpManagementByType",
    "ProtectGovernanceMetrics",
    "ProtectGovernanceLogEvents",
    "ProtectGovernanceLogRetention",
  ],
  statements(options, context): Statement[] {
    const trail = context.config.auditTrail;
    return [
      ...(trail ? governanceTrailStatements(context, trail) : []),
      ...baselineRoleStatements(context),
      ...(options.protectTeamRoles ? [...teamRoleGuard(context), baselinePolicyGuard(context), identityCenterProviderGuard(context)] : []),
      denyAllButExemptions(
        "ProtectOutboundWebIdentityFederation",
        ["iam:EnableOutboundWebIdentityFederation", "iam:DisableOutboundWebIdentityFederation"],
        "*",
        context,
      ),
      ...scpManagementStatements(context),
      { Sid: "DenyLeaveOrganization", Effect: "Deny", Action: pickActions(context.catalog, ["organizations:LeaveOrganization"]), Resource: ["*"] },
    ];
  },
};

/** What a bootstrap principal may do to the deployment role: create it and give it policies, nothing more. */
const BOOTSTRAP_ACTIONS = ["iam:CreateRole", "iam:AttachRolePolicy", "iam:PutRolePolicy", "iam:TagRole"];

/**
 * The roles the baseline rests on, in every account: the exempt roles (the deployment role), the
 * break-glass role and the trail's delivery and replication roles (the team roles: teamRoleGuard). Nobody else may change or pass them, and
 * nobody else may assume an exempt role (whatever its trust policy says). With bootstrap
 * principals configured, they alone may also create the deployment role and give it policies (a
 * new account has none yet), and nobody but the exemptions may take a bootstrap role over.
 */
function baselineRoleStatements(context: ControlContext): Statement[] {
  const { config, partition, catalog, exemptions } = context;
  const deploymentRole = `arn:${partition}:iam::*:role/${config.deployment.roleName}`;
  const bootstrap = config.deployment.bootstrapPrincipals;
  const exemptRoles = roleArns([...new Set([deploymentRole, ...exemptions])]);
  // The role CloudTrail delivers to the log group through: re-trusted, it could forge events.
  // And the role S3 replicates the log files with: emptied or re-trusted, the copy stops or leaks.
  const trailNames = config.auditTrail ? auditNames(config, config.auditTrail) : undefined;
  const deliveryRole = trailNames ? [trailNames.deliveryRoleArn] : [];
  const replicationRole = trailNames?.replicationRoleArn ? [trailNames.replicationRoleArn] : [];
  const guarded = [...exemptRoles, config.deployment.breakGlassRoleArn, ...deliveryRole, ...replicationRole];
  const sessions: Statement = {
    Sid: "ProtectExemptRoleSessions",
    Effect: "Deny",
    Action: pickActions(catalog, ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"]),
    Resource: exemptRoles,
    Condition: { ArnNotLike: { "aws:PrincipalArn": [...exemptions] } },
  };
  if (bootstrap.length === 0) return [sessions, ...roleGuard("ProtectBaselineRoles", guarded, context, true)];
  const [everyChange] = roleGuard("ProtectDeploymentRole", [deploymentRole], context, true);
  return [
    sessions,
    ...roleGuard(
      "ProtectBaselineRoles",
      guarded.filter((role) => role !== deploymentRole),
      context,
      true,
    ),
    { ...everyChange, Action: everyChange.Action!.filter((action) => !BOOTSTRAP_ACTIONS.includes(action)) },
    {
      Sid: "ProtectDeploymentRoleBootstrap",
      Effect: "Deny",
      Action: pickActions(catalog, BOOTSTRAP_ACTIONS),
      Resource: [deploymentRole],
      Condition: { ArnNotLike: { "aws:PrincipalArn": [...exemptions, ...bootstrap] } },
    },
    ...roleGuard("ProtectBootstrapRoles", bootstrap, context),
  ];
}

/**
 * The team roles, by the tag their role stacks give them (TEAM_ROLE_TAG) rather than by name, so
 * these two statements are the same size for three teams or ten thousand. Every change to a
 * tagged role, and passing it, is denied to all but the exemptions; so is creating a role with
 * the tag, adding it to a role or removing it (whatever its case), so the tag always means "made
 * by the baseline". A role squatting a team role's name before its stack creates it has no tag
 * and admits nobody: the allow-lists that name team roles (protectWorkspaces, limitConsoleFederation)
 * deny creating the roles they admit themselves, and the stack's apply fails on the name.
 */
function teamRoleGuard({ catalog, partition, exemptions }: ControlContext): Statement[] {
  const anyRole = [`arn:${partition}:iam::*:role/*`];
  const notExempt = { ArnNotLike: { "aws:PrincipalArn": [...exemptions] } };
  return [
    {
      Sid: "ProtectTeamRoles",
      Effect: "Deny",
      Action: pickActions(
        catalog,
        ROLE_CHANGE_ACTIONS.filter((action) => action !== "iam:CreateRole"),
      ),
      Resource: anyRole,
      Condition: { Null: { [`aws:ResourceTag/${TEAM_ROLE_TAG.key}`]: ["false"] }, ...notExempt },
    },
    {
      Sid: "ProtectTeamRoleTag",
      Effect: "Deny",
      Action: pickActions(catalog, ["iam:CreateRole", "iam:TagRole", "iam:UntagRole"]),
      Resource: anyRole,
      Condition: { "ForAnyValue:StringEqualsIgnoreCase": { "aws:TagKeys": [TEAM_ROLE_TAG.key] }, ...notExempt },
    },
  ];
}

/**
 * Where Organizations policy management is delegated to a member account, its administrators
 * could detach, rewrite or delete the baseline's SCPs, detach FullAWSAccess (AWS's own SCP, whose
 * ARN has no organization segment), or attach a resource control policy that starves the trail's
 * bucket, key or log group. The pipeline manages SCPs from the management account, where SCPs do
 * not apply, so every change to SCPs and RCPs from a member account is denied, to everyone; the
 * other policy types (tag, backup, AI opt-out, …) stay delegable. The policy's ARN carries its type.
 */
function scpManagementStatements({ catalog, partition }: ControlContext): Statement[] {
  const policyActions = [
    "organizations:CreatePolicy",
    "organizations:UpdatePolicy",
    "organizations:DeletePolicy",
    "organizations:AttachPolicy",
    "organizations:DetachPolicy",
  ];
  return [
    {
      Sid: "DenyScpManagement",
      Effect: "Deny",
      Action: pickActions(catalog, policyActions),
      Resource: ["service_control_policy", "resource_control_policy"].map((type) => `arn:${partition}:organizations::*:policy/*/${type}/*`),
    },
    {
      // By type as well: FullAWSAccess is AWS's own policy, whose ARN matches no organization pattern, and enabling or disabling a type names no policy.
      Sid: "DenyScpManagementByType",
      Effect: "Deny",
      Action: pickActions(catalog, [...policyActions, "organizations:EnablePolicyType", "organizations:DisablePolicyType"]),
      Resource: ["*"],
      Condition: { StringEquals: { "organizations:PolicyType": ["SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"] } },
    },
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
    [
      "iam:CreatePolicy",
      "iam:CreatePolicyVersion",
      "iam:DeletePolicy",
      "iam:DeletePolicyVersion",
      "iam:SetDefaultPolicyVersion",
      "iam:TagPolicy",
      "iam:UntagPolicy",
    ],
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
  return {
    Sid: sid,
    Effect: "Deny",
    Action: pickActions(catalog, actions),
    Resource: [resource],
    Condition: { ArnNotLike: { "aws:PrincipalArn": [...exemptions] } },
  };
}

/** What tamper protection denies on the governance trail; the trail-change alarm watches the same events. */
export const GOVERNANCE_TRAIL_ACTIONS = [
  "cloudtrail:StopLogging",
  "cloudtrail:DeleteTrail",
  "cloudtrail:UpdateTrail",
  "cloudtrail:PutEventSelectors",
  "cloudtrail:PutInsightSelectors",
  "cloudtrail:PutEventConfiguration",
  "cloudtrail:RemoveTags",
];

/** What tamper protection denies on the governance log group (the log-group alarm sees every write to it). */
export const GOVERNANCE_LOG_GROUP_ACTIONS = [
  "logs:DeleteLogGroup",
  "logs:DeleteLogStream",
  "logs:PutRetentionPolicy",
  "logs:DeleteRetentionPolicy",
  "logs:PutSubscriptionFilter",
  "logs:DeleteSubscriptionFilter",
  "logs:PutMetricFilter",
  "logs:DeleteMetricFilter",
  // A transformer rewrites events before the metric filters see them.
  "logs:PutTransformer",
  "logs:DeleteTransformer",
  "logs:AssociateKmsKey",
  "logs:DisassociateKmsKey",
  "logs:PutDataProtectionPolicy",
  "logs:DeleteDataProtectionPolicy",
  // HTTP and syslog ingestion would let events in without the delivery role; a pipeline rewrites them.
  "logs:PutBearerTokenAuthentication",
  "logs:PutSyslogConfiguration",
  "logs:ProcessWithPipeline",
  "logs:UntagLogGroup",
  "logs:UntagResource",
];

/**
 * Calls in the audit account that reach the governance log group or its alarms without naming the
 * group: account-level policies (transformers, data protection, subscriptions) and pipeline rules
 * apply to every group; a resource policy lets a service principal (which SCPs do not reach) write
 * forged events into it; and a metric filter on *any* group can publish into the alarms'
 * namespace (nothing says which namespace a filter writes), pinning an alarm in ALARM or
 * cancelling its sum. Only the exemptions may, so the audit account keeps to the pipeline's filters.
 */
export const AUDIT_ACCOUNT_LOG_ACTIONS = [
  "logs:PutAccountPolicy",
  "logs:DeleteAccountPolicy",
  "logs:PutPipelineRule",
  "logs:DeletePipelineRule",
  "logs:PutResourcePolicy",
  "logs:DeleteResourcePolicy",
  "logs:PutMetricFilter",
];

/** What tamper protection denies on the governance alarms (the alarm-silencing alarm sees every write to them). */
const GOVERNANCE_ALARM_ACTIONS = [
  "cloudwatch:DeleteAlarms",
  "cloudwatch:PutMetricAlarm",
  "cloudwatch:DisableAlarmActions",
  "cloudwatch:SetAlarmState",
  // A mute rule is authorized on each alarm it targets, and silences them while they stay untouched.
  "cloudwatch:PutAlarmMuteRule",
  // Other kinds of alarm under the governance prefix, which the topic admits.
  "cloudwatch:PutCompositeAlarm",
  "cloudwatch:PutLogAlarm",
];

/** What tamper protection denies on the alarm topic (the alarm-silencing alarm sees every write to it). */
const GOVERNANCE_ALARM_TOPIC_ACTIONS = [
  "sns:DeleteTopic",
  "sns:SetTopicAttributes",
  "sns:Subscribe",
  "sns:Unsubscribe",
  "sns:SetSubscriptionAttributes",
  "sns:AddPermission",
  "sns:RemovePermission",
  // A data-protection policy can deny or mask the notifications the topic delivers.
  "sns:PutDataProtectionPolicy",
];

/** What tamper protection denies on the per-principal detections' Contributor Insights rules (the alarm-silencing alarm sees them). */
export const GOVERNANCE_INSIGHT_RULE_ACTIONS = ["cloudwatch:DeleteInsightRules", "cloudwatch:DisableInsightRules", "cloudwatch:PutInsightRule"];

/** What tamper protection denies on the governance EventBridge rules (the alarm-delivery-changes alarm sees them). */
export const GOVERNANCE_EVENT_RULE_ACTIONS = ["events:DeleteRule", "events:DisableRule", "events:PutRule", "events:PutTargets", "events:RemoveTargets"];

function governanceTrailStatements(context: ControlContext, trail: NonNullable<ControlContext["config"]["auditTrail"]>): Statement[] {
  const { catalog, partition, config } = context;
  const names = auditNames(config, trail);
  const deny = (Sid: string, actions: string[], Resource: string[]): Statement => ({ Sid, Effect: "Deny", Action: pickActions(catalog, actions), Resource });
  const logGroup = `arn:${partition}:logs:*:${names.account}:log-group:${names.logGroupName}`;
  const buckets = [names.bucketArn, names.accessLogBucketArn];
  return [
    deny(
      "ProtectGovernanceTrail",
      GOVERNANCE_TRAIL_ACTIONS,
      // Any account: an organization trail belongs to the management account, an account trail to the audit account.
      [`arn:${partition}:cloudtrail:*:*:trail/${names.trailName}`],
    ),
    deny("ProtectGovernanceLogGroup", GOVERNANCE_LOG_GROUP_ACTIONS, [logGroup, `${logGroup}:*`]),
    {
      // Forged events would feed the metric filters; CloudTrail writes through the delivery role, and nobody else needs to, the deployment role included.
      Sid: "ProtectGovernanceLogEvents",
      Effect: "Deny",
      Action: pickActions(catalog, ["logs:CreateLogStream", "logs:PutLogEvents"]),
      Resource: [`${logGroup}:log-stream:*`],
      Condition: { ArnNotLike: { "aws:PrincipalArn": [names.deliveryRoleArn] } },
    },
    {
      Sid: "ProtectAuditAccountLogs",
      Effect: "Deny",
      // Deleting or redefining an anomaly detector (which has no ARN: excluded time ranges, say) blinds the band the bearer-token alarm compares with.
      Action: pickActions(catalog, [...AUDIT_ACCOUNT_LOG_ACTIONS, "cloudwatch:DeleteAnomalyDetector", "cloudwatch:PutAnomalyDetector"]),
      Resource: ["*"],
      Condition: { StringEquals: { "aws:PrincipalAccount": [names.account] }, ArnNotLike: { "aws:PrincipalArn": [...context.exemptions] } },
    },
    {
      // A data point pushed into an alarm's metric pins the alarm in ALARM, so real events notify nobody; metric filters publish as the service, which SCPs do not reach.
      Sid: "ProtectGovernanceMetrics",
      Effect: "Deny",
      Action: pickActions(catalog, ["cloudwatch:PutMetricData"]),
      Resource: ["*"],
      Condition: { StringEquals: { "cloudwatch:namespace": [names.metricNamespace] } },
    },
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
    // CloudTrail and S3 access logging write as service principals, which SCPs do not reach: any other write is a forgery or an overwrite.
    // A retention or legal hold on a log file is never the pipeline's to change either.
    deny(
      "ProtectGovernanceLogFiles",
      ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObject", "s3:PutObjectAcl", "s3:PutObjectRetention", "s3:PutObjectLegalHold"],
      buckets.map((b) => `${b}/*`),
    ),
    // Governance-mode Object Lock yields to whoever holds the bypass; nobody in a member account may, the deployment role included.
    deny("ProtectGovernanceLogRetention", ["s3:BypassGovernanceRetention"], [`${names.bucketArn}/*`]),
    {
      Sid: "ProtectGovernanceKeys",
      Effect: "Deny",
      Action: pickActions(catalog, ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:DisableKeyRotation", "kms:PutKeyPolicy"]),
      Resource: [`arn:${partition}:kms:*:${names.account}:key/*`],
      Condition: {
        "ForAnyValue:StringEquals": { "kms:ResourceAliases": [names.trailKeyAlias, names.alarmKeyAlias] },
        // The configured key administrators must be able to do what the key policy lets them: recover the keys.
        ...(trail.keyAdministrators.length > 0 ? { ArnNotLike: { "aws:PrincipalArn": [...trail.keyAdministrators].sort() } } : {}),
      },
    },
    deny(
      "ProtectGovernanceKeyAliases",
      ["kms:DeleteAlias", "kms:UpdateAlias"],
      [names.trailKeyAlias, names.alarmKeyAlias].map((alias) => `arn:${partition}:kms:*:${names.account}:${alias}`),
    ),
    deny("ProtectGovernanceAlarms", GOVERNANCE_ALARM_ACTIONS, [`arn:${partition}:cloudwatch:*:${names.account}:alarm:${names.alarmNamePrefix}*`]),
    deny("ProtectGovernanceAlarmTopic", GOVERNANCE_ALARM_TOPIC_ACTIONS, [`arn:${partition}:sns:*:${names.account}:${names.topicName}`]),
    // One statement for the detections' rules: each action applies only to its own resource type, so the lists do not cross.
    deny(
      "ProtectGovernanceDetections",
      [...GOVERNANCE_INSIGHT_RULE_ACTIONS, ...GOVERNANCE_EVENT_RULE_ACTIONS, "events:UpdateEventBus"],
      [
        `arn:${partition}:cloudwatch:*:${names.account}:insight-rule/${names.alarmNamePrefix}*`,
        `arn:${partition}:events:*:${names.account}:rule/${names.alarmNamePrefix}*`,
        // A key of the caller's on the default bus encrypts every rule's pattern and targets there.
        `arn:${partition}:events:*:${names.account}:event-bus/default`,
      ],
    ),
  ];
}
