/**
 * The audit stack's archive: the log bucket and the bucket receiving its server access logs, each
 * private, versioned, encrypted and expiring, with the log bucket's access logging. Everything is
 * planned in policies/trail (the policies are literal strings); this file only wires it.
 */
import type { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import type { TerraformStack } from "cdktf";
import type { AuditPlan } from "../policies/trail";

/** The log bucket (with what the trail must wait for) and the access-log bucket. */
export function archiveBuckets(stack: TerraformStack, plan: AuditPlan, trailKey: KmsKey) {
  const n = plan.names;
  // The bucket that receives the log bucket's server access logs (SSE-S3: server access logging
  // cannot deliver to an SSE-KMS bucket). It has no logging of its own, so nothing loops.
  const accessLogs = privateBucket(stack, "access-log-bucket", n.accessLogBucket, plan.policies.accessLogBucketPolicy, plan.logLifecycleDays, {
    sseAlgorithm: "AES256",
  });
  const logs = privateBucket(stack, "log-bucket", n.bucket, plan.policies.bucketPolicy, plan.logLifecycleDays, {
    sseAlgorithm: "aws:kms",
    kmsMasterKeyId: trailKey.arn,
  });
  const logging = new S3BucketLoggingA(stack, "log-bucket-logging", {
    bucket: logs.bucket.id,
    targetBucket: accessLogs.bucket.id,
    targetPrefix: n.accessLogPrefix,
  });
  return { logs: { ...logs, logging }, accessLogs };
}

/** A bucket with public access blocked, ACLs disabled, versioning, default encryption, its policy and an expiry lifecycle. */
function privateBucket(
  stack: TerraformStack,
  id: string,
  name: string,
  policy: string,
  days: number,
  encryption: { sseAlgorithm: string; kmsMasterKeyId?: string },
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
  new S3BucketVersioningA(stack, `${id}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } });
  // No S3 Bucket Key: with one, S3 calls KMS under the bucket's encryption context rather than
  // per object, while the trail key admits CloudTrail only with its own (aws:cloudtrail:arn);
  // CloudTrail's write volume does not need the saving.
  const sse = new S3BucketServerSideEncryptionConfigurationA(stack, `${id}-encryption`, {
    bucket: bucket.id,
    rule: [{ applyServerSideEncryptionByDefault: encryption, bucketKeyEnabled: false }],
  });
  const bucketPolicy = new S3BucketPolicy(stack, `${id}-policy`, { bucket: bucket.id, policy, dependsOn: [publicAccess] });
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
