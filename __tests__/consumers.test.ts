/**
 * What other repositories read: each stack's outputs (snake_case names, a description each,
 * nothing sensitive, values that follow the resources), for `terraform_remote_state` and
 * `terraform output -json`; and every policy document as a plain JSON file under
 * `<outdir>/policies/<stack>/`, the very document the stack sends, for tools that do not read
 * Terraform; and `cdktf synth --hcl` output that `terraform fmt` leaves as it is (the terraform
 * tier also validates it).
 */
import { spawnSync } from "node:child_process";
import { linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { planBaseline } from "../policies/baseline";
import { buildTerraformEnv } from "../scripts/terraform-tier-lib";
import { synthesizeBaseline } from "../stacks/app";
import { canonicalHcl } from "../stacks/hcl";
import { policyFileCount } from "../stacks/policy-files";
import { configFromYaml, sampleConfig, sampleYaml, synthesize, type Synthesized, type TerraformJson } from "./harness/synth";
import { offlineTerraform } from "./harness/terraform-plan";

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
        expect({
          stack,
          name,
          snake: /^[a-z][a-z0-9_]*$/.test(name),
          described: (output.description ?? "").length > 20,
          sensitive: output.sensitive ?? false,
        }).toEqual({ stack, name, snake: true, described: true, sensitive: false });
      }
    }
  });

  test("organization: each SCP's id and name by its key, and the policy ids by control", () => {
    const policies = resources("organization", "aws_organizations_policy");
    expect(Object.keys(outputs("organization")).sort()).toEqual(
      [
        "scp_ids_by_control",
        ...["ou_a1b2_plat0001_1", "ou_a1b2_sand0001_1", "ou_a1b2_work0001_1", "root_1", "root_protect_audit_trail", "root_protect_audit_trail_part_2"].flatMap(
          (key) => [`scp_${key}_id`, `scp_${key}_name`],
        ),
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
      protectAuditTrail: ["${aws_organizations_policy.scp-root-protectAuditTrail.id}", "${aws_organizations_policy.scp-root-protectAuditTrail-part-2.id}"],
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
      team_role_arns: expect.objectContaining({
        value: {
          payments: "arn:aws:iam::333333333333:role/payments-ai-inference",
          "security-audit": "arn:aws:iam::333333333333:role/security-audit-ai-reader",
        },
      }),
    });
    expect(outputs("roles-sandbox").team_role_arns.value).toEqual({ "security-audit": "arn:aws:iam::555555555555:role/security-audit-ai-reader" });
  });
});

/** Every policy document in a stack's JSON, by the file name it should have: read from the resources, not from the plan the writer used. */
function documentsIn(stack: string): Record<string, string> {
  const r = (type: string) => Object.entries(resources(stack, type));
  if (stack === "organization") return Object.fromEntries(r("aws_organizations_policy").map(([, p]) => [`${String(p.name)}.json`, String(p.content)]));
  if (stack === "audit") {
    const one = (type: string, name: string, argument = "policy") => String(resources(stack, type)[name][argument]);
    return {
      "trail-key-policy.json": one("aws_kms_key", "trail-key"),
      "alarm-key-policy.json": one("aws_kms_key", "alarm-key"),
      "log-bucket-policy.json": one("aws_s3_bucket_policy", "log-bucket-policy"),
      "access-log-bucket-policy.json": one("aws_s3_bucket_policy", "access-log-bucket-policy"),
      "alarm-topic-policy.json": one("aws_sns_topic_policy", "alarm-topic-policy"),
      "delivery-role-trust-policy.json": one("aws_iam_role", "delivery-role", "assume_role_policy"),
      "delivery-role-policy.json": one("aws_iam_role_policy", "delivery-role-policy"),
    };
  }
  const roleName = (address: string) => String(resources(stack, "aws_iam_role")[address].name);
  return Object.fromEntries([
    ...r("aws_iam_role").map(([, role]) => [`${String(role.name)}-trust-policy.json`, String(role.assume_role_policy)]),
    ...r("aws_iam_role_policy").map(([, p]) => [
      `${roleName(/^\$\{aws_iam_role\.([^.]+)\.name\}$/.exec(String(p.role))![1])}-access-policy.json`,
      String(p.policy),
    ]),
    ...r("aws_iam_policy").map(([, p]) => [`${String(p.name).replace(/-boundary$/, "")}-permissions-boundary.json`, String(p.policy)]),
  ]);
}

