/**
 * The audit stack's trail, buckets and log group as synthesized for the sample org and variants:
 * the CIS / Security Hub CloudTrail expectations by construction, the advanced event selectors
 * (Claude Platform data events, the 500-value budget), and the plumbing (encryption, lifecycle,
 * retention, deterministic output, the stack's target account).
 */
import { planBaseline } from "../policies/baseline";
import { SynthesisError } from "../policies/errors";
import { auditSummary, CIS_EXPECTATIONS } from "../policies/trail";
import { ctySetHashBytes, ctySetOrder } from "../policies/trail/selectors";
import { synthesizeAudit, type AuditStackView, type Resource } from "./harness/audit";
import { configFromYaml, sampleConfig, sampleYaml, synthesize } from "./harness/synth";

const AUDIT = "222222222222";
const LOG_GROUP = "/claude-platform/cloudtrail";

type FieldSelector = Record<string, string | string[]>;
type Selector = { name: string; field_selector: FieldSelector[] };

let stack: AuditStackView;
beforeAll(async () => {
  stack = await synthesizeAudit(sampleConfig());
});

const selectors = (view: AuditStackView = stack) => view.trail.advanced_event_selector as Selector[];
const dataSelector = (view: AuditStackView = stack) =>
  selectors(view).find((s) => s.field_selector.some((f) => f.field === "eventCategory" && f.equals?.includes("Data")))!;
const fieldsOf = (selector: Selector) => Object.fromEntries(selector.field_selector.map((f) => [f.field, f]));
const one = (view: AuditStackView, type: string): Resource => {
  const all = Object.values(view.resources(type));
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
};
const bucketResource = (view: AuditStackView, type: string, bucket: "log-bucket" | "access-log-bucket") =>
  Object.values(view.resources(type)).find((r) => r.bucket === `\${aws_s3_bucket.${bucket}.id}`)!;

describe("CIS / Security Hub expectations, by construction", () => {
  test("the list of expectations this stack claims is CloudTrail.1, .2, .4, .5, .6 and .7", () => {
    expect(CIS_EXPECTATIONS.map((e) => e.id)).toEqual(["CloudTrail.1", "CloudTrail.2", "CloudTrail.4", "CloudTrail.5", "CloudTrail.6", "CloudTrail.7"]);
  });

  test("CloudTrail.1: a multi-Region trail with global service events records every read and write management event", () => {
    expect(stack.trail).toMatchObject({ is_multi_region_trail: true, include_global_service_events: true, enable_logging: true, is_organization_trail: true });
    const management = selectors().filter((s) => s.field_selector.some((f) => f.field === "eventCategory" && f.equals?.includes("Management")));
    expect(management).toHaveLength(1);
    // No readOnly, eventName, eventSource or resource filter: all management events, read and write.
    expect(management[0].field_selector).toEqual([{ field: "eventCategory", equals: ["Management"] }]);
  });

  test("CloudTrail.2: the trail is encrypted with a customer-managed KMS key that rotates, which is also the log bucket's default encryption", () => {
    expect(stack.trail.kms_key_id).toBe("${aws_kms_key.trail-key.arn}");
    expect(stack.resource("aws_kms_key", "trail-key")).toMatchObject({ enable_key_rotation: true });
    const sse = bucketResource(stack, "aws_s3_bucket_server_side_encryption_configuration", "log-bucket");
    expect(sse.rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: "${aws_kms_key.trail-key.arn}" }, bucket_key_enabled: false },
    ]);
  });

  test("CloudTrail.4: log file validation is on (Terraform's default is off)", () => {
    expect(stack.trail.enable_log_file_validation).toBe(true);
  });

  test("CloudTrail.5: the trail delivers to the CloudWatch Logs group through the delivery role", () => {
    const group = one(stack, "aws_cloudwatch_log_group");
    expect(group.name).toBe(LOG_GROUP);
    expect(stack.trail.cloud_watch_logs_group_arn).toBe(`arn:aws:logs:us-east-1:${AUDIT}:log-group:${LOG_GROUP}:*`);
    const role = one(stack, "aws_iam_role");
    expect(stack.trail.cloud_watch_logs_role_arn).toBe(`arn:aws:iam::${AUDIT}:role/${role.name}`);
    expect(stack.trail.depends_on).toEqual(expect.arrayContaining(["aws_cloudwatch_log_group.log-group", "aws_iam_role_policy.delivery-role-policy"]));
  });

  test("CloudTrail.6: the log bucket blocks every form of public access and disables ACLs", () => {
    expect(stack.trail.s3_bucket_name).toBe("${aws_s3_bucket.log-bucket.id}");
    expect(stack.resource("aws_s3_bucket", "log-bucket").bucket).toBe(`claude-platform-governance-logs-${AUDIT}`);
    expect(bucketResource(stack, "aws_s3_bucket_public_access_block", "log-bucket")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(bucketResource(stack, "aws_s3_bucket_ownership_controls", "log-bucket").rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
  });

  test("CloudTrail.7: the log bucket's access is logged, into a separate bucket that does not log itself (no loop)", () => {
    const logging = Object.values(stack.resources("aws_s3_bucket_logging"));
    expect(logging).toEqual([expect.objectContaining({ bucket: "${aws_s3_bucket.log-bucket.id}", target_bucket: "${aws_s3_bucket.access-log-bucket.id}" })]);
    expect(stack.resource("aws_s3_bucket", "access-log-bucket").bucket).toBe(`claude-platform-governance-access-logs-${AUDIT}`);
    // S3 server access logs can only be delivered to an SSE-S3 bucket.
    expect(bucketResource(stack, "aws_s3_bucket_server_side_encryption_configuration", "access-log-bucket").rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" }, bucket_key_enabled: false },
    ]);
    expect(bucketResource(stack, "aws_s3_bucket_public_access_block", "access-log-bucket")).toMatchObject({
      block_public_policy: true,
      restrict_public_buckets: true,
    });
  });
});

