/** The terraform tier's pure steps: the offline copy of a stack, diagnostics, plan checks, and the HCL pass's arguments and environment. */
import {
  cdktfSynthEnv,
  classifyDiagnostics,
  parseFmtList,
  parseTierArgs,
  patchStackForOfflinePlan,
  planProblems,
  summarizePlan,
} from "../scripts/terraform-tier-lib";
import { sampleConfig, synthesize } from "./harness/synth";

test("the offline copy drops the backend and the role assumption, keeps the resources, and leaves the input alone", async () => {
  const out = await synthesize(sampleConfig());
  const original = out.stack("organization");
  out.cleanup();
  const before = JSON.stringify(original);
  const { stack, problems } = patchStackForOfflinePlan(original);
  expect(problems).toEqual([]);
  expect(JSON.stringify(original)).toBe(before);
  const patched = stack as typeof original;
  expect(patched.terraform?.backend).toBeUndefined();
  const [provider] = patched.provider?.aws ?? [];
  expect(provider).not.toHaveProperty("assume_role");
  expect(provider).not.toHaveProperty("allowed_account_ids");
  expect(provider).toMatchObject({ skip_credentials_validation: true, skip_requesting_account_id: true, skip_metadata_api_check: true });
  expect(patched.resource).toEqual(original.resource);
});

test("a stack that needs another provider or a module is refused before terraform runs", () => {
  const { problems } = patchStackForOfflinePlan({ terraform: { required_providers: { random: { source: "hashicorp/random" } } }, module: { m: {} } });
  expect(problems).toEqual([expect.stringContaining('provider "random"'), expect.stringContaining("modules (m)")]);
});

test("only the allow-listed warning passes; other warnings and errors fail", () => {
  const result = classifyDiagnostics([
    { severity: "warning", summary: "Provider development overrides are in effect" },
    { severity: "warning", summary: "Argument is deprecated" },
    { severity: "error", summary: "Unsupported argument" },
  ]);
  expect(result.allowed.map((d) => d.summary)).toEqual(["Provider development overrides are in effect"]);
  expect(result.warnings.map((d) => d.summary)).toEqual(["Argument is deprecated"]);
  expect(result.errors.map((d) => d.summary)).toEqual(["Unsupported argument"]);
});

test("a plan from empty state must create something and change nothing", () => {
  const plan = (actions: string[][]) => summarizePlan({ resource_changes: actions.map((a) => ({ change: { actions: a } })) });
  expect(planProblems(plan([["create"], ["create"]]))).toEqual([]);
  expect(planProblems(plan([]))).toEqual(["plan creates no resources (an empty stack is a bug)"]);
  expect(planProblems(plan([["create"], ["delete", "create"]]))).toEqual(["plan from an empty state wants to change, replace or destroy resources"]);
});

test("the HCL pass runs by default, checks a given cdktf synth --hcl output instead with --hcl-outdir, and is skipped with --no-hcl", () => {
  expect(parseTierArgs([], {})).toMatchObject({ hcl: true, hclOutdir: undefined });
  expect(parseTierArgs(["--hcl-outdir", "out-hcl"], {})).toMatchObject({ hcl: true, hclOutdir: "out-hcl" });
  expect(parseTierArgs(["--no-hcl"], {})).toMatchObject({ hcl: false });
  expect(parseTierArgs(["--hcl-outdir"], {})).toEqual({ error: "--hcl-outdir needs a directory" });
});

test("cdktf synth --hcl runs quiet, offline, out of the home directory, and ignores settings that would change what the app writes", () => {
  const env = cdktfSynthEnv(
    { PATH: "/bin", CDKTF_TARGET_STACK_ID: "audit", SYNTH_HCL_OUTPUT: "false", CDKTF_OUTDIR: "elsewhere", TF_CLI_CONFIG_FILE: "/missing" },
    { cdktfHome: "/tmp/h", cliConfigFile: "/tmp/rc" },
  );
  expect(env).toEqual({
    PATH: "/bin",
    CHECKPOINT_DISABLE: "1",
    DISABLE_VERSION_CHECK: "true",
    CDKTF_DISABLE_PLUGIN_CACHE_ENV: "true",
    CDKTF_HOME: "/tmp/h",
    TF_CLI_CONFIG_FILE: "/tmp/rc",
    CI: "1",
  });
});

test("terraform fmt -check -list names the files it would rewrite", () => {
  expect(parseFmtList("cdk.tf\n\n")).toEqual(["cdk.tf"]);
  expect(parseFmtList("")).toEqual([]);
});
