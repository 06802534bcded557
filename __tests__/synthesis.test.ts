/**
 * The app as users run it: `node dist/main.js` (what cdktf.json runs) writes the stacks and a
 * summary for a good config, and for a bad one prints one line per problem, exits 1, shows no
 * stack trace and writes nothing. Output is byte-identical across runs, and the committed JSON
 * Schema is the one the schema generates.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Lazy } from "cdktf";
import { planBaseline } from "../policies/baseline";
import { synthesizeBaseline } from "../stacks/app";
import { baselineJsonSchema, JSON_SCHEMA_PATH } from "../scripts/write-schema";
import { sampleConfig, sampleYaml, synthesize } from "./harness/synth";

const ROOT = path.resolve(__dirname, "..");
const APP = path.join(ROOT, "dist", "main.js");

function runApp(env: Record<string, string>) {
  const outdir = mkdtempSync(path.join(tmpdir(), "baseline-app-"));
  rmSync(outdir, { recursive: true });
  const run = spawnSync(process.execPath, [APP], { env: { ...process.env, BASELINE_DEBUG: "", ...env, CDKTF_OUTDIR: outdir }, encoding: "utf8" });
  return { ...run, outdir };
}

beforeAll(() => {
  if (!existsSync(APP)) throw new Error(`${APP} is missing; npm test builds it first (npm run build)`);
});

describe("node dist/main.js", () => {
  test("needs nothing but node: no terraform on the PATH (the moved blocks must not make cdktf ask for its version)", () => {
    const bin = mkdtempSync(path.join(tmpdir(), "baseline-path-"));
    symlinkSync(process.execPath, path.join(bin, "node"));
    const run = runApp({ PATH: bin });
    try {
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      expect(JSON.parse(readFileSync(path.join(run.outdir, "stacks", "organization", "cdk.tf.json"), "utf8")).moved).toBeDefined();
    } finally {
      rmSync(run.outdir, { recursive: true, force: true });
      rmSync(bin, { recursive: true, force: true });
    }
  });

  test("synthesizes the sample org and prints each SCP's size against the quota and its targets", () => {
    const run = runApp({});
    try {
      expect(run.status).toBe(0);
      expect(readdirSync(path.join(run.outdir, "stacks")).sort()).toEqual([
        "audit",
        "organization",
        "roles-payments-prod",
        "roles-research-dev",
        "roles-sandbox",
      ]);
      expect(run.stdout).toMatch(
        /stack roles-payments-prod \(account 333333333333\): 2 team roles\n {4}payments-ai-inference \(team payments\): inference, batch-inference\n {6}access policy [\d,]+ \/ 10,240, permissions boundary [\d,]+ \/ 6,144, trust policy [\d,]+ \/ 2,048 characters; 0 \/ 10 managed policies attached/,
      );
      expect(run.stdout).toMatch(
        /claude-platform-baseline-root-1: [\d,]+ \/ 10,240 characters \(\d+%\), controls denyServiceSpecificCredentials, denyShadowApiKeyUsers, denyLongTermBearerTokens/,
      );
      expect(run.stdout).toContain("attached to r-a1b2");
      expect(run.stdout).toContain("r-a1b2 (root): 4 / 10 SCPs attached (3 baseline, FullAWSAccess)");
      expect(run.stdout).toContain(`policy documents as JSON, for tools that do not read Terraform: ${path.join(run.outdir, "policies")}/<stack>/ (28 files)`);
      expect(readdirSync(path.join(run.outdir, "policies")).sort()).toEqual([
        "audit",
        "organization",
        "roles-payments-prod",
        "roles-research-dev",
        "roles-sandbox",
      ]);
    } finally {
      rmSync(run.outdir, { recursive: true, force: true });
    }
  });

  test.each([
    ["a missing file", (dir: string) => path.join(dir, "missing.yaml")],
    ["unparsable YAML", (dir: string) => write(dir, "organization: [\n")],
    ["an empty file", (dir: string) => write(dir, "")],
    ["a bad identifier", (dir: string) => write(dir, sampleYaml().replace("wrkspc_01ResearchDev", "wrkspc-01"))],
    [
      "a target over the SCP attachment quota",
      (dir: string) => write(dir, sampleYaml().replace("  root:\n    id: r-a1b2", "  root:\n    id: r-a1b2\n    reservedScpSlots: 9")),
    ],
  ])("%s: one line per problem, exit 1, no stack trace, nothing written", (_name, makeConfig) => {
    const dir = mkdtempSync(path.join(tmpdir(), "baseline-bad-"));
    const run = runApp({ BASELINE_CONFIG: makeConfig(dir) });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^error: /);
    expect(run.stderr).toContain("nothing was written.");
    expect(run.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
    expect(existsSync(run.outdir)).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });
});

function write(dir: string, text: string): string {
  const file = path.join(dir, "config.yaml");
  writeFileSync(file, text);
  return file;
}

describe("the organization stack", () => {
  test("keeps its own encrypted state in the configured bucket, with S3 locking", async () => {
    const out = await synthesize(sampleConfig());
    const stack = out.stack("organization");
    out.cleanup();
    expect(stack.terraform?.backend).toEqual({
      s3: {
        bucket: "example-org-terraform-state",
        key: "claude-platform-baseline/organization.tfstate",
        region: "us-east-1",
        encrypt: true,
        use_lockfile: true,
      },
    });
  });

  test("acts in the management account only, through the deployment role", async () => {
    const out = await synthesize(sampleConfig());
    const [provider] = out.stack("organization").provider?.aws ?? [];
    out.cleanup();
    expect(provider).toMatchObject({
      region: "us-east-1",
      allowed_account_ids: ["111111111111"],
      assume_role: [{ role_arn: "arn:aws:iam::111111111111:role/platform-governance-deployer" }],
    });
  });

  test("the same config synthesizes byte-identical files", async () => {
    const a = await synthesize(sampleConfig());
    const b = await synthesize(sampleConfig());
    const text = [a.stackText("organization"), b.stackText("organization")];
    const manifests = [a, b].map((o) => readFileSync(path.join(o.outdir, "manifest.json"), "utf8"));
    a.cleanup();
    b.cleanup();
    expect(text[0]).toBe(text[1]);
    expect(manifests[0]).toBe(manifests[1]);
    expect(text[0]).not.toContain(tmpdir());
  });
});

test("config/baseline.schema.json is what the schema generates (npm run schema)", () => {
  expect(readFileSync(JSON_SCHEMA_PATH, "utf8")).toBe(baselineJsonSchema());
});

describe("token creation stacks (stacks/token-traces.ts)", () => {
  test("once a synthesis has run, cdktf's tokens carry no call stack", async () => {
    const outdir = mkdtempSync(path.join(tmpdir(), "baseline-traces-"));
    try {
      synthesizeBaseline(await planBaseline(sampleConfig()), outdir);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
    expect((Lazy.anyValue({ produce: () => "x" }) as unknown as { creationStack: string[] }).creationStack).toEqual([]);
  });

  test("with BASELINE_DEBUG set, tokens keep their creation stack", () => {
    // A fresh module registry: this file's synthesis has already replaced the export in its own.
    jest.isolateModules(() => {
      /* eslint-disable @typescript-eslint/no-require-imports */
      const { Lazy } = require("cdktf") as typeof import("cdktf");
      const { skipTokenCreationStacks } = require("../stacks/token-traces") as typeof import("../stacks/token-traces");
      /* eslint-enable @typescript-eslint/no-require-imports */
      skipTokenCreationStacks({ BASELINE_DEBUG: "1" });
      expect((Lazy.anyValue({ produce: () => "x" }) as unknown as { creationStack: string[] }).creationStack.length).toBeGreaterThan(0);
    });
  });
});
