/**
 * The audit stack's policy documents: the CloudWatch Logs delivery role (trust and permissions),
 * the log bucket and access-log bucket policies, the two KMS key policies and the alarm topic
 * policy. Every one is literal (names and ARNs come from the config, see names.ts), canonical,
 * and built from actions picked out of the IAM reference data; planAudit checks each against it.
 *
 * Conditions follow what AWS documents for each service principal:
 * - CloudTrail → S3: `aws:SourceArn` = the trail ARN (owned by the management account for an
 *   organization trail), `s3:x-amz-acl` = bucket-owner-full-control, writes only under
 *   `AWSLogs/<org id>/` (organization trail, with `aws:SourceOrgID`) or `AWSLogs/<account>/`
 *   (account trail, with `aws:SourceAccount`).
 * - CloudTrail → KMS: `aws:SourceArn` and `kms:EncryptionContext:aws:cloudtrail:arn`.
 * - CloudWatch Logs → KMS: `kms:EncryptionContext:aws:logs:arn` = the log group ARN.
 * - CloudTrail → the delivery role: `aws:SourceArn` (confused-deputy guidance).
 * - S3 server access logging → the access-log bucket: `aws:SourceArn` = the log bucket,
 *   `aws:SourceAccount`.
 * - CloudWatch alarms → SNS: `aws:SourceArn` = this trail's alarms, `aws:SourceAccount`.
 * - The replication role → KMS (only with auditTrail.replication): `kms:ViaService` = S3 in the
 *   home region, and the log file's encryption context (this trail, this bucket's AWSLogs/).
 */
import type { Catalog } from "../catalog";
import { policyDocument, type PolicyDocument, type Statement } from "../document";
import { pickActions } from "../scp/control";
import { logStreamArn, type AuditNames } from "./names";

export const SERVICE = {
  cloudtrail: "cloudtrail.amazonaws.com",
  cloudwatch: "cloudwatch.amazonaws.com",
  events: "events.amazonaws.com",
  s3Logging: "logging.s3.amazonaws.com",
} as const;

/** CloudWatch Logs' principal is regional (AWS: "logs.<region>.amazonaws.com" in the key policy). */
export function logsServicePrincipal(region: string): string {
  return `logs.${region}.amazonaws.com`;
}

/** The audit stack's documents, by what they are attached to. */
export interface AuditDocuments {
  readonly deliveryRoleTrust: PolicyDocument;
  readonly deliveryRolePolicy: PolicyDocument;
  readonly bucketPolicy: PolicyDocument;
  readonly accessLogBucketPolicy: PolicyDocument;
  readonly trailKeyPolicy: PolicyDocument;
  readonly alarmKeyPolicy: PolicyDocument;
  readonly topicPolicy: PolicyDocument;
}

/** What each document is, for error messages and docs. */
export const DOCUMENT_TITLES: Readonly<Record<keyof AuditDocuments, string>> = {
  deliveryRoleTrust: "delivery role trust policy",
  deliveryRolePolicy: "delivery role policy",
  bucketPolicy: "log bucket policy",
  accessLogBucketPolicy: "access-log bucket policy",
  trailKeyPolicy: "trail key policy",
  alarmKeyPolicy: "alarm topic key policy",
  topicPolicy: "alarm topic policy",
};

const service = (...principals: string[]) => ({ Service: principals });

/**
 * What the key administrators (the deployment role, the break-glass role, auditTrail.keyAdministrators)
 * may do: manage the key, its policy, rotation, aliases and tags, and schedule or cancel deletion.
 * Never use it (no Encrypt, Decrypt, GenerateDataKey, ReEncrypt, CreateGrant) and never turn
 * rotation off. The deployment role is always one of them: it applies the key policy, and KMS
 * refuses a policy that would keep its caller from putting the next one (the policy-lockout
 * safety check, which this baseline never bypasses). An administrator in another account (the
 * break-glass role, usually in the management account) also needs an identity policy of its own
 * account allowing these actions on the key: a key policy alone does not grant across accounts.
 */
const KEY_ADMINISTRATION = [
  "kms:CancelKeyDeletion",
  "kms:CreateAlias",
  "kms:DeleteAlias",
  "kms:DescribeKey",
  "kms:DisableKey",
  "kms:EnableKey",
  "kms:EnableKeyRotation",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListGrants",
  "kms:ListKeyPolicies",
  "kms:ListResourceTags",
  "kms:PutKeyPolicy",
  "kms:RevokeGrant",
  "kms:ScheduleKeyDeletion",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:UpdateAlias",
  "kms:UpdateKeyDescription",
];

