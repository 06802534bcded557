/**
 * Least privilege of the audit stack's policies, proven with iam-simulate on the documents as
 * synthesized (cdk.tf.json): the CloudWatch Logs delivery role (trust and permissions), the log
 * bucket and access-log bucket policies, the trail key and alarm key policies, and the alarm topic
 * policy. Each is literal (names and ARNs computed from the config), so each is simulated as sent.
 * For every principal the policy admits, the set of actions it may perform is enumerated over the
 * reference data and compared with the expected set; near misses show each condition is needed.
 */
import { Catalog } from "../policies/catalog";
import { synthesizeAudit, type AuditStackView } from "./harness/audit";
import { allowedActions, decideOnResource, KEY_ADMINISTRATION, KEY_DESCRIPTION, type Caller, type ResourceRequest } from "./harness/resource-policy";
import type { Principal } from "./harness/simulate";
import { configFromYaml, sampleConfig, sampleYaml } from "./harness/synth";

const MANAGEMENT = "111111111111";
const AUDIT = "222222222222";
const PAYMENTS = "333333333333";
const ORG = "o-a1b2c3d4e5";
const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${MANAGEMENT}:trail/claude-platform-governance`;
const BUCKET = "arn:aws:s3:::claude-platform-governance-logs-222222222222";
const ACCESS_BUCKET = "arn:aws:s3:::claude-platform-governance-access-logs-222222222222";
const LOG_GROUP = `arn:aws:logs:us-east-1:${AUDIT}:log-group:/claude-platform/cloudtrail`;
const ROLE_ARN = `arn:aws:iam::${AUDIT}:role/claude-platform-governance-delivery`;
const KEY_ARN = `arn:aws:kms:us-east-1:${AUDIT}:key/11111111-2222-3333-4444-555555555555`;
const TOPIC_ARN = `arn:aws:sns:us-east-1:${AUDIT}:claude-platform-governance-alarms`;
const ALARM_ARN = `arn:aws:cloudwatch:us-east-1:${AUDIT}:alarm:claude-platform-governance-trail-changes`;
const CLOUDTRAIL: Caller = { service: "cloudtrail.amazonaws.com" };
const LOGS: Caller = { service: "logs.us-east-1.amazonaws.com" };
const CLOUDWATCH: Caller = { service: "cloudwatch.amazonaws.com" };
const S3_LOGGING: Caller = { service: "logging.s3.amazonaws.com" };
const DEPLOYER: Principal = { account: AUDIT, role: "platform-governance-deployer" };
const AUDIT_ADMIN: Principal = { account: AUDIT, role: "Administrator" };
const DELIVERY_ROLE: Principal = { account: AUDIT, role: "claude-platform-governance-delivery" };
const stream = (name: string, group = LOG_GROUP) => `${group}:log-stream:${name}`;
const logObject = (key: string, bucket = BUCKET) => `${bucket}/${key}`;
const ORG_LOG = logObject(`AWSLogs/${ORG}/${PAYMENTS}/CloudTrail/us-east-1/2026/11/20/${PAYMENTS}_CloudTrail_us-east-1_20261120T1000Z_abc.json.gz`);
const TRAIL_WRITE = { "aws:SourceArn": TRAIL_ARN, "aws:SourceOrgID": ORG, "s3:x-amz-acl": "bucket-owner-full-control" };
const TRAIL_KEY_CONTEXT = { "aws:SourceArn": TRAIL_ARN, "kms:EncryptionContext:aws:cloudtrail:arn": TRAIL_ARN };

let stack: AuditStackView;
let catalog: Catalog;

beforeAll(async () => {
  stack = await synthesizeAudit(sampleConfig());
  catalog = await Catalog.load(["kms", "s3", "logs", "sns", "sts"]);
});

/** Actions of a service that take the given resource type, fully named. */
const actionsTaking = (service: string, resourceType: string) =>
  catalog
    .actionsOf(service)
    .filter((a) => a.resourceTypes.some((t) => t.toLowerCase() === resourceType))
    .map((a) => a.name);

const trust = () => stack.policy("aws_iam_role", "delivery-role", "assume_role_policy");
const rolePolicy = () => stack.policy("aws_iam_role_policy", "delivery-role-policy");
const bucketPolicy = () => stack.policy("aws_s3_bucket_policy", "log-bucket-policy");
const accessLogPolicy = () => stack.policy("aws_s3_bucket_policy", "access-log-bucket-policy");
const trailKey = () => stack.policy("aws_kms_key", "trail-key");
const alarmKey = () => stack.policy("aws_kms_key", "alarm-key");
const topicPolicy = () => stack.policy("aws_sns_topic_policy", "alarm-topic-policy");

const on = (policy: unknown, request: ResourceRequest) => decideOnResource(policy, request);
const asRole = (identityPolicy: unknown) => [{ name: "delivery", policy: identityPolicy }];

describe("delivery role: trusted only by CloudTrail for this trail", () => {
  const assume = (caller: Caller, context: Record<string, string> = {}) =>
    on(trust(), { caller, action: "sts:AssumeRole", resource: ROLE_ARN, resourceAccount: AUDIT, context, identityPolicies: [] });

  test("CloudTrail may assume it for the governance trail, and may do nothing else with it", async () => {
    expect(await assume(CLOUDTRAIL, { "aws:SourceArn": TRAIL_ARN })).toBe("Allowed");
    const base = { caller: CLOUDTRAIL, resourceAccount: AUDIT, context: { "aws:SourceArn": TRAIL_ARN } };
    expect(await allowedActions(trust(), base, actionsTaking("sts", "role"), () => ROLE_ARN)).toEqual(["sts:AssumeRole"]);
  });

  test.each([
    [
      "CloudTrail for another trail of the same name in another account",
      CLOUDTRAIL,
      { "aws:SourceArn": `arn:aws:cloudtrail:us-east-1:${PAYMENTS}:trail/claude-platform-governance` },
    ],
    ["CloudTrail for another trail", CLOUDTRAIL, { "aws:SourceArn": `arn:aws:cloudtrail:us-east-1:${MANAGEMENT}:trail/other` }],
    ["CloudTrail with no source trail", CLOUDTRAIL, {}],
    ["CloudWatch Logs", LOGS, { "aws:SourceArn": TRAIL_ARN }],
    ["an administrator of the audit account", AUDIT_ADMIN, {}],
  ] as Array<[string, Caller, Record<string, string>]>)("near miss: %s cannot assume it", async (_name, caller, context) => {
    expect(await assume(caller, context)).toBe("ImplicitlyDenied");
  });
});

describe("delivery role permissions: create streams and put events in the trail's log group only", () => {
  const as = (action: string, resource: string) =>
    on(undefined, { caller: DELIVERY_ROLE, action, resource, resourceAccount: AUDIT, identityPolicies: asRole(rolePolicy()) });

  test.each([
    `${AUDIT}_CloudTrail_us-east-1`,
    `111111111111_CloudTrail_us-east-1`,
    `${AUDIT}_CloudTrail_us-east-1_2`,
    `${ORG}_${PAYMENTS}_CloudTrail_us-east-1`,
  ])("may create and write stream %s", async (name) => {
    expect(await as("logs:CreateLogStream", stream(name))).toBe("Allowed");
    expect(await as("logs:PutLogEvents", stream(name))).toBe("Allowed");
  });

  test("nothing else on the log group or any stream: of every CloudWatch Logs action, only these two", async () => {
    const base = { caller: DELIVERY_ROLE, resourceAccount: AUDIT, identityPolicies: asRole(rolePolicy()) };
    const onStream = await allowedActions(undefined, base, actionsTaking("logs", "log-stream"), () => stream(`${AUDIT}_CloudTrail_us-east-1`));
    const onGroup = await allowedActions(undefined, base, actionsTaking("logs", "log-group"), () => LOG_GROUP);
    expect(onStream).toEqual(["logs:CreateLogStream", "logs:PutLogEvents"]);
    expect(onGroup).toEqual([]);
  });

  test.each([
    ["a stream outside CloudTrail's names", stream("attacker")],
    ["another organization's streams", stream(`o-zzzzzzzzzz_${PAYMENTS}_CloudTrail_us-east-1`)],
    ["the same stream in another log group", stream(`${AUDIT}_CloudTrail_us-east-1`, `arn:aws:logs:us-east-1:${AUDIT}:log-group:/aws/lambda/app`)],
    [
      "a log group of the same name in another region",
      stream(`${AUDIT}_CloudTrail_us-east-1`, `arn:aws:logs:us-west-2:${AUDIT}:log-group:/claude-platform/cloudtrail`),
    ],
  ])("near miss: cannot write %s", async (_name, resource) => {
    expect(await as("logs:PutLogEvents", resource)).toBe("ImplicitlyDenied");
  });
});

describe("log bucket policy: CloudTrail writes only for this trail and organization; TLS only; nothing public", () => {
  const cloudtrail = (action: string, resource: string, context: Record<string, string>) =>
    on(bucketPolicy(), { caller: CLOUDTRAIL, action, resource, resourceAccount: AUDIT, context });

  test("CloudTrail may check the ACL and write the organization's log files, and nothing else", async () => {
    expect(await cloudtrail("s3:GetBucketAcl", BUCKET, { "aws:SourceArn": TRAIL_ARN })).toBe("Allowed");
    expect(await cloudtrail("s3:PutObject", ORG_LOG, TRAIL_WRITE)).toBe("Allowed");
    const base = { caller: CLOUDTRAIL, resourceAccount: AUDIT, context: TRAIL_WRITE };
    expect(await allowedActions(bucketPolicy(), base, actionsTaking("s3", "bucket"), () => BUCKET)).toEqual(["s3:GetBucketAcl"]);
    expect(await allowedActions(bucketPolicy(), base, actionsTaking("s3", "object"), () => ORG_LOG)).toEqual(["s3:PutObject"]);
  });

  test("CloudTrail may write the trail owner's (management account's) own folder, which CreateTrail checks for an organization trail", async () => {
    const ownerLog = logObject(`AWSLogs/${MANAGEMENT}/CloudTrail/us-east-1/2026/11/20/${MANAGEMENT}_CloudTrail_us-east-1_20261120T1000Z_abc.json.gz`);
    expect(await cloudtrail("s3:PutObject", ownerLog, { "aws:SourceArn": TRAIL_ARN, "s3:x-amz-acl": "bucket-owner-full-control" })).toBe("Allowed");
    expect(
      await cloudtrail("s3:PutObject", ownerLog, {
        "aws:SourceArn": `arn:aws:cloudtrail:us-east-1:${MANAGEMENT}:trail/other`,
        "s3:x-amz-acl": "bucket-owner-full-control",
      }),
    ).toBe("ImplicitlyDenied");
    expect(await cloudtrail("s3:PutObject", ownerLog, { "aws:SourceArn": TRAIL_ARN, "s3:x-amz-acl": "private" })).toBe("ImplicitlyDenied");
  });

  test.each([
    ["without bucket-owner-full-control", ORG_LOG, { ...TRAIL_WRITE, "s3:x-amz-acl": "private" }],
    ["for another trail", ORG_LOG, { ...TRAIL_WRITE, "aws:SourceArn": `arn:aws:cloudtrail:us-east-1:${PAYMENTS}:trail/exfil` }],
    ["for another organization", logObject("AWSLogs/o-zzzzzzzzzz/999999999999/x.json.gz"), { ...TRAIL_WRITE, "aws:SourceOrgID": "o-zzzzzzzzzz" }],
    ["from outside the organization, to the right prefix", ORG_LOG, { ...TRAIL_WRITE, "aws:SourceOrgID": "o-zzzzzzzzzz" }],
    ["outside AWSLogs/<org id>/", logObject(`AWSLogs/${PAYMENTS}/x.json.gz`), TRAIL_WRITE],
    ["with no source trail", ORG_LOG, { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceOrgID": ORG }],
  ] as Array<[string, string, Record<string, string>]>)("near miss: CloudTrail cannot write %s", async (_name, resource, context) => {
    expect(await cloudtrail("s3:PutObject", resource, context)).toBe("ImplicitlyDenied");
  });

  test("CloudTrail.6: anonymous callers and other accounts' administrators can read or list nothing", async () => {
    for (const [action, resource] of [
      ["s3:GetObject", ORG_LOG],
      ["s3:ListBucket", BUCKET],
      ["s3:GetBucketAcl", BUCKET],
    ] as const) {
      expect(await on(bucketPolicy(), { caller: "anonymous", action, resource, resourceAccount: AUDIT })).toBe("ImplicitlyDenied");
      expect(await on(bucketPolicy(), { caller: { account: PAYMENTS, role: "Administrator" }, action, resource, resourceAccount: AUDIT })).toBe(
        "ImplicitlyDenied",
      );
    }
    const anyone = bucketPolicy().Statement.filter((s) => s.Effect === "Allow" && (s.Principal === "*" || JSON.stringify(s.Principal).includes('"*"')));
    expect(anyone).toEqual([]);
  });

  test("TLS only: even the audit account's administrator is refused over plain HTTP", async () => {
    const http = { "aws:SecureTransport": "false" };
    expect(await on(bucketPolicy(), { caller: AUDIT_ADMIN, action: "s3:GetObject", resource: ORG_LOG, resourceAccount: AUDIT, context: http })).toBe(
      "ExplicitlyDenied",
    );
    expect(await on(bucketPolicy(), { caller: AUDIT_ADMIN, action: "s3:PutBucketPolicy", resource: BUCKET, resourceAccount: AUDIT, context: http })).toBe(
      "ExplicitlyDenied",
    );
  });
});

describe("access-log bucket policy: S3 server access logging of the log bucket only", () => {
  const ACCESS_LOG = logObject("claude-platform-governance-logs-222222222222/2026-11-20-10-00-00-ABCDEF", ACCESS_BUCKET);
  const fromLogBucket = { "aws:SourceArn": BUCKET, "aws:SourceAccount": AUDIT };

  test("S3 logging may write the log bucket's access logs under its prefix, and nothing else", async () => {
    const base = { caller: S3_LOGGING, resourceAccount: AUDIT, context: fromLogBucket };
    expect(await allowedActions(accessLogPolicy(), base, actionsTaking("s3", "object"), () => ACCESS_LOG)).toEqual(["s3:PutObject"]);
    expect(await allowedActions(accessLogPolicy(), base, actionsTaking("s3", "bucket"), () => ACCESS_BUCKET)).toEqual([]);
  });

  test.each([
    ["for another bucket", ACCESS_LOG, { ...fromLogBucket, "aws:SourceArn": "arn:aws:s3:::app-assets" }],
    ["for a bucket in another account", ACCESS_LOG, { ...fromLogBucket, "aws:SourceAccount": PAYMENTS }],
    ["outside the log bucket's prefix", logObject("other-prefix/x", ACCESS_BUCKET), fromLogBucket],
  ] as Array<[string, string, Record<string, string>]>)("near miss: cannot write %s", async (_name, resource, context) => {
    expect(await on(accessLogPolicy(), { caller: S3_LOGGING, action: "s3:PutObject", resource, resourceAccount: AUDIT, context })).toBe("ImplicitlyDenied");
  });
});

describe("trail key policy: CloudTrail and CloudWatch Logs with their encryption context, and nobody else but the key administrator", () => {
  const keyActions = () => actionsTaking("kms", "key");
  const allowedOnKey = (policy: unknown, caller: Caller, context: Record<string, string> = {}, identityPolicies?: ResourceRequest["identityPolicies"]) =>
    allowedActions(policy, { caller, resourceAccount: AUDIT, context, identityPolicies }, keyActions(), () => KEY_ARN);

  test("CloudTrail may generate data keys for this trail's log files and describe the key, nothing else", async () => {
    expect(await allowedOnKey(trailKey(), CLOUDTRAIL, TRAIL_KEY_CONTEXT)).toEqual(["kms:DescribeKey", "kms:GenerateDataKey"]);
  });

  test.each([
    [
      "another trail's encryption context",
      { ...TRAIL_KEY_CONTEXT, "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:us-east-1:${PAYMENTS}:trail/exfil` },
    ],
    ["another source trail", { ...TRAIL_KEY_CONTEXT, "aws:SourceArn": `arn:aws:cloudtrail:us-east-1:${PAYMENTS}:trail/exfil` }],
    ["no encryption context", { "aws:SourceArn": TRAIL_ARN }],
  ] as Array<[string, Record<string, string>]>)("near miss: CloudTrail with %s gets no data key", async (_name, context) => {
    expect(await on(trailKey(), { caller: CLOUDTRAIL, action: "kms:GenerateDataKey", resource: KEY_ARN, resourceAccount: AUDIT, context })).toBe(
      "ImplicitlyDenied",
    );
  });

  test("CloudWatch Logs (the home region's principal) may use the key for the trail's log group only", async () => {
    const context = { "kms:EncryptionContext:aws:logs:arn": LOG_GROUP };
    expect(await allowedOnKey(trailKey(), LOGS, context)).toEqual([
      "kms:Decrypt",
      "kms:Encrypt",
      "kms:GenerateDataKey",
      "kms:GenerateDataKeyWithoutPlaintext",
      "kms:ReEncryptFrom",
      "kms:ReEncryptTo",
    ]);
    expect(await allowedOnKey(trailKey(), LOGS, { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:us-east-1:${AUDIT}:log-group:/aws/lambda/app` })).toEqual(
      [],
    );
    expect(await allowedOnKey(trailKey(), { service: "logs.us-west-2.amazonaws.com" }, context)).toEqual([]);
  });

  test("the deployment role administers the key (from the key policy alone) but can never use it", async () => {
    expect(await allowedOnKey(trailKey(), DEPLOYER, {}, [])).toEqual(KEY_ADMINISTRATION);
    for (const action of ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:CreateGrant", "kms:DisableKeyRotation"]) {
      expect({ action, result: await on(trailKey(), { caller: DEPLOYER, action, resource: KEY_ARN, resourceAccount: AUDIT }) }).toEqual({
        action,
        result: "ImplicitlyDenied",
      });
    }
  });

  test.each([
    ["the audit account's administrator (AdministratorAccess)", AUDIT_ADMIN],
    ["the deployment role of another account", { account: PAYMENTS, role: "platform-governance-deployer" }],
    ["CloudWatch (alarms)", CLOUDWATCH],
  ] as Array<[string, Caller]>)("nobody else: %s may do nothing with the key", async (_name, caller) => {
    expect(await allowedOnKey(trailKey(), caller, TRAIL_KEY_CONTEXT)).toEqual([]);
  });
});

describe("deployment.planRoleName: the pull-request plan role may describe both keys, and nothing else", () => {
  const PLAN_ROLE: Principal = { account: AUDIT, role: "claude-platform-pr-plan" };
  let planned: AuditStackView;

  beforeAll(async () => {
    planned = await synthesizeAudit(
      configFromYaml(
        sampleYaml().replace(
          "  roleName: platform-governance-deployer\n",
          "  roleName: platform-governance-deployer\n  planRoleName: claude-platform-pr-plan\n",
        ),
      ),
    );
  });

  test.each(["trail-key", "alarm-key"])(
    "%s: the plan role reads the key's settings from the key policy alone; it cannot use or change the key",
    async (key) => {
      const policy = planned.policy("aws_kms_key", key, "policy");
      const allowed = await allowedActions(
        policy,
        { caller: PLAN_ROLE, resourceAccount: AUDIT, context: TRAIL_KEY_CONTEXT, identityPolicies: [] },
        actionsTaking("kms", "key"),
        () => KEY_ARN,
      );
      expect(allowed).toEqual(KEY_DESCRIPTION);
      // The same role in another account, or a look-alike name, gets nothing.
      for (const caller of [
        { account: PAYMENTS, role: "claude-platform-pr-plan" },
        { account: AUDIT, role: "claude-platform-pr-plan-2" },
      ] as Principal[]) {
        expect(
          await allowedActions(
            policy,
            { caller, resourceAccount: AUDIT, context: TRAIL_KEY_CONTEXT, identityPolicies: [] },
            actionsTaking("kms", "key"),
            () => KEY_ARN,
          ),
        ).toEqual([]);
      }
      // The deployment role still administers it exactly as before.
      expect(
        await allowedActions(
          policy,
          { caller: DEPLOYER, resourceAccount: AUDIT, context: {}, identityPolicies: [] },
          actionsTaking("kms", "key"),
          () => KEY_ARN,
        ),
      ).toEqual(KEY_ADMINISTRATION);
    },
  );

  test("without planRoleName (the sample) no key policy names a plan role", () => {
    for (const key of ["trail-key", "alarm-key"]) expect(JSON.stringify(stack.policy("aws_kms_key", key, "policy"))).not.toContain("KeyDescriptionForPlans");
  });
});

describe("alarm key policy and topic policy: only this trail's alarms publish to the encrypted topic", () => {
  const alarmSource = { "aws:SourceArn": ALARM_ARN, "aws:SourceAccount": AUDIT };

  test("CloudWatch may encrypt for the topic (Decrypt, GenerateDataKey); the deployment role administers; nobody else", async () => {
    const allowedOnKey = (caller: Caller, identityPolicies?: ResourceRequest["identityPolicies"]) =>
      allowedActions(alarmKey(), { caller, resourceAccount: AUDIT, context: alarmSource, identityPolicies }, actionsTaking("kms", "key"), () => KEY_ARN);
    expect(await allowedOnKey(CLOUDWATCH)).toEqual(["kms:Decrypt", "kms:GenerateDataKey"]);
    expect(await allowedOnKey(DEPLOYER, [])).toEqual(KEY_ADMINISTRATION);
    expect(await allowedOnKey(AUDIT_ADMIN)).toEqual([]);
    expect(await allowedOnKey(CLOUDTRAIL)).toEqual([]);
  });

  test("the topic admits Publish from this trail's alarms, and nothing else from anyone outside the account", async () => {
    const base = { caller: CLOUDWATCH, resourceAccount: AUDIT, context: alarmSource };
    expect(await allowedActions(topicPolicy(), base, actionsTaking("sns", "topic"), () => TOPIC_ARN)).toEqual(["sns:Publish"]);
    expect(
      await allowedActions(
        topicPolicy(),
        { caller: { account: PAYMENTS, role: "Administrator" }, resourceAccount: AUDIT },
        actionsTaking("sns", "topic"),
        () => TOPIC_ARN,
      ),
    ).toEqual([]);
  });

  test.each([
    [
      "an alarm of another account",
      CLOUDWATCH,
      { "aws:SourceArn": `arn:aws:cloudwatch:us-east-1:${PAYMENTS}:alarm:claude-platform-governance-trail-changes`, "aws:SourceAccount": PAYMENTS },
    ],
    ["an alarm not of this trail", CLOUDWATCH, { "aws:SourceArn": `arn:aws:cloudwatch:us-east-1:${AUDIT}:alarm:billing`, "aws:SourceAccount": AUDIT }],
    ["EventBridge", { service: "events.amazonaws.com" }, alarmSource],
    ["an anonymous caller", "anonymous", {}],
  ] as Array<[string, Caller, Record<string, string>]>)("near miss: %s cannot publish", async (_name, caller, context) => {
    expect(await on(topicPolicy(), { caller, action: "sns:Publish", resource: TOPIC_ARN, resourceAccount: AUDIT, context })).toBe("ImplicitlyDenied");
  });

  test("TLS only: publishing over plain HTTP is refused even inside the account", async () => {
    expect(
      await on(topicPolicy(), {
        caller: AUDIT_ADMIN,
        action: "sns:Publish",
        resource: TOPIC_ARN,
        resourceAccount: AUDIT,
        context: { "aws:SecureTransport": "false" },
      }),
    ).toBe("ExplicitlyDenied");
  });
});

describe("structure", () => {
  test("the stack's seven policy arguments are literal minified JSON (no Terraform references), so what is simulated is what is sent", () => {
    const found: string[] = [];
    for (const [type, byName] of Object.entries(stack.json.resource ?? {})) {
      for (const [name, resource] of Object.entries(byName)) {
        for (const argument of ["policy", "assume_role_policy"]) {
          const text = resource[argument];
          if (text === undefined) continue;
          expect({
            at: `${type}.${name}.${argument}`,
            literal: typeof text === "string" && !text.includes("${") && JSON.stringify(JSON.parse(text)) === text,
          }).toEqual({
            at: `${type}.${name}.${argument}`,
            literal: true,
          });
          found.push(`${type}.${name}`);
        }
      }
    }
    expect(found.sort()).toEqual([
      "aws_iam_role.delivery-role",
      "aws_iam_role_policy.delivery-role-policy",
      "aws_kms_key.alarm-key",
      "aws_kms_key.trail-key",
      "aws_s3_bucket_policy.access-log-bucket-policy",
      "aws_s3_bucket_policy.log-bucket-policy",
      "aws_sns_topic_policy.alarm-topic-policy",
    ]);
  });

  test("an account trail: CloudTrail writes only under AWSLogs/<audit account>/ from the audit account, and the role has no organization streams", async () => {
    const accountStack = await synthesizeAudit(configFromYaml(sampleYaml().replace("organizationTrail: true", "organizationTrail: false")));
    const accountTrail = `arn:aws:cloudtrail:us-east-1:${AUDIT}:trail/claude-platform-governance`;
    const write = { "aws:SourceArn": accountTrail, "aws:SourceAccount": AUDIT, "s3:x-amz-acl": "bucket-owner-full-control" };
    const policy = accountStack.policy("aws_s3_bucket_policy", "log-bucket-policy");
    const put = (resource: string, context: Record<string, string>) =>
      on(policy, { caller: CLOUDTRAIL, action: "s3:PutObject", resource, resourceAccount: AUDIT, context });
    expect(await put(logObject(`AWSLogs/${AUDIT}/CloudTrail/us-east-1/x.json.gz`), write)).toBe("Allowed");
    expect(await put(logObject(`AWSLogs/${AUDIT}/CloudTrail/us-east-1/x.json.gz`), { ...write, "aws:SourceAccount": PAYMENTS })).toBe("ImplicitlyDenied");
    expect(await put(ORG_LOG, { ...write, "aws:SourceOrgID": ORG })).toBe("ImplicitlyDenied");
    const role = accountStack.policy("aws_iam_role_policy", "delivery-role-policy");
    const writeStream = (name: string) =>
      on(undefined, { caller: DELIVERY_ROLE, action: "logs:PutLogEvents", resource: stream(name), resourceAccount: AUDIT, identityPolicies: asRole(role) });
    expect(await writeStream(`${AUDIT}_CloudTrail_us-east-1`)).toBe("Allowed");
    expect(await writeStream(`${ORG}_${PAYMENTS}_CloudTrail_us-east-1`)).toBe("ImplicitlyDenied");
    expect(accountStack.trail.is_organization_trail).toBe(false);
  });
});

describe("logReaders: named roles may read and decrypt this trail's log files, and only those", () => {
  const READER: Principal = { account: AUDIT, role: "security-investigator" };
  let readers: AuditStackView;
  beforeAll(async () => {
    readers = await synthesizeAudit(
      configFromYaml(sampleYaml().replace("  logGroup:\n", `  logReaders: [arn:aws:iam::${AUDIT}:role/security-investigator]\n  logGroup:\n`)),
    );
  });
  const key = () => readers.policy("aws_kms_key", "trail-key");
  const bucket = () => readers.policy("aws_s3_bucket_policy", "log-bucket-policy");
  const decrypt = (caller: Caller, trailArn: string) =>
    decideOnResource(key(), {
      caller,
      action: "kms:Decrypt",
      resource: KEY_ARN,
      resourceAccount: AUDIT,
      context: { "kms:EncryptionContext:aws:cloudtrail:arn": trailArn },
      identityPolicies: [],
    });

  test("the reader decrypts this trail's log files from the key policy alone, and reads them from the bucket policy alone", async () => {
    expect(await decrypt(READER, TRAIL_ARN)).toBe("Allowed");
    expect(
      await decideOnResource(bucket(), {
        caller: READER,
        action: "s3:GetObject",
        resource: ORG_LOG,
        resourceAccount: AUDIT,
        identityPolicies: [],
        context: { "aws:SecureTransport": "true" },
      }),
    ).toBe("Allowed");
  });

  test("near misses: another trail's files, another role, writing or deleting", async () => {
    expect(await decrypt(READER, `arn:aws:cloudtrail:us-east-1:${PAYMENTS}:trail/other`)).toBe("ImplicitlyDenied");
    expect(await decrypt(AUDIT_ADMIN, TRAIL_ARN)).toBe("ImplicitlyDenied");
    for (const action of ["s3:PutObject", "s3:DeleteObject"]) {
      expect(
        await decideOnResource(bucket(), {
          caller: READER,
          action,
          resource: ORG_LOG,
          resourceAccount: AUDIT,
          identityPolicies: [],
          context: { "aws:SecureTransport": "true" },
        }),
      ).toBe("ImplicitlyDenied");
    }
  });

  test("without logReaders (the sample) neither policy names a reader", () => {
    expect(JSON.stringify(trailKey())).not.toContain("LogReaders");
    expect(JSON.stringify(bucketPolicy())).not.toContain("LogReaders");
  });
});
