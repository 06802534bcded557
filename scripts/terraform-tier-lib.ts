/**
 * Pure helpers for the Terraform tier (scripts/terraform-tier.ts).
 *
 * Nothing in this file touches the file system, the environment or child
 * processes: every function takes plain data and returns plain data, so each
 * one can be unit-tested on its own.
 *
 * How the tier runs Terraform offline (all verified with terraform 1.11.4 and
 * hashicorp/aws 5.100.0):
 * - The provider comes from a CLI config `provider_installation.dev_overrides`
 *   entry that points at the unpacked provider binary. With it `terraform
 *   validate` and `terraform plan` run without `terraform init`, and the
 *   version constraint in `required_providers` (e.g. "6.25.0" from the 6.x
 *   bindings) is ignored, so the stack copy keeps its constraint unchanged.
 * - `terraform init` must not be run: under dev_overrides it still asks the
 *   public registry for versions of the overridden provider and fails offline.
 *   That is also why the stack's backend is removed instead of being replaced
 *   by an explicit `backend "local"` block: any explicit backend block demands
 *   `terraform init` ("Backend initialization required"), while a
 *   configuration with no backend block uses Terraform's implicit local
 *   backend, whose state file is `terraform.tfstate` in the working directory,
 *   i.e. inside the tier's temp copy of the stack.
 * - The aws provider block(s) get dummy static credentials, the three `skip_*`
 *   settings, and `max_retries = 1`; everything that would read local files or
 *   call STS/IMDS (assume_role, profile, ...) is removed. The runner also
 *   points HTTP(S)_PROXY at a closed loopback port so any API call that still
 *   happens (a data source) fails at once instead of reaching AWS.
 * - The HCL pass checks `cdktf synth --hcl` output as the CLI leaves it (the
 *   CLI formats the app's HCL with hclwrite after the app exits): `terraform
 *   fmt -check`, then `terraform validate` on an unpatched copy, which works
 *   because validate never initializes the backend or configures the provider.
 */

/** What the command line asked for. */
export interface TierArgs {
  /** Already-synthesized cdktf output dir (contains manifest.json); synthesize the app when undefined. */
  outdir: string | undefined;
  /** Exit 0 with a "skipped" line when terraform or the provider mirror is missing. */
  skipIfMissing: boolean;
  /** Keep the temp dir instead of deleting it. */
  keep: boolean;
  /** Only run these stacks (empty: all). */
  stacks: string[];
  /** Per-terraform-command timeout, in seconds. */
  timeoutSeconds: number;
  /** Also check `cdktf synth --hcl` output: `terraform fmt -check` and `terraform validate` per stack. */
  hcl: boolean;
  /** Already-synthesized `cdktf synth --hcl` output to check; run the CLI when undefined. */
  hclOutdir: string | undefined;
  help: boolean;
}

export const USAGE =
  "usage: node dist/scripts/terraform-tier.js [--outdir <cdktf out dir>] [--stack <name>]... " +
  "[--skip-if-missing] [--keep] [--timeout <seconds>] [--hcl-outdir <dir> | --no-hcl]\n" +
  "  --outdir <dir>       use an already-synthesized app (dir with manifest.json) instead of running dist/main.js\n" +
  "                       (the HCL pass then runs only with --hcl-outdir)\n" +
  "  --stack <name>       only check this stack (repeatable)\n" +
  "  --skip-if-missing    exit 0 with a notice if terraform or the aws provider mirror is missing\n" +
  "                       (same as env BASELINE_SKIP_TERRAFORM=1)\n" +
  "  --keep               keep the temp dir (synth output, patched stacks, plans) and print where it is\n" +
  "  --timeout <seconds>  kill a terraform command that runs longer than this (default 600)\n" +
  "  --hcl-outdir <dir>   check this `cdktf synth --hcl` output (fmt -check, validate) instead of running the CLI\n" +
  "  --no-hcl             skip the HCL pass\n" +
  "env: TF_PROVIDER_MIRROR=<dir> (default /opt/tf-plugins), TERRAFORM_BIN=<path> (default: terraform on PATH)";