describe("advanced event selectors", () => {
  test("advanced selectors only: management first, then Claude Platform workspace data events of every workspace (the sample)", () => {
    expect(stack.trail.event_selector).toBeUndefined();
    expect(selectors().map((s) => s.name)).toEqual(["All management events", "Claude Platform workspace data events"]);
    expect(dataSelector().field_selector).toEqual([
      { field: "resources.type", equals: ["AWS::AWSExternalAnthropic::Workspace"] },
      { field: "eventCategory", equals: ["Data"] },
    ]);
  });

  test("no logging loop: no selector asks for S3 data events (or any resource type but the workspace)", () => {
    const types = selectors().flatMap((s) => s.field_selector.filter((f) => f.field === "resources.type").flatMap((f) => f.equals as string[]));
    expect(types).toEqual(["AWS::AWSExternalAnthropic::Workspace"]);
  });

  test("configured workspaces, write-only and event names narrow the data selector; values are sorted and event names take the reference data's spelling", async () => {
    const yaml = sampleYaml().replace(
      "  dataEvents:\n    workspaces: all",
      "  dataEvents:\n    workspaces: [wrkspc_01ResearchDev, wrkspc_01PaymentsProd]\n    readOnly: write-only\n    eventNames: [updateskill, CreateInference]",
    );
    const view = await synthesizeAudit(configFromYaml(yaml));
    const fields = fieldsOf(dataSelector(view));
    expect(fields["resources.ARN"]).toEqual({
      field: "resources.ARN",
      starts_with: [
        "arn:aws:aws-external-anthropic:us-east-1:333333333333:workspace/wrkspc_01PaymentsProd",
        "arn:aws:aws-external-anthropic:us-west-2:444444444444:workspace/wrkspc_01ResearchDev",
      ],
    });
    expect(fields.readOnly).toEqual({ field: "readOnly", equals: ["false"] });
    expect(fields.eventName).toEqual({ field: "eventName", equals: ["CreateInference", "UpdateSkill"] });
    const readOnly = await synthesizeAudit(
      configFromYaml(sampleYaml().replace("  dataEvents:\n    workspaces: all", "  dataEvents:\n    workspaces: all\n    readOnly: read-only")),
    );
    expect(fieldsOf(dataSelector(readOnly)).readOnly).toEqual({ field: "readOnly", equals: ["true"] });
  });

  test("an event name that is not a Claude Platform action is a synthesis error naming the field", async () => {
    const yaml = sampleYaml().replace(
      "  dataEvents:\n    workspaces: all",
      "  dataEvents:\n    workspaces: all\n    eventNames: [CreateInference, InvokeModel]",
    );
    await expect(planBaseline(configFromYaml(yaml))).rejects.toThrow(
      new SynthesisError([
        "auditTrail.dataEvents.eventNames[1]: InvokeModel is not an aws-external-anthropic action in the IAM reference data; use an action name such as CreateInference",
      ]),
    );
  });

  test("the 500-value budget is checked at synthesis: 496 workspaces fit, 497 do not, and the error names the field and the fix", async () => {
    const withWorkspaces = (count: number) => {
      const ids = Array.from({ length: count }, (_, i) => `wrkspc_Bulk${String(i).padStart(4, "0")}`);
      const entries = ids.map((id) => `  - id: ${id}\n    account: "444444444444"\n    region: us-west-2\n`).join("");
      return configFromYaml(
        sampleYaml()
          .replace("\nworkspaces:\n", `\nworkspaces:\n${entries}`)
          .replace("  dataEvents:\n    workspaces: all", `  dataEvents:\n    workspaces: [${ids.join(", ")}]\n    readOnly: write-only`),
      );
    };
    // 1 (management) + 1 (Data) + 1 (resource type) + 1 (readOnly) + one ARN prefix per workspace.
    const fits = await planBaseline(withWorkspaces(496));
    expect(fits.audit?.selectors.valuesUsed).toBe(500);
    await expect(planBaseline(withWorkspaces(497))).rejects.toThrow(
      /^auditTrail\.dataEvents: the trail's advanced event selectors use 501 values, over CloudTrail's 500 per trail \(497 workspace ARN prefixes from auditTrail\.dataEvents\.workspaces, 0 event names from auditTrail\.dataEvents\.eventNames, 4 fixed\); set workspaces: all, or list fewer workspaces or event names$/,
    );
  });

  test("field selectors are in Terraform's set order (go-cty: byte order of each element's set-hash bytes; a real plan agrees, see audit.terraform.test.ts)", () => {
    // Hash bytes as go-cty writes them for {field: "eventCategory", equals: ["Data"]}, other operators planned as empty lists.
    expect(ctySetHashBytes({ field: "eventCategory", equals: ["Data"] })).toBe('<[];["Data";];"eventCategory";[];[];[];[];>');
    const shuffled = [
      { field: "readOnly", equals: ["false"] },
      { field: "resources.ARN", startsWith: ["arn:aws:x"] },
      { field: "eventCategory", equals: ["Data"] },
      { field: "resources.type", equals: ["AWS::AWSExternalAnthropic::Workspace"] },
    ];
    // A non-empty equals list sorts before an empty one ('"' < ']'); equals lists then compare by their values.
    expect(ctySetOrder(shuffled).map((f) => f.field)).toEqual(["resources.type", "eventCategory", "readOnly", "resources.ARN"]);
  });
});

