/**
 * An archive that survives its own administrators, proven on the synthesized audit stack
 * (cdk.tf.json) with iam-simulate:
 * - who administers, uses and decrypts the trail and alarm keys (the deployment role, the
 *   break-glass role and auditTrail.keyAdministrators administer and never use; a log reader
 *   decrypts only this trail's files; anyone else gets nothing; the plan role only describes);
 * - S3 Object Lock on the log bucket, its place in the apply order, and the bucket policy's denial
 *   of the governance-mode bypass to everyone (and of nothing else);
 * - replication: S3 alone assumes the role, which may do exactly the replication actions on the
 *   source and destination and decrypt only this trail's files through S3;
 * - the config checks (errors and warnings) of keyAdministrators, objectLock and replication.
 */
import { ConfigError } from "../config/load";
import { findWarnings } from "../config/warnings";
import { planBaseline } from "../policies/baseline";
import { Catalog } from "../policies/catalog";
import { auditSummary } from "../policies/trail";
import { synthesizeAudit, type AuditStackView, type PolicyJson } from "./harness/audit";
import { allowedActions, decideOnResource, KEY_ADMINISTRATION, KEY_DESCRIPTION, type Caller, type ResourceRequest } from "./harness/resource-policy";
import { accountChains, type ChainLevel } from "./harness/organization";
import { ADMINISTRATOR, decide, type Principal } from "./harness/simulate";
import { configFromYaml, sampleConfig, sampleYaml } from "./harness/synth";

const MANAGEMENT = "111111111111";
const AUDIT = "222222222222";
const PAYMENTS = "333333333333";
const ARCHIVE = "444444444444";
const ORG = "o-a1b2c3d4e5";
const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${MANAGEMENT}:trail/claude-platform-governance`;
const BUCKET = "arn:aws:s3:::claude-platform-governance-logs-222222222222";
const KEY_ARN = `arn:aws:kms:us-east-1:${AUDIT}:key/11111111-2222-3333-4444-555555555555`;
const DEST_BUCKET = "arn:aws:s3:::org-audit-archive-copy";
const DEST_KEY = `arn:aws:kms:us-west-2:${ARCHIVE}:key/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee`;
const LOG_KEY = `AWSLogs/${ORG}/${PAYMENTS}/CloudTrail/us-east-1/2026/11/20/${PAYMENTS}_CloudTrail_us-east-1_20261120T1000Z_abc.json.gz`;
const LOG_OBJECT = `${BUCKET}/${LOG_KEY}`;
const DEST_OBJECT = `${DEST_BUCKET}/${LOG_KEY}`;

const DEPLOYER: Principal = { account: AUDIT, role: "platform-governance-deployer" };
const BREAK_GLASS: Principal = { account: MANAGEMENT, role: "platform-break-glass" };
const CUSTODIAN: Principal = { account: AUDIT, role: "key-custodian" };
const READER: Principal = { account: AUDIT, role: "security-investigator" };
const PLAN_ROLE: Principal = { account: AUDIT, role: "claude-platform-pr-plan" };
const AUDIT_ADMIN: Principal = { account: AUDIT, role: "Administrator" };
const REPLICATION_ROLE: Principal = { account: AUDIT, role: "claude-platform-governance-replication" };
const REPLICATION_ROLE_ARN = `arn:aws:iam::${AUDIT}:role/claude-platform-governance-replication`;
const S3: Caller = { service: "s3.amazonaws.com" };

const TRAIL_CONTEXT = { "kms:EncryptionContext:aws:cloudtrail:arn": TRAIL_ARN };
/** What S3 presents to KMS when it decrypts a log file for replication: the file's context, through S3 in the home region. */
const REPLICATION_DECRYPT = { ...TRAIL_CONTEXT, "kms:EncryptionContext:aws:s3:arn": LOG_OBJECT, "kms:ViaService": "s3.us-east-1.amazonaws.com" };
const REPLICA_ENCRYPT = { "kms:EncryptionContext:aws:s3:arn": DEST_OBJECT, "kms:ViaService": "s3.us-west-2.amazonaws.com" };

const REPLICATION_YAML = `  replication:
    destinationBucket: org-audit-archive-copy
    destinationAccount: "${ARCHIVE}"
    destinationRegion: us-west-2
    destinationKeyArn: ${DEST_KEY}
