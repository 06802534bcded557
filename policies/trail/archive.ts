/**
 * The archive's survival settings: S3 Object Lock on the log bucket and replication of every log
 * file to a second bucket. Pure: the config in, the plan (and any documents it needs, checked
 * against the IAM reference data) out; stacks/audit-archive.ts wires it.
 *
 * Object Lock goes on the log bucket only: S3 server access logging cannot deliver to a bucket
 * with Object Lock, so the access-log bucket stays as it is. Replication copies log files (never
 * delete markers: the copy must survive what happens to the original) to a bucket of another
 * account, re-encrypted with that account's key and owned by it.
 */
import type { BaselineConfig } from "../../config/schema";
import type { Catalog } from "../catalog";
import { checkDocument } from "../check";
import { minified, policyDocument, type PolicyDocument } from "../document";
import { QUOTAS, withThousands, type Quota } from "../quotas";
import { pickActions } from "../scp/control";
import { s3ViaService } from "./documents";
import type { AuditNames } from "./names";

type AuditTrailConfig = NonNullable<BaselineConfig["auditTrail"]>;

export interface ArchivePlan {
  /** Default retention on every log file version, when the config asks for Object Lock. */
  readonly objectLock?: ObjectLockPlan;
  /** Replication of the log bucket, when the config asks for it. */
  readonly replication?: ReplicationPlan;
}

export interface ObjectLockPlan {
  /** As S3 spells it. */
  readonly mode: "GOVERNANCE" | "COMPLIANCE";
  readonly days: number;
}

export interface ReplicationPlan {
  readonly roleName: string;
  readonly roleArn: string;
  readonly destinationBucket: string;
  readonly destinationBucketArn: string;
  readonly destinationAccount: string;
  readonly destinationKeyArn: string;
  /** Only what CloudTrail writes (every log and digest file is under it) is replicated. */
  readonly prefix: string;
  readonly documents: ReplicationDocuments;
  /** Each document minified: exactly the string Terraform sends. */
  readonly policies: Readonly<Record<keyof ReplicationDocuments, string>>;
}

export interface ReplicationDocuments {
  readonly replicationRoleTrust: PolicyDocument;
  readonly replicationRolePolicy: PolicyDocument;
}

const REPLICATION_TITLES: Readonly<Record<keyof ReplicationDocuments, string>> = {
  replicationRoleTrust: "replication role trust policy",
  replicationRolePolicy: "replication role policy",
};

const REPLICATION_QUOTAS: Readonly<Record<keyof ReplicationDocuments, Quota>> = {
  replicationRoleTrust: QUOTAS.trustPolicySize,
  replicationRolePolicy: QUOTAS.inlinePoliciesPerRole,
};

/** CloudTrail writes every log and digest file under this prefix. */
const LOG_PREFIX = "AWSLogs/";

export async function planArchive(config: BaselineConfig, names: AuditNames, catalog: Catalog): Promise<{ plan: ArchivePlan; problems: string[] }> {
  const trail = config.auditTrail!;
  const objectLock = trail.objectLock ? objectLockPlan(trail.objectLock) : undefined;
  if (!trail.replication) return { plan: { ...(objectLock ? { objectLock } : {}) }, problems: [] };
  const replication = replicationPlan(trail.replication, names, objectLock !== undefined, catalog);
  const problems = await replicationProblems(replication, catalog);
  return { plan: { ...(objectLock ? { objectLock } : {}), replication }, problems };
}

function objectLockPlan(lock: NonNullable<AuditTrailConfig["objectLock"]>): ObjectLockPlan {
  return { mode: lock.mode === "compliance" ? "COMPLIANCE" : "GOVERNANCE", days: lock.retentionDays };
}

/**
 * The replication role's documents, as AWS documents live replication of SSE-KMS objects (S3 User
 * Guide, "Setting up permissions" and "Replicating encrypted objects"), less what this archive
 * does not do: no s3:ReplicateDelete (delete markers are not replicated), and only the log prefix.
 * Decrypting the source files is granted by the trail key policy (documents.ts), which names no
 * account root, so this policy could not grant it; encrypting the copies is granted here and by
 * the destination key's policy (the destination owner's, docs/audit.md).
 */
