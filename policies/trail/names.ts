/**
 * Every name and ARN the audit stack creates or refers to, computed from the config alone, so the
 * policies are literal strings (no Terraform references) that the intent tests can simulate, and
 * the stack, the policies and the alarms always agree.
 */
import type { BaselineConfig } from "../../config/schema";
import { sortedUnique } from "../document";
import { partitionOf } from "../scp/control";
import { trailBucketName } from "../names";

export type AuditTrailConfig = NonNullable<BaselineConfig["auditTrail"]>;

export interface AuditNames {
  readonly partition: string;
  /** The audit account: where every resource of the stack lives. */
  readonly account: string;
  readonly region: string;
  readonly organizationId: string;
  readonly trailName: string;
  /**
   * The account that owns the trail. An organization trail created by the CloudTrail delegated
   * administrator (the audit account) is owned by the management account, and CloudTrail uses
   * that ARN as `aws:SourceArn` ("In an organization trail, the value of aws:SourceArn must be a
   * trail ARN that is owned by the management account": CloudTrail User Guide, organization trail
   * bucket policy). An account trail is owned by the audit account.
   */
  readonly trailOwner: string;
  readonly trailArn: string;
  readonly bucket: string;
  readonly bucketArn: string;
  /** Receives the log bucket's server access logs (CloudTrail.7); never logs itself. */
  readonly accessLogBucket: string;
  readonly accessLogBucketArn: string;
  /** Key prefix of the log bucket's access logs in the access-log bucket. */
  readonly accessLogPrefix: string;
  readonly logGroupName: string;
  readonly logGroupArn: string;
  readonly deliveryRoleName: string;
  readonly deliveryRoleArn: string;
  /** The deployment role in the audit account: it applies the key policies, so it always administers the keys. */
  readonly deploymentRoleArn: string;
  /**
   * Who administers the trail and alarm keys: the deployment role, the break-glass role and every
   * role of auditTrail.keyAdministrators, each once, sorted, so losing one role never locks the keys.
   */
  readonly keyAdministratorArns: readonly string[];
  /** The pull-request plan role in the audit account, which may only describe the keys; absent without deployment.planRoleName. */
  readonly keyDescriberArn?: string;
  readonly trailKeyAlias: string;
  readonly alarmKeyAlias: string;
  readonly topicName: string;
  readonly topicArn: string;
  /** Every alarm's name starts with this; the topic admits alarms by it. */
  readonly alarmNamePrefix: string;
  readonly metricNamespace: string;
  /** The role S3 replicates the log bucket as; absent without auditTrail.replication. */
  readonly replicationRoleName?: string;
  readonly replicationRoleArn?: string;
}

/** Limits on the derived names, each with the field a user changes to fix it. */
const NAME_LIMITS = { bucket: 63, roleName: 64 } as const;

/** KMS aliases and SNS topic names refuse the `.` that trail names may contain. */
function resourceSafe(name: string): string {
  return name.replace(/\./g, "-");
}

export function auditNames(config: BaselineConfig, trail: AuditTrailConfig): AuditNames {
  const partition = partitionOf(trail.homeRegion);
  const account = trail.account;
  const region = trail.homeRegion;
  const trailOwner = trail.organizationTrail ? config.organization.managementAccount : account;
  const bucket = trailBucketName(trail);
  const accessLogBucket = `${trail.name}-access-logs-${account}`;
  const logGroupArn = `arn:${partition}:logs:${region}:${account}:log-group:${trail.logGroup.name}`;
  const deliveryRoleName = `${trail.name}-delivery`;
  const safe = resourceSafe(trail.name);
  const topicName = `${safe}-alarms`;
  const deploymentRoleArn = `arn:${partition}:iam::${account}:role/${config.deployment.roleName}`;
  const replicationRoleName = `${trail.name}-replication`;
  return {
    partition,
    account,
    region,
    organizationId: config.organization.id,
    trailName: trail.name,
    trailOwner,
    trailArn: `arn:${partition}:cloudtrail:${region}:${trailOwner}:trail/${trail.name}`,
    bucket,
    bucketArn: `arn:${partition}:s3:::${bucket}`,
    accessLogBucket,
    accessLogBucketArn: `arn:${partition}:s3:::${accessLogBucket}`,
    accessLogPrefix: `${bucket}/`,
    logGroupName: trail.logGroup.name,
    logGroupArn,
    deliveryRoleName,
    deliveryRoleArn: `arn:${partition}:iam::${account}:role/${deliveryRoleName}`,
    deploymentRoleArn,
    keyAdministratorArns: sortedUnique([deploymentRoleArn, config.deployment.breakGlassRoleArn, ...trail.keyAdministrators]),
    ...(config.deployment.planRoleName ? { keyDescriberArn: `arn:${partition}:iam::${account}:role/${config.deployment.planRoleName}` } : {}),
    trailKeyAlias: `alias/${safe}`,
    alarmKeyAlias: `alias/${safe}-alarms`,
    topicName,
    topicArn: `arn:${partition}:sns:${region}:${account}:${topicName}`,
    alarmNamePrefix: `${trail.name}-`,
    metricNamespace: `ClaudePlatformAudit/${trail.name}`,
    ...(trail.replication ? { replicationRoleName, replicationRoleArn: `arn:${partition}:iam::${account}:role/${replicationRoleName}` } : {}),
  };
}

/** Problems with derived names, each naming the config field to change. */
export function nameProblems(names: AuditNames): string[] {
  const problems: string[] = [];
  if (names.accessLogBucket.length > NAME_LIMITS.bucket) {
    problems.push(`auditTrail.name: the access-log bucket name ${names.accessLogBucket} is over ${NAME_LIMITS.bucket} characters; shorten auditTrail.name`);
  }
  for (const role of [names.deliveryRoleName, names.replicationRoleName]) {
    if (role && role.length > NAME_LIMITS.roleName) {
      problems.push(`auditTrail.name: the role name ${role} is over ${NAME_LIMITS.roleName} characters; shorten auditTrail.name`);
    }
  }
  return problems;
}

/** The ARN of one log stream pattern in the trail's log group. */
export function logStreamArn(names: AuditNames, stream: string): string {
  return `${names.logGroupArn}:log-stream:${stream}`;
}