export const DEFAULT_TIMEOUT_SECONDS = 600;

/** Parses the tier's command line. `env` is consulted for BASELINE_SKIP_TERRAFORM only. */
export function parseTierArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): TierArgs | { error: string } {
  const args: TierArgs = {
    outdir: undefined,
    skipIfMissing: env.BASELINE_SKIP_TERRAFORM === "1" || env.BASELINE_SKIP_TERRAFORM === "true",
    keep: false,
    stacks: [],
    timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
    hcl: true,
    hclOutdir: undefined,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf("=");
    const flag = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith("--") && eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string | undefined => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--")) return undefined;
      i++;
      return next;
    };
    switch (flag) {
      case "--outdir": {
        const v = value();
        if (!v) return { error: "--outdir needs a directory" };
        args.outdir = v;
        break;
      }
      case "--stack": {
        const v = value();
        if (!v) return { error: "--stack needs a stack name" };
        args.stacks.push(v);
        break;
      }
      case "--timeout": {
        const v = value();
        const n = v === undefined ? NaN : Number(v);
        if (!Number.isFinite(n) || n <= 0) return { error: "--timeout needs a positive number of seconds" };
        args.timeoutSeconds = n;
        break;
      }
      case "--hcl-outdir": {
        const v = value();
        if (!v) return { error: "--hcl-outdir needs a directory" };
        args.hclOutdir = v;
        break;
      }
      case "--no-hcl":
        args.hcl = false;
        break;
      case "--skip-if-missing":
        args.skipIfMissing = true;
        break;
      case "--keep":
        args.keep = true;
        break;
      case "--help":
      case "-h":
        args.help = true;
        break;
      default:
        return { error: `unknown argument: ${arg}` };
    }
  }
  return args;
}

/** Quotes a string for HCL (JSON string syntax, plus escaping of template sequences). */
export function hclString(s: string): string {
  return JSON.stringify(s)
    .replace(/\$\{/g, () => "$${")
    .replace(/%\{/g, () => "%%{");
}

/**
 * Text of the Terraform CLI config file the tier passes via TF_CLI_CONFIG_FILE.
 * `providerDir` is the directory that contains the terraform-provider-aws binary.
 */
export function renderCliConfig(providerDir: string): string {
  return [
    "# Written by scripts/terraform-tier.ts for an offline validate/plan. Do not run `terraform init` with it.",
    "disable_checkpoint = true",
    "",
    "provider_installation {",
    "  dev_overrides {",
    `    "hashicorp/aws" = ${hclString(providerDir)}`,
    "  }",
    "  direct {}",
    "}",
    "",
  ].join("\n");
}

/** Files and dirs the runner creates for terraform, all inside the tier's temp dir. */
export interface TerraformEnvPaths {
  cliConfigFile: string;
  /** TF_DATA_DIR (instead of `.terraform` in the working dir). */
  dataDir: string;
  /** Used as HOME so nothing is read from or written to the real home directory. */
  homeDir: string;
}

/** A loopback address where nothing listens: any HTTP(S) request made through it fails at once. */
export const BLACKHOLE_PROXY = "http://127.0.0.1:9";

/**
 * Environment for terraform child processes: the caller's environment minus
 * everything Terraform- or AWS-related, plus the tier's own settings.
 */
export function buildTerraformEnv(base: Readonly<Record<string, string | undefined>>, paths: TerraformEnvPaths): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) {
    if (v === undefined) continue;
    // TF_* (TF_CLI_ARGS*, TF_WORKSPACE, TF_PLUGIN_CACHE_DIR, TF_LOG, TF_VAR_*, ...) and AWS_* (profiles,
    // web identity, real keys, ...) could change what terraform or the provider does; proxies are set below.
    if (/^(TF_|AWS_)/.test(k) || /^(https?_proxy|no_proxy|all_proxy)$/i.test(k)) continue;
    if (k === "CHECKPOINT_DISABLE" || k === "HOME") continue;
    env[k] = v;
  }
  Object.assign(env, {
    HOME: paths.homeDir,
    TF_CLI_CONFIG_FILE: paths.cliConfigFile,
    TF_DATA_DIR: paths.dataDir,
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
    // Dummy credentials (the provider blocks get them too), and no shared config/credentials files or IMDS.
    AWS_ACCESS_KEY_ID: DUMMY_ACCESS_KEY,
    AWS_SECRET_ACCESS_KEY: DUMMY_SECRET_KEY,
    AWS_CONFIG_FILE: `${paths.homeDir}/aws-config-does-not-exist`,
    AWS_SHARED_CREDENTIALS_FILE: `${paths.homeDir}/aws-credentials-do-not-exist`,
    AWS_EC2_METADATA_DISABLED: "true",
    // Only used when a provider block sets no region.
    AWS_REGION: "us-east-1",
    AWS_DEFAULT_REGION: "us-east-1",
    HTTP_PROXY: BLACKHOLE_PROXY,
    HTTPS_PROXY: BLACKHOLE_PROXY,
    http_proxy: BLACKHOLE_PROXY,
    https_proxy: BLACKHOLE_PROXY,
  });
  return env;
}

