/**
 * The audit stack's archive: the log bucket and the bucket receiving its server access logs, each
 * private, versioned, encrypted and expiring, with the log bucket's access logging; and, as the
 * config asks, the log bucket's Object Lock and its replication (with the role S3 replicates as).
 * Everything is planned in policies/trail (the policies are literal strings); this file only wires it.
 *
 * Object Lock is turned on by aws_s3_bucket_object_lock_configuration alone, never by the bucket's
 * object_lock_enabled: in hashicorp/aws 5.x that argument forces a new bucket (a plan of an
 * existing log bucket would destroy it), while S3 turns Object Lock on for an existing versioned
 * bucket through PutObjectLockConfiguration, which that resource calls.
 */
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketObjectLockConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import type { TerraformResource, TerraformStack } from "cdktf";
// How cdktf itself turns a construct into a depends_on entry (the package root does not export it).
import { dependable } from "cdktf/lib/tfExpression";
import type { AuditPlan } from "../policies/trail";
import type { ObjectLockPlan, ReplicationPlan } from "../policies/trail/archive";

/** The log bucket (with what the trail must wait for) and the access-log bucket. */
export function archiveBuckets(stack: TerraformStack, plan: AuditPlan, trailKey: KmsKey) {
  const n = plan.names;
  // The bucket that receives the log bucket's server access logs (SSE-S3: server access logging
  // cannot deliver to an SSE-KMS bucket). It has no logging of its own, so nothing loops.
  const accessLogs = privateBucket(stack, "access-log-bucket", n.accessLogBucket, plan.policies.accessLogBucketPolicy, plan.logLifecycleDays, {
    sseAlgorithm: "AES256",
  });
  // The log bucket's policy, which admits CloudTrail (and so the trail), waits for its Object Lock
  // and replication: no log file is ever written unlocked or left out of the copy.
  const logs = privateBucket(
    stack,
    "log-bucket",
    n.bucket,
    plan.policies.bucketPolicy,
    plan.logLifecycleDays,
    { sseAlgorithm: "aws:kms", kmsMasterKeyId: trailKey.arn },
    (bucket, versioning) => [
      ...(plan.archive.objectLock ? [objectLock(stack, bucket, versioning, plan.archive.objectLock)] : []),
      ...(plan.archive.replication ? [replication(stack, bucket, versioning, trailKey, plan.archive.replication)] : []),
    ],
  );
  const logging = new S3BucketLoggingA(stack, "log-bucket-logging", {
    bucket: logs.bucket.id,
    targetBucket: accessLogs.bucket.id,
    targetPrefix: n.accessLogPrefix,
  });
  return { logs: { ...logs, logging }, accessLogs };
}

/** The log bucket's default retention, once versioning (which Object Lock requires) is on. */
function objectLock(stack: TerraformStack, bucket: S3Bucket, versioning: S3BucketVersioningA, lock: ObjectLockPlan): TerraformResource {
  return new S3BucketObjectLockConfigurationA(stack, "log-bucket-object-lock", {
    bucket: bucket.id,
    objectLockEnabled: "Enabled",
    rule: { defaultRetention: { mode: lock.mode, days: lock.days } },
    dependsOn: [versioning],
  });
}

/**
 * The role S3 replicates as, and the log bucket's replication: SSE-KMS log files (every one) under
 * the log prefix, re-encrypted with the destination key, owned by the destination account; delete
 * markers stay behind. The trail key policy names the role, and KMS refuses a policy naming a
 * principal that does not exist, so the key waits for the role.
 */
function replication(stack: TerraformStack, bucket: S3Bucket, versioning: S3BucketVersioningA, trailKey: KmsKey, plan: ReplicationPlan): TerraformResource {
  const role = new IamRole(stack, "replication-role", {
    name: plan.roleName,
    description: `S3 replicates the trail's log files to ${plan.destinationBucketArn}`,
    assumeRolePolicy: plan.policies.replicationRoleTrust,
  });
  const rolePolicy = new IamRolePolicy(stack, "replication-role-policy", {
    role: role.name,
    name: "replicate-log-bucket",
    policy: plan.policies.replicationRolePolicy,
  });
  trailKey.dependsOn = [...(trailKey.dependsOn ?? []), dependable(role)];
  return new S3BucketReplicationConfigurationA(stack, "log-bucket-replication", {
    bucket: bucket.id,
    role: role.arn,
    rule: [
      {
        id: "replicate-log-files",
        status: "Enabled",
        filter: { prefix: plan.prefix },
        deleteMarkerReplication: { status: "Disabled" },
        sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
        destination: {
          bucket: plan.destinationBucketArn,
          account: plan.destinationAccount,
          accessControlTranslation: { owner: "Destination" },
          encryptionConfiguration: { replicaKmsKeyId: plan.destinationKeyArn },
        },
      },
    ],
    dependsOn: [versioning, rolePolicy],
  });
}

/**
 * A bucket with public access blocked, ACLs disabled, versioning, default encryption, its policy and
 * an expiry lifecycle. `beforePolicy` adds what must be in place before the policy admits writers.
 */
function privateBucket(
  stack: TerraformStack,
  id: string,
  name: string,
  policy: string,
  days: number,
  encryption: { sseAlgorithm: string; kmsMasterKeyId?: string },
  beforePolicy: (bucket: S3Bucket, versioning: S3BucketVersioningA) => TerraformResource[] = () => [],
) {
  const bucket = new S3Bucket(stack, id, { bucket: name });
  const publicAccess = new S3BucketPublicAccessBlock(stack, `${id}-public-access`, {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  new S3BucketOwnershipControls(stack, `${id}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } });
  const versioning = new S3BucketVersioningA(stack, `${id}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } });
  // No S3 Bucket Key: with one, S3 calls KMS under the bucket's encryption context rather than
  // per object, while the trail key admits CloudTrail only with its own (aws:cloudtrail:arn);
  // CloudTrail's write volume does not need the saving.
  const sse = new S3BucketServerSideEncryptionConfigurationA(stack, `${id}-encryption`, {
    bucket: bucket.id,
    rule: [{ applyServerSideEncryptionByDefault: encryption, bucketKeyEnabled: false }],
  });
  const bucketPolicy = new S3BucketPolicy(stack, `${id}-policy`, { bucket: bucket.id, policy, dependsOn: [publicAccess, ...beforePolicy(bucket, versioning)] });
  new S3BucketLifecycleConfiguration(stack, `${id}-lifecycle`, {
    bucket: bucket.id,
    rule: [
      {
        id: "expire-logs",
        status: "Enabled",
        filter: [{ prefix: "" }],
        expiration: [{ days }],
        noncurrentVersionExpiration: [{ noncurrentDays: days }],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
      },
    ],
  });
  return { bucket, policy: bucketPolicy, encryption: sse };
}
