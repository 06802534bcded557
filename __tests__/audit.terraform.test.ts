/**
 * The trail's advanced event selectors as Terraform plans them (hashicorp/aws from the offline
 * mirror) are exactly what was synthesized, in the same order, for a config that uses every
 * field selector: the emitted order is the order Terraform keeps, and no value is reordered or
 * normalized. The archive (Object Lock, replication, key administrators) plans on the mirror's
 * provider (5.x) as synthesized, and turning Object Lock on keeps an existing log bucket.
 * Skipped where terraform or the provider mirror is missing (the terraform tier says so too).
 */
import { offlineTerraform, planJson } from "./harness/terraform-plan";
import { configFromYaml, sampleYaml, synthesize } from "./harness/synth";

const tools = offlineTerraform();
const maybe = tools ? test : test.skip;

type Selector = { name: string; field_selector: Array<Record<string, unknown>> };

/** An operator the configuration leaves out is planned as an empty list; drop those to compare. */
function withoutEmptyLists(selectors: Selector[]): Selector[] {
  return selectors.map((s) => ({
    name: s.name,
    field_selector: s.field_selector.map((f) => Object.fromEntries(Object.entries(f).filter(([, v]) => !(Array.isArray(v) && v.length === 0)))),
  }));
}

maybe(
  "field selectors: the synthesized order and values are the plan's (workspaces, read-only filter and event names all set)",
  async () => {
    const yaml = sampleYaml().replace(
      "  dataEvents:\n    workspaces: all",
      "  dataEvents:\n    workspaces: [wrkspc_01ResearchDev, wrkspc_01PaymentsProd, wrkspc_01SandboxPlay]\n    readOnly: write-only\n    eventNames: [UpdateSkill, CreateInference, UpdateEnvironment]",
    );
    const out = await synthesize(configFromYaml(yaml));
    try {
      const stack = out.stack("audit");
      const synthesized = Object.values(stack.resource!.aws_cloudtrail)[0].advanced_event_selector as Selector[];
      const plan = planJson(tools!, stack) as {
        planned_values: { root_module: { resources: Array<{ type: string; values: { advanced_event_selector: Selector[] } }> } };
      };
      const planned = plan.planned_values.root_module.resources.find((r) => r.type === "aws_cloudtrail")!.values.advanced_event_selector;
      expect(withoutEmptyLists(planned)).toEqual(synthesized);
      expect(synthesized[1].field_selector.map((f) => f.field)).toEqual(["resources.type", "eventName", "eventCategory", "readOnly", "resources.ARN"]);
    } finally {
      out.cleanup();
    }
  },
  120_000,
);

const ARCHIVE_YAML = `  keyAdministrators: [arn:aws:iam::222222222222:role/key-custodian]
  replication:
    destinationBucket: org-audit-archive-copy
    destinationAccount: "444444444444"
    destinationRegion: us-west-2
    destinationKeyArn: arn:aws:kms:us-west-2:444444444444:key/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee
`;

type PlannedResource = { address: string; type: string; values: Record<string, unknown> };
type ResourceChange = { address: string; change: { actions: string[] } };

maybe(
  "archive: Object Lock, replication and its role plan on the mirror's provider exactly as synthesized",
  async () => {
    const out = await synthesize(configFromYaml(sampleYaml() + ARCHIVE_YAML));
    try {
      const plan = planJson(tools!, out.stack("audit")) as { planned_values: { root_module: { resources: PlannedResource[] } } };
      const planned = (address: string) => plan.planned_values.root_module.resources.find((r) => r.address === address)!.values;
      expect(planned("aws_s3_bucket_object_lock_configuration.log-bucket-object-lock").rule).toEqual([
        { default_retention: [{ mode: "GOVERNANCE", days: 365, years: null }] },
      ]);
      const rule = (planned("aws_s3_bucket_replication_configuration.log-bucket-replication").rule as Array<Record<string, unknown>>)[0];
      expect(rule).toMatchObject({
        status: "Enabled",
        delete_marker_replication: [{ status: "Disabled" }],
        source_selection_criteria: [{ sse_kms_encrypted_objects: [{ status: "Enabled" }] }],
        destination: [
          {
            bucket: "arn:aws:s3:::org-audit-archive-copy",
            account: "444444444444",
            access_control_translation: [{ owner: "Destination" }],
            encryption_configuration: [{ replica_kms_key_id: "arn:aws:kms:us-west-2:444444444444:key/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee" }],
          },
        ],
      });
      expect(planned("aws_iam_role.replication-role").name).toBe("claude-platform-governance-replication");
      expect(planned("aws_kms_key.trail-key").bypass_policy_lockout_safety_check).toBe(false);
    } finally {
      out.cleanup();
    }
  },
  120_000,
);

maybe(
  "archive: turning Object Lock on keeps an existing log bucket (provider 5.x would replace a bucket whose object_lock_enabled changed)",
  async () => {
    const out = await synthesize(configFromYaml(sampleYaml()));
    try {
      const bucket = "claude-platform-governance-logs-222222222222";
      // The log bucket as a deployment without Object Lock left it.
      const state = {
        version: 4,
        terraform_version: "1.11.4",
        serial: 1,
        lineage: "00000000-0000-0000-0000-000000000001",
        outputs: {},
        resources: [
          {
            mode: "managed",
            type: "aws_s3_bucket",
            name: "log-bucket",
            provider: 'provider["registry.terraform.io/hashicorp/aws"]',
            instances: [
              {
                schema_version: 0,
                attributes: { id: bucket, bucket, arn: `arn:aws:s3:::${bucket}`, object_lock_enabled: false, force_destroy: false, tags: {}, tags_all: {} },
              },
            ],
          },
        ],
      };
      const plan = planJson(tools!, out.stack("audit"), state) as { resource_changes: ResourceChange[] };
      const change = (address: string) => plan.resource_changes.find((r) => r.address === address)!.change.actions;
      expect(change("aws_s3_bucket.log-bucket")).not.toContain("delete");
      expect(change("aws_s3_bucket_object_lock_configuration.log-bucket-object-lock")).toEqual(["create"]);
    } finally {
      out.cleanup();
    }
  },
  120_000,
);
