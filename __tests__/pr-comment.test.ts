/**
 * The pull-request review's pure steps: which stacks changed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { compareStacks, readStacks, stacksToPlan, terraformContent } from "../scripts/changed-stacks";
import { configFromYaml, sampleConfig, sampleYaml, synthesize } from "./harness/synth";

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), "pr-review-"));
}

function writeStack(stacksDir: string, name: string, doc: unknown): void {
  mkdirSync(path.join(stacksDir, name), { recursive: true });
  writeFileSync(path.join(stacksDir, name, "cdk.tf.json"), typeof doc === "string" ? doc : JSON.stringify(doc, null, 2));
}

describe("changed stacks", () => {
  const role = (policy: string) => ({
    "//": { metadata: { version: "0.21.0", stackName: "s" } },
    resource: { aws_iam_role: { team: { "//": { metadata: { path: "a/b/team" } }, name: "team", inline_policy: policy } } },
    terraform: { backend: { s3: { key: "s.tfstate" } } },
  });

  test("added, changed, removed and unchanged stacks, from two stacks directories", () => {
    const root = tempDir();
    try {
      const base = path.join(root, "base");
      const head = path.join(root, "head");
      writeStack(base, "organization", role("{}"));
      writeStack(head, "organization", role("{}"));
      writeStack(base, "roles-payments-prod", role('{"Statement":[]}'));
      writeStack(head, "roles-payments-prod", role('{"Statement":[{"Effect":"Allow"}]}'));
      writeStack(base, "roles-sandbox", role("{}"));
      writeStack(head, "roles-playground", role("{}"));
      // Not a stack: no cdk.tf.json.
      mkdirSync(path.join(head, "notes"));
      const stacks = compareStacks(readStacks(head), readStacks(base));
      expect(stacks).toEqual({ compared: true, added: ["roles-playground"], changed: ["roles-payments-prod"], removed: ["roles-sandbox"], unchanged: ["organization"] });
      expect(stacksToPlan(stacks)).toEqual(["roles-payments-prod", "roles-playground"]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test("key order, whitespace and cdktf's comments are not changes; a value, an array order or a new key is", () => {
    const doc = role("{}");
    const same = JSON.stringify(doc);
    expect(terraformContent(JSON.stringify({ terraform: doc.terraform, resource: doc.resource }, null, 4))).toBe(terraformContent(same));
    const upgraded = { ...doc, "//": { metadata: { version: "0.22.0", stackName: "s" } } };
    expect(terraformContent(JSON.stringify(upgraded))).toBe(terraformContent(same));
    const moved = role("{}");
    moved.resource.aws_iam_role.team["//"].metadata.path = "a/c/team";
    expect(terraformContent(JSON.stringify(moved))).toBe(terraformContent(same));
    expect(terraformContent(JSON.stringify(role("{ }")))).not.toBe(terraformContent(same));
    const reordered = { ...doc, provider: { aws: [{ allowed_account_ids: ["1", "2"] }] } };
    const reversed = { ...doc, provider: { aws: [{ allowed_account_ids: ["2", "1"] }] } };
    expect(terraformContent(JSON.stringify(reordered))).not.toBe(terraformContent(JSON.stringify(reversed)));
    expect(terraformContent(JSON.stringify({ ...doc, output: {} }))).not.toBe(terraformContent(same));
  });

  test("without a base every head stack is planned, and nothing is called removed", () => {
    const head = new Map([["b", "{}"], ["a", "{}"]]);
    expect(compareStacks(head, undefined)).toEqual({ compared: false, added: [], changed: ["a", "b"], removed: [], unchanged: [] });
  });

  test("a stack name that is unsafe as a path, artifact or matrix value is refused", () => {
    const root = tempDir();
    try {
      writeStack(root, "roles-$(id)", {});
      expect(() => readStacks(root)).toThrow(/"roles-\$\(id\)" is not a stack name/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test("the sample org synthesized twice, once with one team's access changed: only that team's account stack changes", async () => {
    const base = await synthesize(sampleConfig());
    const head = await synthesize(configFromYaml(sampleYaml().replace("access: [inference, agent-development]", "access: [inference, agent-development, metadata-read]")));
    try {
      const stacks = compareStacks(readStacks(path.join(head.outdir, "stacks")), readStacks(path.join(base.outdir, "stacks")));
      expect(stacks).toEqual({ compared: true, added: [], changed: ["roles-research-dev"], removed: [], unchanged: ["audit", "organization", "roles-payments-prod", "roles-sandbox"] });
    } finally {
      base.cleanup();
      head.cleanup();
    }
  });
});
