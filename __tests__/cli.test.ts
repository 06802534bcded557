/**
 * The command line as people meet it: `npm run validate` checks without writing and says the same
 * as synth; a failed synth leaves earlier output as it was and says whose it is; the output
 * records the config it came from; stacks a config no longer has are removed; colour only on a
 * terminal; the summary ends with where the output went and what to run next, and shows which
 * baseline SCPs govern each account.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { accountView } from "../cli/summary";
import { runBaseline } from "../cli/run";
import { planBaseline } from "../policies/baseline";
import { SAMPLE_CONFIG_PATH } from "../config/load";
import { sampleConfig, sampleYaml } from "./harness/synth";

const ROOT = path.resolve(__dirname, "..");
const DIST = path.join(ROOT, "dist");

function node(script: string, args: readonly string[], env: Record<string, string>) {
  return spawnSync(process.execPath, [script, ...args], {
    env: { ...process.env, BASELINE_DEBUG: "", BASELINE_STRICT: "", NO_COLOR: "", ...env },
    encoding: "utf8",
  });
}

const synth = (env: Record<string, string>) => node(path.join(DIST, "main.js"), [], env);
/** `npm run validate` without npm: bin/validate.js would rebuild dist/, which the test run has just built. */
const VALIDATE = path.join(mkdtempSync(path.join(tmpdir(), "baseline-validate-")), "validate.js");
writeFileSync(
  VALIDATE,
  `require(${JSON.stringify(path.join(DIST, "cli", "run.js"))}).runBaseline({ command: "validate", argv: process.argv.slice(2), env: process.env }).then((c) => (process.exitCode = c));`,
);
const validate = (args: readonly string[], env: Record<string, string> = {}) => node(VALIDATE, args, env);
afterAll(() => rmSync(path.dirname(VALIDATE), { recursive: true, force: true }));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "baseline-cli-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function writeConfig(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

const badYaml = () => sampleYaml().replace("wrkspc_01ResearchDev", "wrkspc-01");