`;

/** The sample with planRoleName, a key administrator, a log reader and replication (Object Lock is the sample's). */
function archiveYaml(extra = ""): string {
  return (
    sampleYaml().replace("  roleName: platform-governance-deployer\n", "  roleName: platform-governance-deployer\n  planRoleName: claude-platform-pr-plan\n") +
    `  keyAdministrators: [arn:aws:iam::${AUDIT}:role/key-custodian]\n  logReaders: [arn:aws:iam::${AUDIT}:role/security-investigator]\n` +
    REPLICATION_YAML +
    extra
  );
}

/**
 * The destination owner's bucket policy and key policy statement, as /tmp/archive-docs.md (for
 * docs/audit.md) tells them to write it: simulated here so the documented setup is proven too.
 */
const DESTINATION_BUCKET_POLICY = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "AuditArchiveReplicates",
      Effect: "Allow",
      Principal: { AWS: REPLICATION_ROLE_ARN },
      Action: ["s3:ReplicateObject", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"],
      Resource: `${DEST_BUCKET}/AWSLogs/*`,
    },
  ],
};
const DESTINATION_KEY_POLICY = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "AuditArchiveEncryptsReplicas",
      Effect: "Allow",
      Principal: { AWS: REPLICATION_ROLE_ARN },
      Action: "kms:Encrypt",
      Resource: "*",
      Condition: {
        StringEquals: { "kms:ViaService": "s3.us-west-2.amazonaws.com" },
        StringLike: { "kms:EncryptionContext:aws:s3:arn": [DEST_BUCKET, `${DEST_BUCKET}/AWSLogs/*`] },
      },
    },
  ],
};

let sample: AuditStackView;
let archive: AuditStackView;
let catalog: Catalog;

beforeAll(async () => {
  [sample, archive] = await Promise.all([synthesizeAudit(sampleConfig()), synthesizeAudit(configFromYaml(archiveYaml()))]);
  catalog = await Catalog.load(["kms", "s3", "sts"]);
});

const actionsTaking = (service: string, resourceType: string) =>
  catalog
    .actionsOf(service)
    .filter((a) => a.resourceTypes.some((t) => t.toLowerCase() === resourceType))
    .map((a) => a.name);

const keyPolicy = (view: AuditStackView, key: string) => view.policy("aws_kms_key", key);
const withoutStatement = (policy: PolicyJson, sid: string): PolicyJson => ({ ...policy, Statement: policy.Statement.filter((s) => s.Sid !== sid) });

/** Every KMS key action the caller may perform on the key, with its identity policies (an administrator's, by default). */
const onKey = (policy: unknown, caller: Caller, context: Record<string, string> = {}, identityPolicies?: ResourceRequest["identityPolicies"]) =>
  allowedActions(policy, { caller, resourceAccount: AUDIT, context, identityPolicies }, actionsTaking("kms", "key"), () => KEY_ARN);