/** Where `cdktf synth` may write its own state, and the terraform CLI config it passes on. */
export interface CdktfEnvPaths {
  cdktfHome: string;
  cliConfigFile: string;
}

/**
 * Environment for the tier's `cdktf synth --hcl`: quiet, offline and out of the home directory
 * (toolchain.md), and rid of settings that would change what the app writes (a single stack,
 * errors ignored, another outdir; `--hcl` and `--output` say the rest).
 */
export function cdktfSynthEnv(base: Readonly<Record<string, string | undefined>>, paths: CdktfEnvPaths): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) {
    if (v === undefined || /^(CDKTF_TARGET_STACK_ID|CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS|CDKTF_OUTDIR|SYNTH_HCL_OUTPUT|TF_CLI_CONFIG_FILE)$/.test(k))
      continue;
    env[k] = v;
  }
  return {
    ...env,
    CHECKPOINT_DISABLE: "1",
    DISABLE_VERSION_CHECK: "true",
    CDKTF_DISABLE_PLUGIN_CACHE_ENV: "true",
    CDKTF_HOME: paths.cdktfHome,
    TF_CLI_CONFIG_FILE: paths.cliConfigFile,
    CI: "1",
  };
}

/** The files `terraform fmt -check -list=true` names: those not as `terraform fmt` would write them. */
export function parseFmtList(stdout: string): string[] {
  return stdout
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
}

export const DUMMY_ACCESS_KEY = "AKIAOFFLINETIERDUMMY";
export const DUMMY_SECRET_KEY = "offline-terraform-tier-dummy-secret-key";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** True when a required_providers `source` means hashicorp/aws. */
export function isAwsProviderSource(source: string | undefined): boolean {
  if (source === undefined) return false;
  const s = source.toLowerCase();
  return s === "aws" || s === "hashicorp/aws" || s === "registry.terraform.io/hashicorp/aws";
}

/**
 * aws provider arguments removed from the offline copy: they would make the
 * provider read local files, call STS, or check an account ID it no longer
 * learns (skip_requesting_account_id leaves it empty, and allowed_account_ids
 * then fails with "AWS account ID not allowed: ").
 */
export const REMOVED_PROVIDER_ARGS = [
  "assume_role",
  "assume_role_with_web_identity",
  "profile",
  "shared_config_files",
  "shared_credentials_files",
  "token",
  "allowed_account_ids",
  "forbidden_account_ids",
  "custom_ca_bundle",
  "http_proxy",
  "https_proxy",
  "no_proxy",
] as const;

/** Settings forced on every aws provider block of the offline copy. */
export const OFFLINE_PROVIDER_SETTINGS: Readonly<JsonObject> = {
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
  access_key: DUMMY_ACCESS_KEY,
  secret_key: DUMMY_SECRET_KEY,
  // A data source that still calls AWS fails after one attempt instead of retrying 25 times.
  max_retries: 1,
};