describe("npm run validate", () => {
  test("runs every check, prints the summary, writes nothing and loads no cdktf", () => {
    const outdir = path.join(dir, "out");
    const probe = node(
      "-e",
      [
        `require(${JSON.stringify(path.join(DIST, "cli", "run.js"))}).runBaseline({command:"validate",argv:[],env:process.env,stdout:()=>{}}).then(c=>{process.stdout.write(JSON.stringify({c,cdktf:Object.keys(require.cache).filter(k=>/node_modules[\\\\/](cdktf|constructs|@cdktf)[\\\\/]/.test(k)).length}))})`,
      ],
      { CDKTF_OUTDIR: outdir },
    );
    expect(JSON.parse(probe.stdout)).toEqual({ c: 0, cdktf: 0 });
    const run = validate([], { CDKTF_OUTDIR: outdir });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("claude-platform-baseline-root-protectAuditTrail: 10,067 / 10,240 characters");
    expect(run.stdout).toMatch(/valid: every check synthesis makes passed; nothing was written\. Next: npm run synth\n$/);
    expect(existsSync(outdir)).toBe(false);
  });

  test("takes the config as an argument, resolved from the caller's directory (INIT_CWD)", () => {
    writeConfig("org.yaml", sampleYaml());
    const run = validate(["org.yaml"], { INIT_CWD: dir });
    expect(run.status).toBe(0);
    expect(run.stdout.split("\n")[0]).toBe(`claude-platform-baseline: ${path.join(dir, "org.yaml")}`);
  });

  test.each([
    ["a config problem", badYaml],
    ["a quota problem", () => sampleYaml().replace("  root:\n    id: r-a1b2", "  root:\n    id: r-a1b2\n    reservedScpSlots: 9")],
  ])("%s: exit 1 and the same error lines as synth", (_name, text) => {
    const file = writeConfig("bad.yaml", text());
    const checked = validate([file]);
    const synthesized = synth({ BASELINE_CONFIG: file, CDKTF_OUTDIR: path.join(dir, "out") });
    expect(checked.status).toBe(1);
    expect(synthesized.status).toBe(1);
    expect(checked.stderr).toMatch(/^error: /);
    expect(synthesized.stderr.startsWith(checked.stderr)).toBe(true);
    expect(synthesized.stderr.slice(checked.stderr.length)).toBe("nothing was written.\n");
  });

  test("a command line it does not understand: exit 2 and the usage", () => {
    const run = validate(["--strcit"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      "error: unknown option --strcit; usage: npm run validate [-- [<config.yaml>] [--strict]]   (the config defaults to BASELINE_CONFIG, then the sample organization)\n",
    );
  });
});

describe("a synth", () => {
  test("records the config it came from: its path and SHA-256", () => {
    const file = writeConfig("org.yaml", sampleYaml());
    const outdir = path.join(dir, "out");
    const run = synth({ BASELINE_CONFIG: file, CDKTF_OUTDIR: outdir });
    expect(run.status).toBe(0);
    expect(JSON.parse(readFileSync(path.join(outdir, "baseline-output.json"), "utf8"))).toEqual({
      config: { path: file, sha256: createHash("sha256").update(sampleYaml()).digest("hex") },
      stacks: ["organization", "audit", "roles-payments-prod", "roles-research-dev", "roles-sandbox"],
      policyFiles: 28,
    });
  });

  test("that fails leaves the earlier output byte for byte, and says which config it came from", () => {
    const outdir = path.join(dir, "out");
    const good = writeConfig("good.yaml", sampleYaml());
    expect(synth({ BASELINE_CONFIG: good, CDKTF_OUTDIR: outdir }).status).toBe(0);
    const before = snapshot(outdir);
    const run = synth({ BASELINE_CONFIG: writeConfig("bad.yaml", badYaml()), CDKTF_OUTDIR: outdir });
    expect(run.status).toBe(1);
    const sha = createHash("sha256").update(sampleYaml()).digest("hex");
    expect(run.stderr.trimEnd().split("\n").pop()).toBe(
      `nothing was written; ${outdir}/ still holds the earlier output, synthesized from ${good} (sha256 ${sha.slice(0, 12)}), untouched.`,
    );
    expect(snapshot(outdir)).toEqual(before);
  });

  test("removes the stacks of accounts the config no longer has, as cdktf synth does", () => {
    const outdir = path.join(dir, "out");
    expect(synth({ CDKTF_OUTDIR: outdir }).status).toBe(0);
    const withoutSandboxRole = sampleYaml().replace(/( {2}- name: security-audit[\s\S]*?accounts: \[)[^\]]*\]/, '$1"333333333333"]');
    expect(withoutSandboxRole).not.toBe(sampleYaml());
    expect(synth({ BASELINE_CONFIG: writeConfig("org.yaml", withoutSandboxRole), CDKTF_OUTDIR: outdir }).status).toBe(0);
    expect(readdirSync(path.join(outdir, "stacks")).sort()).toEqual(["audit", "organization", "roles-payments-prod", "roles-research-dev"]);
  });

  test("ends with where the output went and what to run next", () => {
    const outdir = path.join(dir, "out");
    const run = synth({ CDKTF_OUTDIR: outdir });
    expect(run.stdout.trimEnd().split("\n").slice(-4)).toEqual([
      `  written to ${outdir}/: stacks organization, audit, roles-payments-prod, roles-research-dev, roles-sandbox`,
      `  policy documents as JSON, for tools that do not read Terraform: ${outdir}/policies/<stack>/ (28 files)`,
      `  the config and its SHA-256 are recorded in ${outdir}/baseline-output.json`,
      `  next: npx cdktf diff <stack> to see what would change (organization first), then npx cdktf deploy <stack>; README "Plan and deploy"`,
    ]);
  });

  test("a relative BASELINE_CONFIG is read from the caller's directory", () => {
    mkdirSync(path.join(dir, "orgs"));
    cpSync(SAMPLE_CONFIG_PATH, path.join(dir, "orgs", "org.yaml"));
    const run = synth({ BASELINE_CONFIG: "orgs/org.yaml", INIT_CWD: dir, CDKTF_OUTDIR: path.join(dir, "out") });
    expect(run.status).toBe(0);
    expect(run.stdout.split("\n")[0]).toBe(`claude-platform-baseline: ${path.join(dir, "orgs", "org.yaml")}`);
  });
});