describe("policy files", () => {
  test("one file per document of every stack, each the stack's document pretty-printed, and nothing else", async () => {
    const stacks = readdirSync(path.join(out.outdir, "stacks")).sort();
    expect(readdirSync(path.join(out.outdir, "policies")).sort()).toEqual(stacks);
    for (const stack of stacks) {
      const expected = documentsIn(stack);
      expect({ stack, files: readdirSync(path.join(out.outdir, "policies", stack)).sort() }).toEqual({ stack, files: Object.keys(expected).sort() });
      for (const [file, document] of Object.entries(expected)) {
        const text = readFileSync(path.join(out.outdir, "policies", stack, file), "utf8");
        expect({ file, same: JSON.stringify(JSON.parse(text)) === document, pretty: text === `${JSON.stringify(JSON.parse(document), null, 2)}\n` }).toEqual({
          file,
          same: true,
          pretty: true,
        });
      }
    }
    expect(readdirSync(path.join(out.outdir, "policies"), { recursive: true, withFileTypes: true }).filter((e) => e.isFile())).toHaveLength(
      policyFileCount(await planBaseline(sampleConfig())),
    );
    expect(Object.keys(documentsIn("organization"))).toHaveLength(6);
    expect(Object.keys(documentsIn("roles-payments-prod"))).toHaveLength(6);
  });

  test("the same config writes byte-identical files; synthesizing again, a file the config no longer needs is removed", async () => {
    const again = await synthesize(sampleConfig());
    try {
      const files = (dir: string) => readdirSync(path.join(dir, "policies"), { recursive: true }).map(String).sort();
      expect(files(again.outdir)).toEqual(files(out.outdir));
      for (const f of files(out.outdir).filter((f) => f.endsWith(".json")))
        expect(readFileSync(path.join(again.outdir, "policies", f), "utf8")).toBe(readFileSync(path.join(out.outdir, "policies", f), "utf8"));
      synthesizeBaseline(
        await planBaseline(configFromYaml(sampleYaml().replace("  disableClaudePlatform:\n    attachTo: [ou-a1b2-plat0001]\n", ""))),
        again.outdir,
      );
      expect(files(out.outdir).filter((f) => !files(again.outdir).includes(f))).toEqual([
        path.join("organization", "claude-platform-baseline-ou-a1b2-plat0001-1.json"),
      ]);
    } finally {
      again.cleanup();
    }
  });

  test("synthesizing again writes each file over the one there, and removes stray files and directories", async () => {
    const again = await synthesize(sampleConfig());
    try {
      const policies = path.join(again.outdir, "policies");
      const kept = path.join("organization", "claude-platform-baseline-root-protectAuditTrail.json");
      writeFileSync(path.join(policies, kept), "edited by hand");
      // A hard link shares the file's inode: it sees the new text only if the file was written over, not deleted and created again.
      const link = path.join(again.outdir, "link.json");
      linkSync(path.join(policies, kept), link);
      mkdirSync(path.join(policies, "roles-gone"));
      writeFileSync(path.join(policies, "roles-gone", "x.json"), "{}");
      writeFileSync(path.join(policies, "organization", "stray.json"), "{}");
      writeFileSync(path.join(policies, "stray.txt"), "");
      rmSync(path.join(policies, "audit", "trail-key-policy.json"));
      mkdirSync(path.join(policies, "audit", "trail-key-policy.json"));
      synthesizeBaseline(await planBaseline(sampleConfig()), again.outdir);
      const files = (dir: string) => readdirSync(path.join(dir, "policies"), { recursive: true }).map(String).sort();
      expect(files(again.outdir)).toEqual(files(out.outdir));
      for (const f of files(out.outdir).filter((f) => f.endsWith(".json")))
        expect(readFileSync(path.join(policies, f), "utf8")).toBe(readFileSync(path.join(out.outdir, "policies", f), "utf8"));
      expect(readFileSync(link, "utf8")).toBe(readFileSync(path.join(out.outdir, "policies", kept), "utf8"));
    } finally {
      again.cleanup();
    }
  });
});