describe("plumbing", () => {
  test("the stack deploys into the audit account and home region through the deployment role, with its own state", () => {
    const provider = (stack.json.provider?.aws ?? [])[0] as Record<string, unknown>;
    expect(provider).toMatchObject({ region: "us-east-1", allowed_account_ids: [AUDIT] });
    expect((provider.assume_role as Array<{ role_arn: string }>)[0].role_arn).toBe(`arn:aws:iam::${AUDIT}:role/platform-governance-deployer`);
    expect((stack.json.terraform?.backend as Record<string, Record<string, unknown>>).s3).toMatchObject({
      key: "claude-platform-baseline/audit.tfstate",
      encrypt: true,
    });
  });

  test("the log group keeps logs for the configured retention and is encrypted with the trail key", () => {
    expect(one(stack, "aws_cloudwatch_log_group")).toMatchObject({ retention_in_days: 365, kms_key_id: "${aws_kms_key.trail-key.arn}" });
  });

  test("both buckets are versioned and expire logs (and noncurrent versions) after logLifecycleDays", async () => {
    const view = await synthesizeAudit(
      configFromYaml(sampleYaml().replace("    email: [security@example.com]", "    email: [security@example.com]\n  logLifecycleDays: 90")),
    );
    for (const bucket of ["log-bucket", "access-log-bucket"] as const) {
      expect(bucketResource(view, "aws_s3_bucket_versioning", bucket).versioning_configuration).toEqual({ status: "Enabled" });
      const [rule] = bucketResource(view, "aws_s3_bucket_lifecycle_configuration", bucket).rule as Array<Record<string, unknown>>;
      expect(rule).toMatchObject({ status: "Enabled", expiration: [{ days: 90 }], noncurrent_version_expiration: [{ noncurrent_days: 90 }] });
    }
    const [sampleRule] = bucketResource(stack, "aws_s3_bucket_lifecycle_configuration", "log-bucket").rule as Array<Record<string, unknown>>;
    expect(sampleRule.expiration).toEqual([{ days: 365 }]);
  });

  test("output is deterministic: two syntheses of the audit stack are byte-identical", async () => {
    const [a, b] = [await synthesize(sampleConfig()), await synthesize(sampleConfig())];
    try {
      expect(a.stackText("audit")).toBe(b.stackText("audit"));
    } finally {
      a.cleanup();
      b.cleanup();
    }
  });

  test("no audit stack without an auditTrail", async () => {
    const yaml = sampleYaml()
      .replace(/\nauditTrail:[\s\S]*$/, "\n")
      .replace("  protectAuditTrail:\n    attachTo: [r-a1b2]\n    exempt: true\n", "");
    const plan = await planBaseline(configFromYaml(yaml));
    expect(plan.audit).toBeUndefined();
  });

  test("a trail name too long for the derived names is a synthesis error naming auditTrail.name", async () => {
    const long = "t".repeat(60);
    const yaml = sampleYaml().replace("  name: claude-platform-governance", `  name: ${long}\n  bucketName: short-log-bucket`);
    await expect(planBaseline(configFromYaml(yaml))).rejects.toThrow(
      /auditTrail\.name: the access-log bucket name t+-access-logs-222222222222 is over 63 characters; shorten auditTrail\.name/,
    );
  });

  test("the synth summary names the trail, the selector budget used, and the alarms", async () => {
    const plan = await planBaseline(sampleConfig());
    expect(auditSummary(plan.audit!)).toEqual([
      "  stack audit (account 222222222222, us-east-1): organization trail claude-platform-governance",
      "    advanced event selectors: 3 / 500 values; data events of every Claude Platform workspace",
      `    logs: bucket claude-platform-governance-logs-222222222222 (access logs in claude-platform-governance-access-logs-222222222222), log group ${LOG_GROUP} (365 days)`,
      "    archive: 2 key administrators; Object Lock governance mode, 365 days; not replicated",
      "    16 alarms to SNS topic claude-platform-governance-alarms (1 email subscription), 6 EventBridge rules to the same topic",
    ]);
  });
});