describe("warnings", () => {
  const repeatedEmail = () => sampleYaml().replace("email: [security@example.com]", "email: [security@example.com, security@example.com]");
  const warning =
    "auditTrail.alarms.email[1]: security@example.com is already listed at auditTrail.alarms.email[0], and one address is one subscription; remove the repeat";

  test("are printed in the summary, one line each, and the run still succeeds", () => {
    const run = synth({ BASELINE_CONFIG: writeConfig("org.yaml", repeatedEmail()), CDKTF_OUTDIR: path.join(dir, "out") });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      `  1 warning (valid, but part of the config can have no effect; --strict or BASELINE_STRICT=1 makes it an error):\n    warning: ${warning}\n`,
    );
  });

  test.each([
    ["--strict", ["--strict"], {}],
    ["BASELINE_STRICT=1", [], { BASELINE_STRICT: "1" }],
  ])("%s turns them into errors: exit 1, nothing written", (_name, args, env) => {
    const outdir = path.join(dir, "out");
    const run = node(path.join(DIST, "main.js"), args, { ...env, BASELINE_CONFIG: writeConfig("org.yaml", repeatedEmail()), CDKTF_OUTDIR: outdir });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`error: ${path.join(dir, "org.yaml")}: 1 problem\n  ${warning} (a warning, an error under --strict)\nnothing was written.\n`);
    expect(existsSync(outdir)).toBe(false);
  });

  test("the sample organization has none", () => {
    expect(validate([]).stdout).not.toContain("warning");
  });
});

describe("colour", () => {
  test("never when the output is not a terminal", () => {
    const run = synth({ BASELINE_CONFIG: writeConfig("bad.yaml", badYaml()), CDKTF_OUTDIR: path.join(dir, "out") });
    expect(run.stderr).toMatch(/^error: /);
    expect(run.stderr).not.toContain("\u001b[");
  });

  test("on a terminal the error label is red, and the message is the same text", async () => {
    const file = writeConfig("bad.yaml", badYaml());
    const printed: string[] = [];
    const code = await runBaseline({ command: "validate", argv: [file], env: {}, colour: true, stderr: (t) => printed.push(t), stdout: () => undefined });
    expect(code).toBe(1);
    const ESC = "\u001b";
    expect(printed.join("").startsWith(`${ESC}[31merror:${ESC}[0m `)).toBe(true);
    expect(printed.join("").split(`${ESC}[31m`).join("").split(`${ESC}[0m`).join("")).toBe(validate([file]).stderr);
  });
});

describe("the account view", () => {
  test("groups accounts by the baseline SCPs that reach them, root first, and leaves out the management account", async () => {
    const plan = await planBaseline(sampleConfig());
    const view = accountView(plan);
    const small = "denyServiceSpecificCredentials, denyShadowApiKeyUsers, denyLongTermBearerTokens, limitConsoleFederation, denyAnthropicManagedPolicies";
    expect(view).toEqual([
      "  accounts, by the baseline SCPs that govern them (root first):",
      `    222222222222 (audit): root-1 + root-protectAuditTrail + root-protectAuditTrail-part-2 + ou-a1b2-plat0001-1 = ${small}, protectAuditTrail, disableClaudePlatform`,
      `    333333333333 (payments-prod), 444444444444 (research-dev): root-1 + root-protectAuditTrail + root-protectAuditTrail-part-2 + ou-a1b2-work0001-1 = ${small}, protectAuditTrail, protectWorkspaces`,
      `    555555555555 (sandbox): root-1 + root-protectAuditTrail + root-protectAuditTrail-part-2 + ou-a1b2-sand0001-1 = ${small}, protectAuditTrail, approvedWorkspacesOnly[0]`,
      "    111111111111 (management): none apply; SCPs never restrict the management account",
    ]);
  });
});

function snapshot(outdir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(outdir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const file = path.join(entry.parentPath, entry.name);
      files[path.relative(outdir, file)] = readFileSync(file, "utf8");
    }
  }
  return files;
}