describe("policy files where the folder is not a folder", () => {
  test.each([
    ["a symlink to a folder elsewhere, which is left as it was", "symlink"],
    ["a file", "file"],
  ])("policies/ as %s: replaced by the files", async (_name, kind) => {
    const again = await synthesize(sampleConfig());
    const elsewhere = mkdtempSync(path.join(tmpdir(), "baseline-elsewhere-"));
    try {
      const policies = path.join(again.outdir, "policies");
      rmSync(policies, { recursive: true });
      writeFileSync(path.join(elsewhere, "README.md"), "not the baseline's");
      if (kind === "symlink") symlinkSync(elsewhere, policies);
      else writeFileSync(policies, "a file");
      synthesizeBaseline(await planBaseline(sampleConfig()), again.outdir);
      const files = (dir: string) => readdirSync(path.join(dir, "policies"), { recursive: true }).map(String).sort();
      expect(lstatSync(policies).isDirectory()).toBe(true);
      expect(files(again.outdir)).toEqual(files(out.outdir));
      expect(readdirSync(elsewhere)).toEqual(["README.md"]);
    } finally {
      again.cleanup();
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});

describe("HCL output", () => {
  test("a reference in quotes and quoted depends_on entries are unwrapped; templates and strings holding quotes are left alone", () => {
    const hcl = [
      'resource "aws_s3_bucket_policy" "p" {',
      '  bucket = "${aws_s3_bucket.log-bucket.id}"',
      '  policy = "{\\"Resource\\":\\"${aws_s3_bucket.log-bucket.arn}\\"}"',
      '  name = "${var.prefix}-logs"',
      "  alarm_actions = [",
      '    "${aws_sns_topic.alarm-topic.arn}",',
      "  ]",
      "  depends_on = [",
      '    "aws_s3_bucket_public_access_block.log-bucket-public-access",',
      '    "aws_s3_bucket.log-bucket"',
      "  ]",
      "}",
    ].join("\n");
    expect(canonicalHcl(hcl).split("\n")).toEqual([
      'resource "aws_s3_bucket_policy" "p" {',
      "  bucket = aws_s3_bucket.log-bucket.id",
      '  policy = "{\\"Resource\\":\\"${aws_s3_bucket.log-bucket.arn}\\"}"',
      '  name = "${var.prefix}-logs"',
      "  alarm_actions = [",
      "    aws_sns_topic.alarm-topic.arn,",
      "  ]",
      "  depends_on = [",
      "    aws_s3_bucket_public_access_block.log-bucket-public-access,",
      "    aws_s3_bucket.log-bucket",
      "  ]",
      "}",
    ]);
  });

  const tools = offlineTerraform();
  (tools ? test : test.skip)(
    "every stack, formatted as the cdktf CLI formats the app's HCL, is as terraform fmt writes it",
    async () => {
      // The formatter `cdktf synth --hcl` runs on what the app writes (hclwrite.Format), from the project's own cdktf-cli.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- resolved from cdktf-cli's own dependencies, not ours
      const { format } = require(require.resolve("@cdktf/hcl-tools", { paths: [path.dirname(require.resolve("cdktf-cli/package.json"))] })) as {
        format: (hcl: string) => Promise<string>;
      };
      const dir = mkdtempSync(path.join(tmpdir(), "baseline-hcl-"));
      try {
        const plan = await planBaseline(sampleConfig());
        const previous = process.env.SYNTH_HCL_OUTPUT;
        process.env.SYNTH_HCL_OUTPUT = "true"; // what `cdktf synth --hcl` sets for the app
        try {
          synthesizeBaseline(plan, path.join(dir, "out"));
        } finally {
          if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
          else process.env.SYNTH_HCL_OUTPUT = previous;
        }
        const manifest = JSON.parse(readFileSync(path.join(dir, "out", "manifest.json"), "utf8")) as {
          stacks: Record<string, { synthesizedStackPath: string }>;
        };
        const cliConfigFile = path.join(dir, "terraform.tfrc");
        writeFileSync(cliConfigFile, "");
        const env = buildTerraformEnv(process.env, { cliConfigFile, dataDir: path.join(dir, "tf-data"), homeDir: dir });
        for (const [name, { synthesizedStackPath }] of Object.entries(manifest.stacks)) {
          const work = path.join(dir, "fmt", name);
          mkdirSync(work, { recursive: true });
          writeFileSync(path.join(work, "cdk.tf"), await format(readFileSync(path.join(dir, "out", synthesizedStackPath), "utf8")));
          const fmt = spawnSync(tools!.terraform, ["fmt", "-check", "-diff", "-no-color", "."], { cwd: work, env, encoding: "utf8" });
          expect({ name, status: fmt.status, diff: fmt.stdout, error: fmt.stderr }).toEqual({ name, status: 0, diff: "", error: "" });
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