export interface PatchResult {
  /** The patched copy (the input is not modified). */
  stack: JsonObject;
  /** Human-readable list of what was changed. */
  changes: string[];
  /** Problems that make an offline run impossible (reported as failures). */
  problems: string[];
  /** Addresses of data sources: the plan reads them, which needs AWS, so they fail offline. */
  dataSources: string[];
}

/**
 * Makes a synthesized cdk.tf.json runnable offline: drops the backend (see the
 * file comment), and patches every aws provider block for dummy credentials.
 */
export function patchStackForOfflinePlan(input: unknown): PatchResult {
  const changes: string[] = [];
  const problems: string[] = [];
  if (!isObject(input)) {
    return { stack: {}, changes, problems: ["stack JSON is not an object"], dataSources: [] };
  }
  const stack = JSON.parse(JSON.stringify(input)) as JsonObject;

  const terraform = stack.terraform;
  if (isObject(terraform)) {
    for (const key of ["backend", "cloud"] as const) {
      const block = terraform[key];
      if (block === undefined) continue;
      const kind = isObject(block) ? Object.keys(block).join(",") : "";
      delete terraform[key];
      changes.push(`${key}${kind ? ` ${kind}` : ""} removed (implicit local backend, state in the temp copy)`);
    }
    const required = terraform.required_providers;
    if (isObject(required)) {
      for (const [name, spec] of Object.entries(required)) {
        const source = isObject(spec) && typeof spec.source === "string" ? spec.source : undefined;
        const isAws = isAwsProviderSource(source) || (source === undefined && name === "aws");
        if (!isAws) {
          problems.push(`provider "${name}"${source ? ` (${source})` : ""} is required, but only hashicorp/aws is available offline`);
        }
      }
    }
  }

  const providers = stack.provider;
  if (isObject(providers)) {
    const aws = providers.aws;
    const blocks: Json[] = Array.isArray(aws) ? aws : aws === undefined ? [] : [aws];
    blocks.forEach((block, i) => {
      if (!isObject(block)) return;
      const label = `provider aws[${i}]${typeof block.alias === "string" ? ` (alias ${block.alias})` : ""}`;
      const removed = REMOVED_PROVIDER_ARGS.filter((k) => k in block);
      for (const k of removed) delete block[k];
      Object.assign(block, OFFLINE_PROVIDER_SETTINGS);
      changes.push(`${label}: ${removed.length ? `removed ${removed.join(", ")}; ` : ""}dummy credentials, skip_* = true`);
    });
    if (blocks.length === 0) changes.push("no aws provider block (default provider configuration from env)");
  }

  const dataSources: string[] = [];
  const data = stack.data;
  if (isObject(data)) {
    for (const [type, byName] of Object.entries(data)) {
      if (!isObject(byName)) continue;
      for (const name of Object.keys(byName)) dataSources.push(`data.${type}.${name}`);
    }
  }
  if (isObject(stack.module) && Object.keys(stack.module).length > 0) {
    problems.push(`modules (${Object.keys(stack.module).join(", ")}) need \`terraform init\`, which cannot run offline`);
  }
  return { stack, changes, problems, dataSources };
}

/** A Terraform diagnostic as printed by `validate -json` and by `plan -json` (subset). */
export interface Diagnostic {
  severity: string;
  summary: string;
  detail?: string;
  address?: string;
  range?: { filename?: string; start?: { line?: number; column?: number } };
  snippet?: { context?: string | null; code?: string; start_line?: number };
}

function toDiagnostic(v: unknown): Diagnostic | undefined {
  if (!isObject(v) || typeof v.severity !== "string" || typeof v.summary !== "string") return undefined;
  return v as unknown as Diagnostic;
}

/** Parses `terraform validate -json` output. Throws if it is not the expected JSON document. */
export function parseValidateJson(stdout: string): { valid: boolean; diagnostics: Diagnostic[] } {
  const doc: unknown = JSON.parse(stdout);
  if (!isObject(doc) || typeof doc.valid !== "boolean" || !Array.isArray(doc.diagnostics)) {
    throw new Error("not terraform validate -json output");
  }
  const diagnostics = doc.diagnostics.map(toDiagnostic).filter((d): d is Diagnostic => d !== undefined);
  return { valid: doc.valid, diagnostics };
}