describe("key administrators: the deployment role, the break-glass role and auditTrail.keyAdministrators administer both keys and never use them", () => {
  test.each(["trail-key", "alarm-key"])("%s: who may administer, use and decrypt", async (key) => {
    const policy = keyPolicy(archive, key);
    // Same-account administrators from the key policy alone; the break-glass role (another account) with its own account's identity policy.
    expect(await onKey(policy, DEPLOYER, TRAIL_CONTEXT, [])).toEqual(KEY_ADMINISTRATION);
    expect(await onKey(policy, CUSTODIAN, TRAIL_CONTEXT, [])).toEqual(KEY_ADMINISTRATION);
    expect(await onKey(policy, BREAK_GLASS, TRAIL_CONTEXT)).toEqual(KEY_ADMINISTRATION);
    // Across accounts a key policy alone grants nothing: the break-glass role needs an identity policy of its own account.
    expect(await onKey(policy, BREAK_GLASS, TRAIL_CONTEXT, [])).toEqual([]);
    // Nobody else of the audit account, however privileged, and no look-alike.
    expect(await onKey(policy, AUDIT_ADMIN, TRAIL_CONTEXT)).toEqual([]);
    expect(await onKey(policy, { account: AUDIT, role: "key-custodian-2" }, TRAIL_CONTEXT)).toEqual([]);
    expect(await onKey(policy, { account: PAYMENTS, role: "key-custodian" }, TRAIL_CONTEXT)).toEqual([]);
    // The plan role describes, and nothing more.
    expect(await onKey(policy, PLAN_ROLE, TRAIL_CONTEXT, [])).toEqual(KEY_DESCRIPTION);
  });

  test("no administrator may encrypt, decrypt, make data keys, re-encrypt, grant or turn rotation off, even with an administrator's identity policy", async () => {
    for (const key of ["trail-key", "alarm-key"]) {
      for (const caller of [DEPLOYER, CUSTODIAN, BREAK_GLASS]) {
        for (const action of ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:CreateGrant", "kms:DisableKeyRotation"]) {
          const result = await decideOnResource(keyPolicy(archive, key), { caller, action, resource: KEY_ARN, resourceAccount: AUDIT, context: TRAIL_CONTEXT });
          expect({ key, caller, action, result }).toEqual({ key, caller, action, result: "ImplicitlyDenied" });
        }
      }
    }
  });

  test("a log reader decrypts only this trail's log files, and only with the trail key", async () => {
    expect(await onKey(keyPolicy(archive, "trail-key"), READER, TRAIL_CONTEXT, [])).toEqual(["kms:Decrypt"]);
    expect(
      await onKey(
        keyPolicy(archive, "trail-key"),
        READER,
        { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:us-east-1:${PAYMENTS}:trail/other` },
        [],
      ),
    ).toEqual([]);
    expect(await onKey(keyPolicy(archive, "alarm-key"), READER, TRAIL_CONTEXT, [])).toEqual([]);
  });

  test("the sample (no keyAdministrators) has the deployment role and the break-glass role, each once, sorted", () => {
    for (const key of ["trail-key", "alarm-key"]) {
      const statement = keyPolicy(sample, key).Statement.find((s) => s.Sid === "KeyAdministration")!;
      expect(statement.Principal).toEqual({
        AWS: [`arn:aws:iam::${MANAGEMENT}:role/platform-break-glass`, `arn:aws:iam::${AUDIT}:role/platform-governance-deployer`],
      });
    }
  });

  test("deterministic: repeats, the deployment and break-glass roles listed again, and the order of the list change nothing", async () => {
    const listed = (roles: string[]) =>
      configFromYaml(archiveYaml().replace(`keyAdministrators: [arn:aws:iam::${AUDIT}:role/key-custodian]`, `keyAdministrators: [${roles.join(", ")}]`));
    const other = `arn:aws:iam::${AUDIT}:role/other-custodian`;
    const custodian = `arn:aws:iam::${AUDIT}:role/key-custodian`;
    const [a, b] = await Promise.all([
      synthesizeAudit(listed([custodian, other])),
      synthesizeAudit(
        listed([
          other,
          custodian,
          custodian,
          `arn:aws:iam::${AUDIT}:role/platform-governance-deployer`,
          `arn:aws:iam::${MANAGEMENT}:role/platform-break-glass`,
        ]),
      ),
    ]);
    for (const key of ["trail-key", "alarm-key"]) expect(a.resource("aws_kms_key", key).policy).toBe(b.resource("aws_kms_key", key).policy);
  });

  test("KMS's lockout check keeps passing: the deployment role may put the next policy of both keys, in every config, and the check is never bypassed", async () => {
    const configs = [
      sampleYaml(),
      archiveYaml(),
      sampleYaml().replace("organizationTrail: true", "organizationTrail: false"),
      archiveYaml().replace(
        `keyAdministrators: [arn:aws:iam::${AUDIT}:role/key-custodian]`,
        `keyAdministrators: [arn:aws:iam::${AUDIT}:role/platform-governance-deployer]`,
      ),
    ];
    for (const view of [sample, archive, ...(await Promise.all(configs.slice(2).map((y) => synthesizeAudit(configFromYaml(y)))))]) {
      for (const [name, key] of Object.entries(view.resources("aws_kms_key"))) {
        const result = await decideOnResource(JSON.parse(key.policy as string), {
          caller: DEPLOYER,
          action: "kms:PutKeyPolicy",
          resource: KEY_ARN,
          resourceAccount: AUDIT,
          identityPolicies: [],
        });
        expect({ name, result, bypass: key.bypass_policy_lockout_safety_check }).toEqual({ name, result: "Allowed", bypass: undefined });
      }
    }
  });
});

describe("S3 Object Lock: on the log bucket only, in place before CloudTrail may write", () => {
  /** Every resource address a resource depends on, through depends_on and references, transitively. */
  function dependencies(view: AuditStackView, address: string, seen = new Set<string>()): Set<string> {
    const [type, name] = address.split(".");
    const resource = view.resource(type, name);
    const direct = [
      ...((resource.depends_on as string[] | undefined) ?? []),
      ...[...JSON.stringify(resource).matchAll(/\$\{(aws_[a-z0-9_]+\.[A-Za-z0-9_-]+)/g)].map((m) => m[1]),
    ];
    for (const next of direct) {
      if (seen.has(next)) continue;
      seen.add(next);
      dependencies(view, next, seen);
    }
    return seen;
  }
  const trailAddress = (view: AuditStackView) => `aws_cloudtrail.${Object.keys(view.resources("aws_cloudtrail"))[0]}`;

  test("the sample locks every log file version for 365 days in governance mode, after versioning, and the trail waits for it", () => {
    expect(Object.keys(sample.resources("aws_s3_bucket_object_lock_configuration"))).toEqual(["log-bucket-object-lock"]);
    const lock = sample.resource("aws_s3_bucket_object_lock_configuration", "log-bucket-object-lock");
    expect(lock).toMatchObject({
      bucket: "${aws_s3_bucket.log-bucket.id}",
      object_lock_enabled: "Enabled",
      rule: { default_retention: { mode: "GOVERNANCE", days: 365 } },
      depends_on: ["aws_s3_bucket_versioning.log-bucket-versioning"],
    });
    expect(dependencies(sample, trailAddress(sample))).toContain("aws_s3_bucket_object_lock_configuration.log-bucket-object-lock");
  });

  test("never object_lock_enabled on the bucket (it forces a new bucket in provider 5.x); the access-log bucket has no lock (access logging cannot deliver to one)", () => {
    for (const bucket of Object.values(sample.resources("aws_s3_bucket"))) expect(bucket.object_lock_enabled).toBeUndefined();
    const locked = Object.values(sample.resources("aws_s3_bucket_object_lock_configuration")).map((l) => l.bucket);
    expect(locked).toEqual(["${aws_s3_bucket.log-bucket.id}"]);
  });

  test("compliance mode is written as S3 spells it; without objectLock there is no lock", async () => {
    const compliance = await synthesizeAudit(
      configFromYaml(sampleYaml().replace("    mode: governance\n    retentionDays: 365", "    mode: compliance\n    retentionDays: 30")),
    );
    expect(compliance.resource("aws_s3_bucket_object_lock_configuration", "log-bucket-object-lock").rule).toEqual({
      default_retention: { mode: "COMPLIANCE", days: 30 },
    });
    const unlocked = await synthesizeAudit(configFromYaml(sampleYaml().replace(/ {2}# Every log file is locked[\s\S]*$/, "")));
    expect(unlocked.resources("aws_s3_bucket_object_lock_configuration")).toEqual({});
  });
});

describe("log bucket policy: nobody may bypass governance retention, and the deployment role keeps everything else", () => {
  const bucketPolicy = () => sample.policy("aws_s3_bucket_policy", "log-bucket-policy");
  const asAdministrator = (policy: unknown, caller: Principal, action: string, resource: string) =>
    decideOnResource(policy, { caller, action, resource, resourceAccount: AUDIT, identityPolicies: [ADMINISTRATOR] });

  test("the deployment role, the audit account's administrator and the break-glass role are refused s3:BypassGovernanceRetention", async () => {
    for (const caller of [DEPLOYER, AUDIT_ADMIN, BREAK_GLASS]) {
      expect(await asAdministrator(bucketPolicy(), caller, "s3:BypassGovernanceRetention", LOG_OBJECT)).toBe("ExplicitlyDenied");
    }
  });

  test("near miss: without the statement, an administrator of the audit account could bypass governance mode", async () => {
    expect(
      await asAdministrator(withoutStatement(bucketPolicy(), "DenyGovernanceRetentionBypass"), AUDIT_ADMIN, "s3:BypassGovernanceRetention", LOG_OBJECT),
    ).toBe("Allowed");
  });

  test("it denies nothing else: of every S3 bucket and object action, the deployment role is refused only the bypass (Object Lock, policy, versioning, lifecycle and replication stay its to manage)", async () => {
    const denied = async (actions: string[], resource: string) => {
      const out: string[] = [];
      for (const action of actions) if ((await asAdministrator(bucketPolicy(), DEPLOYER, action, resource)) === "ExplicitlyDenied") out.push(action);
      return out;
    };
    expect(await denied(actionsTaking("s3", "object"), LOG_OBJECT)).toEqual(["s3:BypassGovernanceRetention"]);
    expect(await denied(actionsTaking("s3", "bucket"), BUCKET)).toEqual([]);
  });
});

describe("replication: S3 alone assumes the role, which does exactly the replication and nothing else", () => {
  const trust = () => archive.policy("aws_iam_role", "replication-role", "assume_role_policy");
  const rolePolicy = () => archive.policy("aws_iam_role_policy", "replication-role-policy");
  const fromLogBucket = { "aws:SourceArn": BUCKET, "aws:SourceAccount": AUDIT };
  const asRole = () => [{ name: "replicate-log-bucket", policy: rolePolicy() }];

  test("S3 may assume it for the log bucket, and do nothing else with it", async () => {
    const base = { caller: S3, resourceAccount: AUDIT, context: fromLogBucket, identityPolicies: [] };
    expect(await allowedActions(trust(), base, actionsTaking("sts", "role"), () => REPLICATION_ROLE_ARN)).toEqual(["sts:AssumeRole"]);
  });

  test.each([
    ["S3 for another bucket", S3, { ...fromLogBucket, "aws:SourceArn": "arn:aws:s3:::app-assets" }],
    ["S3 for a bucket of another account", S3, { ...fromLogBucket, "aws:SourceAccount": PAYMENTS }],
    ["S3 with no source bucket", S3, { "aws:SourceAccount": AUDIT }],
    ["S3 with no source account", S3, { "aws:SourceArn": BUCKET }],
    ["S3 Batch Operations", { service: "batchoperations.s3.amazonaws.com" }, fromLogBucket],
    ["CloudTrail", { service: "cloudtrail.amazonaws.com" }, fromLogBucket],
    ["the audit account's administrator", AUDIT_ADMIN, {}],
  ] as Array<[string, Caller, Record<string, string>]>)("near miss: %s cannot assume it", async (_name, caller, context) => {
    expect(
      await decideOnResource(trust(), {
        caller,
        action: "sts:AssumeRole",
        resource: REPLICATION_ROLE_ARN,
        resourceAccount: AUDIT,
        context,
        identityPolicies: [],
      }),
    ).toBe("ImplicitlyDenied");
  });

  test("on the source: read the replication configuration and the log files' versions, and nothing else (through the log bucket policy)", async () => {
    const base = { caller: REPLICATION_ROLE, resourceAccount: AUDIT, identityPolicies: asRole() };
    const policy = archive.policy("aws_s3_bucket_policy", "log-bucket-policy");
    expect(await allowedActions(policy, base, actionsTaking("s3", "bucket"), () => BUCKET)).toEqual(["s3:GetReplicationConfiguration", "s3:ListBucket"]);
    expect(await allowedActions(policy, base, actionsTaking("s3", "object"), () => LOG_OBJECT)).toEqual([
      "s3:GetObjectLegalHold",
      "s3:GetObjectRetention",
      "s3:GetObjectVersionAcl",
      "s3:GetObjectVersionForReplication",
      "s3:GetObjectVersionTagging",
    ]);
    expect(await allowedActions(policy, base, actionsTaking("s3", "object"), () => `${BUCKET}/not-a-log-file`)).toEqual([]);
  });

  test("on the destination: replicate, with owner override, and nothing else; never a delete (with the destination owner's documented bucket policy)", async () => {
    const base = { caller: REPLICATION_ROLE, resourceAccount: ARCHIVE, identityPolicies: asRole() };
    expect(await allowedActions(DESTINATION_BUCKET_POLICY, base, actionsTaking("s3", "object"), () => DEST_OBJECT)).toEqual([
      "s3:ObjectOwnerOverrideToBucketOwner",
      "s3:ReplicateObject",
      "s3:ReplicateTags",
    ]);
    expect(await allowedActions(DESTINATION_BUCKET_POLICY, base, actionsTaking("s3", "bucket"), () => DEST_BUCKET)).toEqual([]);
    expect(await allowedActions(DESTINATION_BUCKET_POLICY, base, actionsTaking("s3", "object"), () => `arn:aws:s3:::other-bucket/${LOG_KEY}`)).toEqual([]);
  });

  test("without Object Lock the role does not read retention or legal holds", async () => {
    const unlocked = await synthesizeAudit(configFromYaml(archiveYaml().replace("  objectLock:\n    mode: governance\n    retentionDays: 365\n", "")));
    const actions = unlocked.policy("aws_iam_role_policy", "replication-role-policy").Statement.flatMap((s) => s.Action as string[]);
    expect(actions.filter((a) => /Retention|LegalHold/.test(a))).toEqual([]);
  });

  test("the trail key: the role decrypts this trail's log files through S3 in the home region, and nothing else; the alarm key gives it nothing", async () => {
    expect(await onKey(keyPolicy(archive, "trail-key"), REPLICATION_ROLE, REPLICATION_DECRYPT, asRole())).toEqual(["kms:Decrypt"]);
    expect(await onKey(keyPolicy(archive, "alarm-key"), REPLICATION_ROLE, REPLICATION_DECRYPT, asRole())).toEqual([]);
  });

  test.each([
    ["outside S3 (called directly)", { ...REPLICATION_DECRYPT, "kms:ViaService": "ec2.us-east-1.amazonaws.com" }],
    ["through S3 in another region", { ...REPLICATION_DECRYPT, "kms:ViaService": "s3.us-west-2.amazonaws.com" }],
    ["without a service", { "kms:EncryptionContext:aws:cloudtrail:arn": TRAIL_ARN, "kms:EncryptionContext:aws:s3:arn": LOG_OBJECT }],
    ["another trail's file", { ...REPLICATION_DECRYPT, "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:us-east-1:${PAYMENTS}:trail/other` }],
    ["an object of another bucket", { ...REPLICATION_DECRYPT, "kms:EncryptionContext:aws:s3:arn": `arn:aws:s3:::app-assets/${LOG_KEY}` }],
    ["an object outside AWSLogs/", { ...REPLICATION_DECRYPT, "kms:EncryptionContext:aws:s3:arn": `${BUCKET}/exports/x.json` }],
  ] as Array<[string, Record<string, string>]>)("near miss: no decrypt %s", async (_name, context) => {
    expect(
      await decideOnResource(keyPolicy(archive, "trail-key"), {
        caller: REPLICATION_ROLE,
        action: "kms:Decrypt",
        resource: KEY_ARN,
        resourceAccount: AUDIT,
        context,
      }),
    ).toBe("ImplicitlyDenied");
  });

  test("the destination key: encrypt the copies through S3 in the destination region, and nothing else (with the documented key policy)", async () => {
    const base = { caller: REPLICATION_ROLE, resourceAccount: ARCHIVE, context: REPLICA_ENCRYPT, identityPolicies: asRole() };
    expect(await allowedActions(DESTINATION_KEY_POLICY, base, actionsTaking("kms", "key"), () => DEST_KEY)).toEqual(["kms:Encrypt"]);
    for (const context of [
      { ...REPLICA_ENCRYPT, "kms:ViaService": "s3.us-east-1.amazonaws.com" },
      { ...REPLICA_ENCRYPT, "kms:EncryptionContext:aws:s3:arn": `arn:aws:s3:::other-bucket/${LOG_KEY}` },
    ]) {
      expect(await decideOnResource(DESTINATION_KEY_POLICY, { ...base, context, action: "kms:Encrypt", resource: DEST_KEY })).toBe("ImplicitlyDenied");
    }
    // The role's own policy is needed too: the key policy alone does not grant across accounts.
    expect(await decideOnResource(DESTINATION_KEY_POLICY, { ...base, identityPolicies: [], action: "kms:Encrypt", resource: DEST_KEY })).toBe(
      "ImplicitlyDenied",
    );
  });

  test("no wildcard action in the role policy; every action is in the reference data", () => {
    for (const action of rolePolicy().Statement.flatMap((s) => s.Action as string[])) {
      expect(action).not.toMatch(/[*?]/);
      expect(catalog.action(action)?.name).toBe(action);
    }
  });

  test("the replication rule: SSE-KMS files under AWSLogs/, re-encrypted with the destination key, owned by the destination account, delete markers left behind", () => {
    const replication = archive.resource("aws_s3_bucket_replication_configuration", "log-bucket-replication");
    expect(replication).toMatchObject({
      bucket: "${aws_s3_bucket.log-bucket.id}",
      role: "${aws_iam_role.replication-role.arn}",
      depends_on: ["aws_s3_bucket_versioning.log-bucket-versioning", "aws_iam_role_policy.replication-role-policy"],
      rule: [
        {
          status: "Enabled",
          filter: { prefix: "AWSLogs/" },
          delete_marker_replication: { status: "Disabled" },
          source_selection_criteria: { sse_kms_encrypted_objects: { status: "Enabled" } },
          destination: {
            bucket: DEST_BUCKET,
            account: ARCHIVE,
            access_control_translation: { owner: "Destination" },
            encryption_configuration: { replica_kms_key_id: DEST_KEY },
          },
        },
      ],
    });
    // KMS refuses a key policy naming a role that does not exist yet; CloudTrail must not write before replication is on.
    expect(archive.resource("aws_kms_key", "trail-key").depends_on).toEqual(["aws_iam_role.replication-role"]);
    expect(archive.resource("aws_s3_bucket_policy", "log-bucket-policy").depends_on).toContain(
      "aws_s3_bucket_replication_configuration.log-bucket-replication",
    );
    expect(sample.resources("aws_s3_bucket_replication_configuration")).toEqual({});
    expect(JSON.stringify(keyPolicy(sample, "trail-key"))).not.toContain("Replication");
  });
});

describe("config checks of the archive", () => {
  const problems = (yaml: string) => {
    try {
      configFromYaml(yaml);
      return [];
    } catch (error) {
      if (error instanceof ConfigError) return error.problems.map((p) => `${p.path}: ${p.message}`);
      throw error;
    }
  };
  const warnings = (yaml: string) => findWarnings(configFromYaml(yaml)).map((p) => `${p.path}: ${p.message}`);
  const withAdministrators = (list: string) =>
    archiveYaml().replace(`keyAdministrators: [arn:aws:iam::${AUDIT}:role/key-custodian]`, `keyAdministrators: [${list}]`);

  test("a key administrator of an account outside the organization is an error naming the field and the fix", () => {
    expect(problems(withAdministrators("arn:aws:iam::999999999999:role/key-custodian"))).toEqual([
      "auditTrail.keyAdministrators[0]: account 999999999999 is not in organization.accounts; add it there or use an account of this organization",
    ]);
  });

  test("a key administrator listed twice, or naming the deployment or break-glass role, is a warning naming the field", () => {
    const custodian = `arn:aws:iam::${AUDIT}:role/key-custodian`;
    const out = warnings(
      withAdministrators(
        `${custodian}, ${custodian}, arn:aws:iam::${AUDIT}:role/platform-governance-deployer, arn:aws:iam::${MANAGEMENT}:role/platform-break-glass`,
      ),
    );
    expect(out.filter((w) => w.startsWith("auditTrail.keyAdministrators"))).toEqual([
      `auditTrail.keyAdministrators[1]: ${custodian} is already listed at auditTrail.keyAdministrators[0]; remove the repeat`,
      `auditTrail.keyAdministrators[2]: arn:aws:iam::${AUDIT}:role/platform-governance-deployer is the deployment role, which always administers the trail and alarm keys; remove it here`,
      `auditTrail.keyAdministrators[3]: arn:aws:iam::${MANAGEMENT}:role/platform-break-glass is deployment.breakGlassRoleArn, which always administers the trail and alarm keys; remove it here`,
    ]);
    expect(warnings(archiveYaml()).filter((w) => w.startsWith("auditTrail."))).toEqual([]);
    expect(warnings(withAdministrators(`arn:aws-cn:iam::${AUDIT}:role/key-custodian`)).filter((w) => w.startsWith("auditTrail.keyAdministrators"))).toEqual([
      `auditTrail.keyAdministrators[0]: arn:aws-cn:iam::${AUDIT}:role/key-custodian is in partition aws-cn, but deployment.homeRegion puts the organization in aws, so it can never match; write arn:aws:…`,
    ]);
  });

  test("a lock longer than the lifecycle, and compliance mode, are warnings that say what they cost", () => {
    const longer = warnings(sampleYaml().replace("    mode: governance\n    retentionDays: 365", "    mode: compliance\n    retentionDays: 400"));
    expect(longer.filter((w) => w.startsWith("auditTrail.objectLock"))).toEqual([
      "auditTrail.objectLock.retentionDays: each log file is locked for 400 days, longer than auditTrail.logLifecycleDays (365), and S3 lifecycle cannot delete a locked version, so every log file is kept, and billed, for at least 400 days; lower retentionDays to 365 or less, or raise logLifecycleDays to 400 to say what is kept",
      "auditTrail.objectLock.mode: compliance mode is irreversible: for 400 days after it is written, nobody (not the deployment role, the break-glass role or the account's root user) can delete a log file version or shorten its lock, the bucket cannot be deleted before the last lock ends, and Object Lock stays on the bucket for good; use governance unless a regulation requires compliance",
    ]);
    expect(warnings(sampleYaml()).filter((w) => w.startsWith("auditTrail.objectLock"))).toEqual([]);
  });

  test("a destination key outside the destination region, or the log bucket as its own destination, is an error", () => {
    expect(problems(archiveYaml().replace(DEST_KEY, DEST_KEY.replace("us-west-2", "eu-west-1")))).toEqual([
      "auditTrail.replication.destinationKeyArn: the key is in eu-west-1, but the destination bucket is in us-west-2 (destinationRegion), and S3 encrypts copies only with a key of the bucket's region; use a key of us-west-2",
    ]);
    expect(
      problems(archiveYaml().replace("destinationBucket: org-audit-archive-copy", "destinationBucket: claude-platform-governance-logs-222222222222")),
    ).toEqual([
      "auditTrail.replication.destinationBucket: claude-platform-governance-logs-222222222222 is the log bucket itself; name a bucket in another account or region",
    ]);
  });
});

describe("tamper protection over the archive (organization stack, iam-simulate)", () => {
  const LOCKED_FILE = LOG_OBJECT;
  let chain: ChainLevel[];
  beforeAll(async () => {
    chain = (await accountChains(configFromYaml(archiveYaml()))).get(AUDIT)!;
  });

  test("nobody in a member account may bypass governance-mode retention on the log files, the deployment role included", async () => {
    for (const principal of [AUDIT_ADMIN, DEPLOYER]) {
      expect(await decide(chain, { principal, action: "s3:BypassGovernanceRetention", resource: LOCKED_FILE })).toEqual({
        result: "ExplicitlyDenied",
        deniedBy: ["ProtectGovernanceLogRetention"],
      });
    }
    // Another bucket's objects are the teams' own.
    expect((await decide(chain, { principal: AUDIT_ADMIN, action: "s3:BypassGovernanceRetention", resource: "arn:aws:s3:::team-data/x" })).result).toBe(
      "Allowed",
    );
  });

  test("a log file's retention or legal hold is changed by nobody but the deployment role", async () => {
    for (const action of ["s3:PutObjectRetention", "s3:PutObjectLegalHold"]) {
      expect(await decide(chain, { principal: AUDIT_ADMIN, action, resource: LOCKED_FILE })).toEqual({
        result: "ExplicitlyDenied",
        deniedBy: ["ProtectGovernanceLogFiles"],
      });
    }
  });

  test("a configured key administrator may recover the governance keys; an administrator of the account may not", async () => {
    const context = { "kms:ResourceAliases": ["alias/claude-platform-governance"] };
    for (const action of ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"]) {
      // The SCPs leave the custodian to the key policy (proven above); KMS without a key policy in this simulation is an implicit deny.
      expect({ action, ...(await decide(chain, { principal: CUSTODIAN, action, resource: KEY_ARN, context })) }).toEqual({
        action,
        result: "ImplicitlyDenied",
        deniedBy: [],
      });
      expect({ action, ...(await decide(chain, { principal: AUDIT_ADMIN, action, resource: KEY_ARN, context })) }).toEqual({
        action,
        result: "ExplicitlyDenied",
        deniedBy: ["ProtectGovernanceKeys"],
      });
    }
  });

  test("the replication role is guarded like the delivery role: nobody but the deployment role changes, trusts or passes it", async () => {
    for (const action of ["iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:DeleteRolePolicy"]) {
      expect({ action, ...(await decide(chain, { principal: AUDIT_ADMIN, action, resource: REPLICATION_ROLE_ARN })) }).toEqual({
        action,
        result: "ExplicitlyDenied",
        deniedBy: ["ProtectBaselineRoles"],
      });
      expect((await decide(chain, { principal: DEPLOYER, action, resource: REPLICATION_ROLE_ARN })).result).toBe("Allowed");
    }
  });
});

test("the synth summary names who administers the keys, the lock and the copy", async () => {
  const plan = await planBaseline(configFromYaml(archiveYaml()));
  expect(auditSummary(plan.audit!)).toContain(
    "    archive: 3 key administrators; Object Lock governance mode, 365 days; replicated to org-audit-archive-copy (account 444444444444)",
  );
});
