/**
 * What other repositories read: each stack's outputs (snake_case names, a description each,
 * nothing sensitive, values that follow the resources), for `terraform_remote_state` and
 * `terraform output -json`.
 */
import { readdirSync } from "node:fs";
import * as path from "node:path";
import { sampleConfig, synthesize, type Synthesized, type TerraformJson } from "./harness/synth";

type Output = { value: unknown; description?: string; sensitive?: boolean };

let out: Synthesized;
const outputs = (stack: string) => (out.stack(stack).output ?? {}) as Record<string, Output>;
const resources = (stack: string, type: string) => (out.stack(stack) as TerraformJson).resource?.[type] ?? {};

beforeAll(async () => {
  out = await synthesize(sampleConfig());
});

afterAll(() => out.cleanup());

describe("outputs", () => {
  test("every stack's outputs have snake_case names and a description, and none is sensitive", () => {
    for (const stack of readdirSync(path.join(out.outdir, "stacks"))) {
      for (const [name, output] of Object.entries(outputs(stack))) {
        expect({ stack, name, snake: /^[a-z][a-z0-9_]*$/.test(name), described: (output.description ?? "").length > 20, sensitive: output.sensitive ?? false }).toEqual({ stack, name, snake: true, described: true, sensitive: false });
      }
    }
  });

  test("organization: each SCP's id and name by its key, and the policy ids by control", () => {
    const policies = resources("organization", "aws_organizations_policy");
    expect(Object.keys(outputs("organization")).sort()).toEqual(
      [
        "scp_ids_by_control",
        ...["ou_a1b2_plat0001_1", "ou_a1b2_sand0001_1", "ou_a1b2_work0001_1", "root_1", "root_protect_audit_trail"].flatMap((key) => [`scp_${key}_id`, `scp_${key}_name`]),
      ].sort(),
    );
    expect(outputs("organization").scp_root_protect_audit_trail_id).toMatchObject({ value: "${aws_organizations_policy.scp-root-protectAuditTrail.id}" });
    expect(outputs("organization").scp_root_protect_audit_trail_name).toMatchObject({ value: policies["scp-root-protectAuditTrail"].name });
    expect(outputs("organization").scp_root_1_id.description).toBe(
      "Policy id of the SCP that holds denyServiceSpecificCredentials, denyShadowApiKeyUsers, denyLongTermBearerTokens, limitConsoleFederation, denyAnthropicManagedPolicies, attached to r-a1b2",
    );
    expect(outputs("organization").scp_ids_by_control.value).toEqual({
      approvedWorkspacesOnly: ["${aws_organizations_policy.scp-ou-a1b2-sand0001-1.id}"],
      denyAnthropicManagedPolicies: ["${aws_organizations_policy.scp-root-1.id}"],
      denyLongTermBearerTokens: ["${aws_organizations_policy.scp-root-1.id}"],
      denyServiceSpecificCredentials: ["${aws_organizations_policy.scp-root-1.id}"],
      denyShadowApiKeyUsers: ["${aws_organizations_policy.scp-root-1.id}"],
      disableClaudePlatform: ["${aws_organizations_policy.scp-ou-a1b2-plat0001-1.id}"],
      limitConsoleFederation: ["${aws_organizations_policy.scp-root-1.id}"],
      protectAuditTrail: ["${aws_organizations_policy.scp-root-protectAuditTrail.id}"],
      protectWorkspaces: ["${aws_organizations_policy.scp-ou-a1b2-work0001-1.id}"],
    });
  });

  test("audit: the trail, its log group and bucket, and the alarm topic", () => {
    expect(Object.fromEntries(Object.entries(outputs("audit")).map(([name, o]) => [name, o.value]))).toEqual({
      trail_arn: "${aws_cloudtrail.trail.arn}",
      log_group_name: "${aws_cloudwatch_log_group.log-group.name}",
      log_group_arn: "${aws_cloudwatch_log_group.log-group.arn}",
      log_bucket_name: "${aws_s3_bucket.log-bucket.bucket}",
      alarm_topic_arn: "${aws_sns_topic.alarm-topic.arn}",
    });
  });

  test("roles: each team role's ARN by team (team names snake_cased), and all of them as a map by team name", () => {
    expect(outputs("roles-payments-prod")).toEqual({
      team_role_arn_payments: expect.objectContaining({ value: "arn:aws:iam::333333333333:role/payments-ai-inference" }),
      team_role_arn_security_audit: expect.objectContaining({ value: "arn:aws:iam::333333333333:role/security-audit-ai-reader" }),
      team_role_arns: expect.objectContaining({ value: { payments: "arn:aws:iam::333333333333:role/payments-ai-inference", "security-audit": "arn:aws:iam::333333333333:role/security-audit-ai-reader" } }),
    });
    expect(outputs("roles-sandbox").team_role_arns.value).toEqual({ "security-audit": "arn:aws:iam::555555555555:role/security-audit-ai-reader" });
  });
});