function keyAdministration(names: AuditNames, catalog: Catalog): Statement {
  return {
    Sid: "KeyAdministration",
    Effect: "Allow",
    Principal: { AWS: [...names.keyAdministratorArns] },
    Action: pickActions(catalog, KEY_ADMINISTRATION),
    Resource: ["*"],
  };
}

/** What `terraform plan` reads of a key: for KMS only the key policy can grant it. */
const KEY_DESCRIPTION = ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"];

/** The pull-request plan role, if the config names one, may read the key's settings and nothing else. */
function keyDescription(names: AuditNames, catalog: Catalog): Statement[] {
  if (!names.keyDescriberArn) return [];
  return [
    {
      Sid: "KeyDescriptionForPlans",
      Effect: "Allow",
      Principal: { AWS: [names.keyDescriberArn] },
      Action: pickActions(catalog, KEY_DESCRIPTION),
      Resource: ["*"],
    },
  ];
}

function denyInsecureTransport(actions: string[], resources: string[]): Statement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: actions,
    Resource: resources,
    Condition: { Bool: { "aws:SecureTransport": ["false"] } },
  };
}

/** The S3 endpoint of a region as KMS names it in `kms:ViaService` (China's partition has its own domain). */
export function s3ViaService(partition: string, region: string): string {
  return `s3.${region}.${partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com"}`;
}

/** The encryption context every log file of this trail carries: the trail that wrote it. */
function trailContext(names: AuditNames): string[] {
  return [`arn:${names.partition}:cloudtrail:*:${names.trailOwner}:trail/${names.trailName}`];
}

/**
 * S3 replicating a log file decrypts it as the replication role, through S3 in the home region,
 * under the context the file was written with: CloudTrail's (this trail) and S3's (the object's
 * ARN, under AWSLogs/ of this bucket: no S3 Bucket Key, so the context names the object). AWS
 * documents both conditions for replicating SSE-KMS objects (S3 User Guide, "Replicating
 * encrypted objects"); the role's own policy cannot grant it, the key policy names no account root.
 */
function replicationDecrypt(names: AuditNames, catalog: Catalog): Statement[] {
  if (!names.replicationRoleArn) return [];
  return [
    {
      Sid: "ReplicationDecryptsThisTrailsLogs",
      Effect: "Allow",
      Principal: { AWS: [names.replicationRoleArn] },
      Action: pickActions(catalog, ["kms:Decrypt"]),
      Resource: ["*"],
      Condition: {
        StringEquals: { "kms:ViaService": [s3ViaService(names.partition, names.region)] },
        StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": trailContext(names), "kms:EncryptionContext:aws:s3:arn": [`${names.bucketArn}/AWSLogs/*`] },
      },
    },
  ];
}

/**
 * Governance-mode Object Lock yields to anyone allowed s3:BypassGovernanceRetention, which any
 * administrator of the audit account is (AdministratorAccess is s3:*), the deployment role
 * included. Denied here to everyone, root included: deleting or shortening a locked log file then
 * first takes a bucket policy change, which the SCP keeps to the exempt roles and the alarms
 * report. Terraform never needs the bypass (it does not delete log files; lifecycle expiry skips
 * locked versions), so the deployment role loses nothing it uses. PutBucketObjectLockConfiguration
 * stays allowed: it changes only the default for new log files, never unlocks a written one, and
 * the deployment role must apply it. Present whether or not Object Lock is on: it costs nothing
 * without it and holds the moment Object Lock is turned on, in Terraform or outside it.
 */
function denyGovernanceBypass(names: AuditNames, catalog: Catalog): Statement {
  return {
    Sid: "DenyGovernanceRetentionBypass",
    Effect: "Deny",
    Principal: "*",
    Action: pickActions(catalog, ["s3:BypassGovernanceRetention"]),
    Resource: [`${names.bucketArn}/*`],
  };
}

/** The conditions that tie a CloudTrail write to this trail and its organization (or account). */
function trailSource(names: AuditNames, organizationTrail: boolean): Record<string, string[]> {
  return {
    "aws:SourceArn": [names.trailArn],
    ...(organizationTrail ? { "aws:SourceOrgID": [names.organizationId] } : { "aws:SourceAccount": [names.account] }),
  };
}