export interface ChangeSummary {
  add: number;
  change: number;
  remove: number;
  import: number;
}

/**
 * Parses the JSON-lines UI stream of `terraform plan -json`: the diagnostics
 * it reported and its change summary (absent when the plan failed early).
 */
export function parsePlanJsonStream(stdout: string): { diagnostics: Diagnostic[]; changeSummary?: ChangeSummary } {
  const diagnostics: Diagnostic[] = [];
  let changeSummary: ChangeSummary | undefined;
  for (const line of stdout.split("\n")) {
    if (!line.trim().startsWith("{")) continue;
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch {
      continue;
    }
    if (!isObject(msg)) continue;
    if (msg.type === "diagnostic") {
      const d = toDiagnostic(msg.diagnostic);
      if (d) diagnostics.push(d);
    } else if (msg.type === "change_summary" && isObject(msg.changes)) {
      const c = msg.changes;
      const n = (k: string): number => (typeof c[k] === "number" ? (c[k] as number) : 0);
      changeSummary = { add: n("add"), change: n("change"), remove: n("remove"), import: n("import") };
    }
  }
  return { diagnostics, changeSummary };
}

/** A warning that does not fail the tier, and why. */
export interface AllowedWarning {
  /** Exact diagnostic summary. */
  summary: string;
  reason: string;
}

/**
 * Warnings that do not fail the run. Keep this list short: every other warning
 * (deprecated arguments, provider warnings, ...) fails the tier.
 */
export const ALLOWED_WARNINGS: readonly AllowedWarning[] = [
  {
    // Printed by validate and plan on every run because the tier itself installs the
    // provider through dev_overrides (see renderCliConfig); it says nothing about the stack.
    summary: "Provider development overrides are in effect",
    reason: "the tier loads the mirrored aws provider through dev_overrides",
  },
];

export interface ClassifiedDiagnostics {
  errors: Diagnostic[];
  /** Warnings that fail the run. */
  warnings: Diagnostic[];
  /** Warnings on the allow-list. */
  allowed: Diagnostic[];
}

/** Splits diagnostics into errors, failing warnings and allowed warnings. Unknown severities count as errors. */
export function classifyDiagnostics(diagnostics: readonly Diagnostic[], allowList: readonly AllowedWarning[] = ALLOWED_WARNINGS): ClassifiedDiagnostics {
  const out: ClassifiedDiagnostics = { errors: [], warnings: [], allowed: [] };
  for (const d of diagnostics) {
    if (d.severity === "warning") {
      if (allowList.some((a) => a.summary === d.summary)) out.allowed.push(d);
      else out.warnings.push(d);
    } else {
      out.errors.push(d);
    }
  }
  return out;
}

/** Resource changes of a plan, by action. */
export interface PlanSummary {
  create: number;
  update: number;
  delete: number;
  replace: number;
  read: number;
  noop: number;
  /** `errored` from the plan JSON. */
  errored: boolean;
}

/** Counts `resource_changes` of `terraform show -json <plan>` by action. */
export function summarizePlan(plan: unknown): PlanSummary {
  const s: PlanSummary = { create: 0, update: 0, delete: 0, replace: 0, read: 0, noop: 0, errored: false };
  if (!isObject(plan)) throw new Error("plan JSON is not an object");
  s.errored = plan.errored === true;
  const changes = Array.isArray(plan.resource_changes) ? plan.resource_changes : [];
  for (const rc of changes) {
    if (!isObject(rc) || !isObject(rc.change) || !Array.isArray(rc.change.actions)) continue;
    const actions = rc.change.actions.filter((a): a is string => typeof a === "string");
    if (actions.length === 2 && actions.includes("create") && actions.includes("delete")) s.replace++;
    else if (actions.length === 1 && actions[0] === "create") s.create++;
    else if (actions.length === 1 && actions[0] === "update") s.update++;
    else if (actions.length === 1 && actions[0] === "delete") s.delete++;
    else if (actions.length === 1 && actions[0] === "read") s.read++;
    else if (actions.length === 1 && actions[0] === "no-op") s.noop++;
  }
  return s;
}

