import type { Statement } from "../document";
import { teamRoleNames, trailBucketName } from "../names";
import { pickActions, type ScpControl } from "./control";

/**
 * Tamper protection for what the baseline relies on: the governance trail (stop, delete, update,
 * re-select events), its CloudWatch log group (delete, retention, subscriptions, metric filters,
 * encryption), its log bucket (delete, policy, ACL, versioning, lifecycle, encryption, public
 * access block, and deleting log objects), and the team roles (delete, change trust or policies,
 * or create one under that name first). Names come from the config. Retention cannot be told
 * apart from shortening it, so every retention change is denied.
 */
export const protectAuditTrail: ScpControl<"protectAuditTrail"> = {
  id: "protectAuditTrail",
  title: "Tamper protection",
  summary:
    "Stopping, deleting, re-pointing or re-selecting the governance trail; deleting or weakening its log group, bucket and log files; changing or deleting the team roles — for everyone but the deployment role.",
  risk: "An intruder's first move is to blind the defenders: stop the trail, drop the data-event selectors, shorten retention, or loosen a team role's trust policy to keep a way in.",
  leavesAlone:
    "The exempt principals (the deployment role in every account, by default), reading the trail and logs, other trails, log groups, buckets and roles.",
  exemptable: true,
  statements(options, { config, catalog, partition }): Statement[] {
    const trail = config.auditTrail;
    if (!trail) return [];
    const bucket = trailBucketName(trail);
    const logGroup = `arn:${partition}:logs:*:${trail.account}:log-group:${trail.logGroup.name}`;
    const statements: Statement[] = [
      {
        Sid: "ProtectGovernanceTrail",
        Effect: "Deny",
        Action: pickActions(catalog, [
          "cloudtrail:StopLogging",
          "cloudtrail:DeleteTrail",
          "cloudtrail:UpdateTrail",
          "cloudtrail:PutEventSelectors",
          "cloudtrail:PutInsightSelectors",
          "cloudtrail:RemoveTags",
        ]),
        // Any account: an organization trail shows up under its owner's account id in member accounts.
        Resource: [`arn:${partition}:cloudtrail:*:*:trail/${trail.name}`],
      },
      {
        Sid: "ProtectGovernanceLogGroup",
        Effect: "Deny",
        Action: pickActions(catalog, [
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
        ]),
        Resource: [logGroup, `${logGroup}:*`],
      },
      {
        Sid: "ProtectGovernanceLogBucket",
        Effect: "Deny",
        Action: pickActions(catalog, [
          "s3:DeleteBucket",
          "s3:PutBucketPolicy",
          "s3:DeleteBucketPolicy",
          "s3:PutBucketAcl",
          "s3:PutBucketVersioning",
          "s3:PutLifecycleConfiguration",
          "s3:PutEncryptionConfiguration",
          "s3:PutBucketPublicAccessBlock",
          "s3:PutBucketOwnershipControls",
          "s3:PutBucketLogging",
          "s3:PutBucketObjectLockConfiguration",
        ]),
        Resource: [`arn:${partition}:s3:::${bucket}`],
      },
      {
        Sid: "ProtectGovernanceLogFiles",
        Effect: "Deny",
        Action: pickActions(catalog, ["s3:DeleteObject", "s3:DeleteObjectVersion"]),
        Resource: [`arn:${partition}:s3:::${bucket}/*`],
      },
    ];
    const roles = teamRoleNames(config);
    if (options.protectTeamRoles && roles.length > 0) {
      statements.push({
        Sid: "ProtectTeamRoles",
        Effect: "Deny",
        Action: pickActions(catalog, [
          "iam:CreateRole",
          "iam:DeleteRole",
          "iam:UpdateRole",
          "iam:UpdateRoleDescription",
          "iam:UpdateAssumeRolePolicy",
          "iam:AttachRolePolicy",
          "iam:DetachRolePolicy",
          "iam:PutRolePolicy",
          "iam:DeleteRolePolicy",
          "iam:PutRolePermissionsBoundary",
          "iam:DeleteRolePermissionsBoundary",
          "iam:TagRole",
          "iam:UntagRole",
        ]),
        Resource: roles.map((name) => `arn:${partition}:iam::*:role/${name}`),
      });
    }
    return statements;
  },
};