/** The ARN pattern of this trail's EventBridge rules (events.ts names every rule with the alarm prefix). */
export function eventRuleArnPattern(names: AuditNames): string {
  return `arn:${names.partition}:events:${names.region}:${names.account}:rule/${names.alarmNamePrefix}*`;
}

export function buildDocuments(
  names: AuditNames,
  organizationTrail: boolean,
  logReaders: readonly string[],
  eventRules: boolean,
  catalog: Catalog,
): AuditDocuments {
  const pick = (...actions: string[]) => pickActions(catalog, actions);
  const logPrefix = organizationTrail ? names.organizationId : names.account;
  // The streams CloudTrail writes: <account>_CloudTrail_<region>[_n] for the trail's own events and,
  // for an organization trail, o-<org id>_* for the organization's accounts (CloudTrail User Guide,
  // "Role policy document for CloudTrail to use CloudWatch Logs for monitoring"). An organization
  // trail created by the delegated administrator belongs to the management account, and the guide
  // does not say whose id its own stream carries, so both the owner's and the audit account's are allowed.
  const ownStreams = [...new Set([names.trailOwner, names.account])].map((account) => logStreamArn(names, `${account}_CloudTrail_${names.region}*`));
  const streams = [...ownStreams, ...(organizationTrail ? [logStreamArn(names, `${names.organizationId}_*`)] : [])];

  return {
    deliveryRoleTrust: policyDocument([
      {
        Sid: "CloudTrailAssumesForThisTrail",
        Effect: "Allow",
        Principal: service(SERVICE.cloudtrail),
        Action: pick("sts:AssumeRole"),
        Condition: { StringEquals: { "aws:SourceArn": [names.trailArn] } },
      },
    ]),
    deliveryRolePolicy: policyDocument([
      { Sid: "CreateTrailLogStreams", Effect: "Allow", Action: pick("logs:CreateLogStream"), Resource: streams },
      { Sid: "PutTrailLogEvents", Effect: "Allow", Action: pick("logs:PutLogEvents"), Resource: streams },
    ]),
    bucketPolicy: policyDocument([
      {
        Sid: "CloudTrailAclCheck",
        Effect: "Allow",
        Principal: service(SERVICE.cloudtrail),
        Action: pick("s3:GetBucketAcl"),
        Resource: [names.bucketArn],
        Condition: { StringEquals: { "aws:SourceArn": [names.trailArn] } },
      },
      {
        Sid: "CloudTrailWrite",
        Effect: "Allow",
        Principal: service(SERVICE.cloudtrail),
        Action: pick("s3:PutObject"),
        Resource: [`${names.bucketArn}/AWSLogs/${logPrefix}/*`],
        Condition: { StringEquals: { "s3:x-amz-acl": ["bucket-owner-full-control"], ...trailSource(names, organizationTrail) } },
      },
      // An organization trail also writes (and CreateTrail checks it may write) the owning
      // management account's own folder, as AWS's organization-trail bucket policy shows.
      ...(organizationTrail
        ? [
            {
              Sid: "CloudTrailWriteOwnerFolder",
              Effect: "Allow" as const,
              Principal: service(SERVICE.cloudtrail),
              Action: pick("s3:PutObject"),
              Resource: [`${names.bucketArn}/AWSLogs/${names.trailOwner}/*`],
              Condition: { StringEquals: { "s3:x-amz-acl": ["bucket-owner-full-control"], "aws:SourceArn": [names.trailArn] } },
            },
          ]
        : []),
      ...(logReaders.length > 0
        ? [
            {
              Sid: "LogReadersRead",
              Effect: "Allow" as const,
              Principal: { AWS: [...logReaders] },
              Action: pick("s3:GetObject", "s3:ListBucket"),
              Resource: [names.bucketArn, `${names.bucketArn}/AWSLogs/*`],
            },
          ]
        : []),
      denyGovernanceBypass(names, catalog),
      denyInsecureTransport(["s3:*"], [names.bucketArn, `${names.bucketArn}/*`]),
    ]),
    accessLogBucketPolicy: policyDocument([
      {
        Sid: "ServerAccessLogsOfTheLogBucket",
        Effect: "Allow",
        Principal: service(SERVICE.s3Logging),
        Action: pick("s3:PutObject"),
        Resource: [`${names.accessLogBucketArn}/${names.accessLogPrefix}*`],
        Condition: { ArnEquals: { "aws:SourceArn": [names.bucketArn] }, StringEquals: { "aws:SourceAccount": [names.account] } },
      },
      denyInsecureTransport(["s3:*"], [names.accessLogBucketArn, `${names.accessLogBucketArn}/*`]),
    ]),
    trailKeyPolicy: policyDocument([
      keyAdministration(names, catalog),
      ...keyDescription(names, catalog),
      {
        Sid: "CloudTrailEncryptsThisTrailsLogs",
        Effect: "Allow",
        Principal: service(SERVICE.cloudtrail),
        Action: pick("kms:GenerateDataKey"),
        Resource: ["*"],
        Condition: {
          StringEquals: { "aws:SourceArn": [names.trailArn] },
          StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": trailContext(names) },
        },
      },
      {
        Sid: "CloudTrailDescribesKey",
        Effect: "Allow",
        Principal: service(SERVICE.cloudtrail),
        Action: pick("kms:DescribeKey"),
        Resource: ["*"],
        Condition: { StringEquals: { "aws:SourceArn": [names.trailArn] } },
      },
      ...(logReaders.length > 0
        ? [
            {
              // Decrypt only what this trail encrypted: the context CloudTrail sets names the trail.
              Sid: "LogReadersDecryptThisTrailsLogs",
              Effect: "Allow" as const,
              Principal: { AWS: [...logReaders] },
              Action: pick("kms:Decrypt"),
              Resource: ["*"],
              Condition: {
                StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": trailContext(names) },
              },
            },
          ]
        : []),
      ...replicationDecrypt(names, catalog),
      {
        Sid: "CloudWatchLogsEncryptsTheLogGroup",
        Effect: "Allow",
        Principal: service(logsServicePrincipal(names.region)),
        // AWS documents kms:Encrypt*, Decrypt*, ReEncrypt*, GenerateDataKey*, Describe* under this
        // condition; these are the actions those patterns name that apply to a symmetric key and
        // carry an encryption context (DescribeKey has none, so the condition could never hold for it).
        Action: pick("kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext"),
        Resource: ["*"],
        Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": [names.logGroupArn] } },
      },
    ]),
    alarmKeyPolicy: policyDocument([
      keyAdministration(names, catalog),
      ...keyDescription(names, catalog),
      {
        // As AWS documents for alarms that publish to an encrypted topic; the topic policy decides
        // which alarms may publish at all.
        Sid: "CloudWatchAlarmsPublishEncrypted",
        Effect: "Allow",
        Principal: service(SERVICE.cloudwatch),
        Action: pick("kms:Decrypt", "kms:GenerateDataKey"),
        Resource: ["*"],
      },
      // As AWS documents for EventBridge targets that are encrypted topics; the topic policy
      // decides which rules may publish at all.
      ...(eventRules
        ? [
            {
              Sid: "EventBridgeRulesPublishEncrypted",
              Effect: "Allow" as const,
              Principal: service(SERVICE.events),
              Action: pick("kms:Decrypt", "kms:GenerateDataKey"),
              Resource: ["*"],
            },
          ]
        : []),
    ]),
    topicPolicy: policyDocument([
      {
        Sid: "ThisTrailsAlarmsPublish",
        Effect: "Allow",
        Principal: service(SERVICE.cloudwatch),
        Action: pick("sns:Publish"),
        Resource: [names.topicArn],
        Condition: {
          ArnLike: { "aws:SourceArn": [`arn:${names.partition}:cloudwatch:${names.region}:${names.account}:alarm:${names.alarmNamePrefix}*`] },
          StringEquals: { "aws:SourceAccount": [names.account] },
        },
      },
      ...(eventRules
        ? [
            {
              Sid: "ThisTrailsEventRulesPublish",
              Effect: "Allow" as const,
              Principal: service(SERVICE.events),
              Action: pick("sns:Publish"),
              Resource: [names.topicArn],
              Condition: {
                ArnLike: { "aws:SourceArn": [eventRuleArnPattern(names)] },
                StringEquals: { "aws:SourceAccount": [names.account] },
              },
            },
          ]
        : []),
      denyInsecureTransport(pick("sns:Publish"), [names.topicArn]),
    ]),
  };
}