/** "12 to add", "12 to add, 1 to read", ... */
export function formatPlanSummary(s: PlanSummary): string {
  const parts = [`${s.create} to add`];
  if (s.update) parts.push(`${s.update} to change`);
  if (s.replace) parts.push(`${s.replace} to replace`);
  if (s.delete) parts.push(`${s.delete} to destroy`);
  if (s.read) parts.push(`${s.read} to read`);
  return parts.join(", ");
}

/** Reasons a successful plan is still wrong. The plan starts from an empty state, so it must only create. */
export function planProblems(s: PlanSummary): string[] {
  const problems: string[] = [];
  if (s.errored) problems.push("plan JSON says errored: true");
  if (s.create === 0) problems.push("plan creates no resources (an empty stack is a bug)");
  if (s.update || s.delete || s.replace) {
    problems.push("plan from an empty state wants to change, replace or destroy resources");
  }
  return problems;
}

/**
 * Compact lines for a diagnostic: "error: <summary>", the first lines of the
 * detail, and where (resource address or file:line).
 */
export function formatDiagnostic(d: Diagnostic, maxDetailLines = 6): string[] {
  const lines = [`${d.severity}: ${d.summary}`];
  const detail = (d.detail ?? "").trim();
  if (detail) {
    const detailLines = detail.split("\n").filter((l) => l.trim() !== "");
    lines.push(...detailLines.slice(0, maxDetailLines).map((l) => `  ${l}`));
    if (detailLines.length > maxDetailLines) lines.push(`  … (${detailLines.length - maxDetailLines} more lines)`);
  }
  const where: string[] = [];
  const address = d.address ?? d.snippet?.context ?? undefined;
  if (address) where.push(address);
  if (d.range?.filename) {
    where.push(`${d.range.filename}${d.range.start?.line !== undefined ? `:${d.range.start.line}` : ""}`);
  }
  if (where.length) lines.push(`  at ${where.join(" — ")}`);
  return lines;
}

/** "2.9 s" */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Stack entry of cdktf's manifest.json. */
export interface ManifestStack {
  name: string;
  /** Relative to the out dir. */
  workingDirectory: string;
  /** Relative to the out dir. */
  synthesizedStackPath: string;
}

/** Reads the stacks out of cdktf's manifest.json (parsed). Throws on an unexpected shape. */
export function stacksFromManifest(manifest: unknown): ManifestStack[] {
  if (!isObject(manifest) || !isObject(manifest.stacks)) throw new Error('manifest.json has no "stacks" object');
  return Object.entries(manifest.stacks).map(([key, v]) => {
    if (!isObject(v) || typeof v.synthesizedStackPath !== "string" || typeof v.workingDirectory !== "string") {
      throw new Error(`manifest.json: stack "${key}" lacks synthesizedStackPath/workingDirectory`);
    }
    return {
      name: typeof v.name === "string" ? v.name : key,
      workingDirectory: v.workingDirectory,
      synthesizedStackPath: v.synthesizedStackPath,
    };
  });
}

/** A name safe to use as a single path segment. */
export function safeDirName(name: string): string {
  const s = name.replace(/[^A-Za-z0-9._-]/g, "_");
  return s === "" || s === "." || s === ".." ? `_${s}` : s;
}

/** Compares dotted version strings numerically ("5.100.0" > "5.99.1"). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => parseInt(x, 10));
  const pb = b.split(/[.-]/).map((x) => parseInt(x, 10));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = Number.isNaN(pa[i] ?? 0) ? 0 : (pa[i] ?? 0);
    const y = Number.isNaN(pb[i] ?? 0) ? 0 : (pb[i] ?? 0);
    if (x !== y) return x - y;
  }
  return 0;
}