function replicationPlan(replication: NonNullable<AuditTrailConfig["replication"]>, names: AuditNames, objectLock: boolean, catalog: Catalog): ReplicationPlan {
  const pick = (...actions: string[]) => pickActions(catalog, actions);
  const destinationBucketArn = `arn:${names.partition}:s3:::${replication.destinationBucket}`;
  const documents: ReplicationDocuments = {
    replicationRoleTrust: policyDocument([
      {
        // The confused-deputy guard AWS documents for S3 assuming a replication role: only for this bucket, in this account.
        Sid: "S3ReplicatesTheLogBucket",
        Effect: "Allow",
        Principal: { Service: ["s3.amazonaws.com"] },
        Action: pick("sts:AssumeRole"),
        Condition: { ArnEquals: { "aws:SourceArn": [names.bucketArn] }, StringEquals: { "aws:SourceAccount": [names.account] } },
      },
    ]),
    replicationRolePolicy: policyDocument([
      {
        Sid: "ReadReplicationConfiguration",
        Effect: "Allow",
        Action: pick("s3:GetReplicationConfiguration", "s3:ListBucket"),
        Resource: [names.bucketArn],
      },
      {
        // With Object Lock, S3 copies each version's retention and legal hold, and reads them as the role.
        Sid: "ReadLogFileVersions",
        Effect: "Allow",
        Action: pick(
          "s3:GetObjectVersionForReplication",
          "s3:GetObjectVersionAcl",
          "s3:GetObjectVersionTagging",
          ...(objectLock ? ["s3:GetObjectRetention", "s3:GetObjectLegalHold"] : []),
        ),
        Resource: [`${names.bucketArn}/${LOG_PREFIX}*`],
      },
      {
        Sid: "ReplicateToTheDestination",
        Effect: "Allow",
        Action: pick("s3:ReplicateObject", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"),
        Resource: [`${destinationBucketArn}/${LOG_PREFIX}*`],
      },
      {
        // The copy's context is its object ARN, or the destination bucket's ARN if its owner turns on an S3 Bucket Key.
        Sid: "EncryptCopiesWithTheDestinationKey",
        Effect: "Allow",
        Action: pick("kms:Encrypt"),
        Resource: [replication.destinationKeyArn],
        Condition: {
          StringEquals: { "kms:ViaService": [s3ViaService(names.partition, replication.destinationRegion)] },
          StringLike: { "kms:EncryptionContext:aws:s3:arn": [destinationBucketArn, `${destinationBucketArn}/${LOG_PREFIX}*`] },
        },
      },
    ]),
  };
  return {
    roleName: names.replicationRoleName!,
    roleArn: names.replicationRoleArn!,
    destinationBucket: replication.destinationBucket,
    destinationBucketArn,
    destinationAccount: replication.destinationAccount,
    destinationKeyArn: replication.destinationKeyArn,
    prefix: LOG_PREFIX,
    documents,
    policies: { replicationRoleTrust: minified(documents.replicationRoleTrust), replicationRolePolicy: minified(documents.replicationRolePolicy) },
  };
}

/** Each replication document against the reference data and its size quota; neither grows with the config. */
async function replicationProblems(plan: ReplicationPlan, catalog: Catalog): Promise<string[]> {
  const problems: string[] = [];
  for (const key of Object.keys(plan.documents) as Array<keyof ReplicationDocuments>) {
    for (const problem of await checkDocument(plan.documents[key], catalog)) problems.push(`auditTrail.replication: ${REPLICATION_TITLES[key]}: ${problem}`);
    const quota = REPLICATION_QUOTAS[key];
    const size = Buffer.byteLength(plan.policies[key], "utf8");
    if (size > quota.value) {
      problems.push(
        `auditTrail.replication: the ${REPLICATION_TITLES[key]} is ${withThousands(size)} ${quota.unit}, over the quota of ${withThousands(quota.value)} (${quota.counts}); report it as a bug`,
      );
    }
  }
  return problems;
}
