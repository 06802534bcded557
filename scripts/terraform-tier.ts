/**
 * Terraform tier: runs `terraform validate` and `terraform plan` on every
 * stack the cdktf app synthesizes, with the real hashicorp/aws provider,
 * fully offline (no init, no registry, no AWS calls, dummy credentials); then
 * `terraform fmt -check` and `terraform validate` on every stack of
 * `cdktf synth --hcl`, run through the CLI as users run it (the CLI formats
 * the app's HCL after the app writes it, so only its output is what users get).
 *
 *   node dist/scripts/terraform-tier.js [--outdir <dir>] [--stack <name>]... [--skip-if-missing] [--keep] [--timeout <s>] [--hcl-outdir <dir> | --no-hcl]
 *
 * Exit codes: 0 all stacks passed (or the tier was skipped), 1 a stack or the
 * synth failed, 2 terraform / the provider mirror is missing, or bad usage.
 *
 * How the offline run works, and every pure step, is in terraform-tier-lib.ts.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  buildTerraformEnv,
  cdktfSynthEnv,
  classifyDiagnostics,
  compareVersions,
  Diagnostic,
  formatDiagnostic,
  formatPlanSummary,
  formatSeconds,
  ManifestStack,
  parseFmtList,
  parsePlanJsonStream,
  parseTierArgs,
  parseValidateJson,
  patchStackForOfflinePlan,
  PlanSummary,
  planProblems,
  renderCliConfig,
  safeDirName,
  stacksFromManifest,
  summarizePlan,
  TerraformEnvPaths,
  TierArgs,
  USAGE,
} from "./terraform-tier-lib";

const PREFIX = "terraform-tier:";
const DEFAULT_MIRROR = "/opt/tf-plugins";

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Repo root: the nearest directory above this file that has a package.json. */
function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
}

function findOnPath(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, cmd);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function terraformPlatform(): string {
  const osName = process.platform === "win32" ? "windows" : process.platform;
  const arch = process.arch === "x64" ? "amd64" : process.arch === "ia32" ? "386" : process.arch;
  return `${osName}_${arch}`;
}

interface ProviderLocation {
  version: string;
  /** Directory containing the terraform-provider-aws binary (what dev_overrides needs). */
  dir: string;
}

/** Highest hashicorp/aws version in an unpacked filesystem mirror that has a binary for this platform. */
function findAwsProvider(mirror: string): ProviderLocation | undefined {
  const base = path.join(mirror, "registry.terraform.io", "hashicorp", "aws");
  let versions: string[];
  try {
    versions = fs.readdirSync(base);
  } catch {
    return undefined;
  }
  versions.sort(compareVersions).reverse();
  for (const version of versions) {
    const dir = path.join(base, version, terraformPlatform());
    try {
      if (fs.readdirSync(dir).some((f) => f.startsWith("terraform-provider-aws_"))) return { version, dir };
    } catch {
      // no binary for this platform
    }
  }
  return undefined;
}

interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Spawn error or timeout, if any. */
  error?: string;
}

/** The terraform (or node) child currently running, so a signal can stop it before the temp dir goes. */
let currentChild: ChildProcess | undefined;

function run(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let error: string | undefined;
    let settled = false;
    const finish = (status: number | null, signal: NodeJS.Signals | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (currentChild === child) currentChild = undefined;
      if (!error && signal) error = `killed by ${signal}`;
      resolve({
        status,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        ms: Date.now() - t0,
        ...(error ? { error } : {}),
      });
    };
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    currentChild = child;
    child.stdout?.on("data", (b: Buffer) => out.push(b));
    child.stderr?.on("data", (b: Buffer) => err.push(b));
    const timer = setTimeout(() => {
      error = `timed out after ${formatSeconds(timeoutMs)}`;
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
    }, timeoutMs);
    child.on("error", (e) => {
      error = e.message;
      // The process never started: no 'close' is guaranteed.
      if (child.pid === undefined) finish(null, null);
    });
    child.on("close", (code, signal) => finish(code, signal));
  });
}

function tail(text: string, lines = 20): string[] {
  const all = text.split("\n").filter((l) => l.trim() !== "");
  return all.length > lines ? [`… (${all.length - lines} earlier lines)`, ...all.slice(-lines)] : all;
}

interface StackResult {
  name: string;
  ok: boolean;
  fmtMs?: number;
  validateMs?: number;
  planMs?: number;
  summary?: PlanSummary;
  /** What passed, where there is no plan to summarize (the HCL pass). */
  note?: string;
  /** One-line reasons for failure. */
  failures: string[];
  /** Diagnostics that failed the stack (errors and non-allowed warnings). */
  diagnostics: Diagnostic[];
  /** Raw output to show when terraform failed without parseable diagnostics. */
  rawOutput: string[];
}

interface Context {
  terraform: string;
  workRoot: string;
  timeoutMs: number;
  outdir: string;
  /** Environment for one stack, given its data dir. */
  envFor(dataDir: string): NodeJS.ProcessEnv;
}

async function checkStack(ctx: Context, stack: ManifestStack): Promise<StackResult> {
  const name = stack.name;
  const res: StackResult = { name, ok: false, failures: [], diagnostics: [], rawOutput: [] };
  const fail = (reason: string): StackResult => {
    res.failures.push(reason);
    return res;
  };

  const src = path.resolve(ctx.outdir, stack.workingDirectory);
  const stackRoot = path.join(ctx.workRoot, safeDirName(name));
  const work = path.join(stackRoot, "work");
  copyStack(ctx.outdir, stack, work);
  const stackFile = path.relative(src, path.resolve(ctx.outdir, stack.synthesizedStackPath));
  if (!stackFile.endsWith(".json")) {
    return fail(`${stack.synthesizedStackPath} is not Terraform JSON (SYNTH_HCL_OUTPUT set?); the tier needs JSON`);
  }
  const stackPath = path.join(work, stackFile);
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(stackPath, "utf8"));
  } catch (e) {
    return fail(`cannot read ${stack.synthesizedStackPath}: ${(e as Error).message}`);
  }
  const patch = patchStackForOfflinePlan(parsed);
  fs.writeFileSync(stackPath, `${JSON.stringify(patch.stack, null, 2)}\n`);
  log(`${name}: offline copy: ${patch.changes.join("; ")}`);
  if (patch.problems.length) {
    log(`${name}: FAILED before terraform: ${patch.problems.join("; ")}`);
    for (const p of patch.problems) res.failures.push(p);
    return res;
  }
  if (patch.dataSources.length) {
    log(`${name}: note: plan reads data sources, which need AWS and will fail offline: ${patch.dataSources.join(", ")}`);
  }

  const dataDir = path.join(stackRoot, "tf-data");
  fs.mkdirSync(dataDir, { recursive: true });
  const env = ctx.envFor(dataDir);

  if (!(await validateIn(ctx, name, work, env, res))) return res;

  // terraform plan + show
  const p = await run(ctx.terraform, ["plan", "-json", "-input=false", "-lock=false", "-no-color", "-out=plan.bin"], work, env, ctx.timeoutMs);
  const stream = parsePlanJsonStream(p.stdout);
  const pc = classifyDiagnostics(stream.diagnostics);
  res.diagnostics.push(...pc.errors, ...pc.warnings);
  if (p.error || p.status !== 0 || pc.errors.length || pc.warnings.length || p.stderr.trim()) {
    res.planMs = p.ms;
    if (!p.error && p.status === 0 && !pc.errors.length && !pc.warnings.length) {
      res.rawOutput.push(...tail(p.stderr));
      log(`${name}: plan FAILED (${formatSeconds(p.ms)}): terraform wrote to stderr`);
      return fail("plan: terraform wrote to stderr");
    }
    log(`${name}: plan FAILED (${formatSeconds(p.ms)}): ${p.error ?? `exit ${p.status}`}, ${pc.errors.length} error(s), ${pc.warnings.length} warning(s)`);
    if (!pc.errors.length) res.rawOutput.push(...tail(p.stderr));
    return fail(`plan: ${p.error ?? `exit ${p.status}`}, ${pc.errors.length} error(s), ${pc.warnings.length} warning(s)`);
  }
  const s = await run(ctx.terraform, ["show", "-json", "-no-color", "plan.bin"], work, env, ctx.timeoutMs);
  res.planMs = p.ms + s.ms;
  if (s.error || s.status !== 0) {
    res.rawOutput.push(...tail(s.stderr));
    log(`${name}: show -json FAILED (${formatSeconds(s.ms)}): ${s.error ?? `exit ${s.status}`}`);
    return fail(`show -json: ${s.error ?? `exit ${s.status}`}`);
  }
  try {
    res.summary = summarizePlan(JSON.parse(s.stdout));
  } catch (e) {
    log(`${name}: show -json FAILED: ${(e as Error).message}`);
    return fail(`show -json: ${(e as Error).message}`);
  }
  const problems = planProblems(res.summary);
  if (problems.length) {
    log(`${name}: plan FAILED (${formatSeconds(res.planMs)}): ${problems.join("; ")}`);
    for (const pr of problems) res.failures.push(`plan: ${pr}`);
    return res;
  }
  log(`${name}: plan ok, ${formatPlanSummary(res.summary)} (${formatSeconds(res.planMs)}, of which show -json ${formatSeconds(s.ms)})`);
  res.ok = true;
  return res;
}

/** `terraform validate -json` in `work`: true when valid with no warning but the allow-listed; otherwise `res` says why. */
async function validateIn(ctx: Context, name: string, work: string, env: NodeJS.ProcessEnv, res: StackResult): Promise<boolean> {
  const fail = (reason: string): boolean => {
    res.failures.push(reason);
    return false;
  };
  const v = await run(ctx.terraform, ["validate", "-json", "-no-color"], work, env, ctx.timeoutMs);
  res.validateMs = v.ms;
  if (v.error) {
    res.rawOutput.push(...tail(v.stderr));
    log(`${name}: validate FAILED (${formatSeconds(v.ms)}): ${v.error}`);
    return fail(`validate: ${v.error}`);
  }
  let validate: ReturnType<typeof parseValidateJson>;
  try {
    validate = parseValidateJson(v.stdout);
  } catch {
    res.rawOutput.push(...tail(v.stdout), ...tail(v.stderr));
    log(`${name}: validate FAILED (${formatSeconds(v.ms)}): unreadable output, exit ${v.status}`);
    return fail(`validate: output is not JSON (exit ${v.status})`);
  }
  const vc = classifyDiagnostics(validate.diagnostics);
  res.diagnostics.push(...vc.errors, ...vc.warnings);
  const allowedNote = vc.allowed.length ? `; ${vc.allowed.length} allow-listed warning${vc.allowed.length > 1 ? "s" : ""}` : "";
  if (v.status !== 0 || !validate.valid || vc.errors.length || vc.warnings.length) {
    log(`${name}: validate FAILED (${formatSeconds(v.ms)}): ${vc.errors.length} error(s), ${vc.warnings.length} warning(s)`);
    if (v.status !== 0 && !vc.errors.length) res.rawOutput.push(...tail(v.stderr));
    return fail(`validate: ${vc.errors.length} error(s), ${vc.warnings.length} warning(s), exit ${v.status}`);
  }
  // Warnings about the CLI config and the like go to stderr, outside the JSON: treat any as a failure.
  if (v.stderr.trim()) {
    res.rawOutput.push(...tail(v.stderr));
    log(`${name}: validate FAILED (${formatSeconds(v.ms)}): terraform wrote to stderr`);
    return fail("validate: terraform wrote to stderr");
  }
  log(`${name}: validate ok (${formatSeconds(v.ms)}${allowedNote})`);
  return true;
}

/** Copies a stack's working directory (assets included), minus any local terraform state of a previous deploy. */
function copyStack(outdir: string, stack: ManifestStack, work: string): void {
  fs.cpSync(path.resolve(outdir, stack.workingDirectory), work, {
    recursive: true,
    filter: (p) => !/^(\.terraform|\.terraform\.lock\.hcl|terraform\.tfstate.*)$/.test(path.basename(p)),
  });
}

/**
 * One stack of `cdktf synth --hcl`: as `terraform fmt` writes it, and valid. Validate needs no
 * patched copy: it never initializes the backend, and the provider comes from dev_overrides.
 */
async function checkHclStack(ctx: Context, hclOutdir: string, stack: ManifestStack): Promise<StackResult> {
  const name = `${stack.name} (hcl)`;
  const res: StackResult = { name, ok: false, failures: [], diagnostics: [], rawOutput: [] };
  if (!stack.synthesizedStackPath.endsWith(".tf")) {
    res.failures.push(`${stack.synthesizedStackPath} is not HCL; the HCL pass needs \`cdktf synth --hcl\` output`);
    return res;
  }
  const stackRoot = path.join(ctx.workRoot, `hcl-${safeDirName(stack.name)}`);
  const work = path.join(stackRoot, "work");
  copyStack(hclOutdir, stack, work);
  const dataDir = path.join(stackRoot, "tf-data");
  fs.mkdirSync(dataDir, { recursive: true });
  const env = ctx.envFor(dataDir);

  const f = await run(ctx.terraform, ["fmt", "-check", "-list=true", "-no-color", "."], work, env, ctx.timeoutMs);
  res.fmtMs = f.ms;
  if (f.error || f.status !== 0 || f.stderr.trim()) {
    const files = parseFmtList(f.stdout);
    const diff = await run(ctx.terraform, ["fmt", "-check", "-diff", "-no-color", "."], work, env, ctx.timeoutMs);
    res.rawOutput.push(...tail(diff.stdout, 40), ...tail(f.stderr));
    log(
      `${name}: fmt -check FAILED (${formatSeconds(f.ms)}): ${f.error ?? (files.length ? `${files.join(", ")} not as terraform fmt writes it` : `exit ${f.status}`)}`,
    );
    res.failures.push(`fmt -check: ${f.error ?? (files.length ? `${files.join(", ")} not as terraform fmt writes it` : `exit ${f.status}`)}`);
    return res;
  }
  log(`${name}: fmt -check ok (${formatSeconds(f.ms)})`);
  if (!(await validateIn(ctx, name, work, env, res))) return res;
  res.note = "as terraform fmt writes it, valid";
  res.ok = true;
  return res;
}

/** `cdktf synth --hcl` through the project's own CLI, as users run it. */
async function synthesizeHcl(repoRoot: string, tmp: string, cliConfigFile: string, timeoutMs: number): Promise<string | undefined> {
  const cli = path.join(repoRoot, "node_modules", ".bin", "cdktf");
  if (!fs.existsSync(cli)) {
    log(`${PREFIX} HCL pass FAILED: ${path.relative(repoRoot, cli)} not found (npm ci installs cdktf-cli); pass --no-hcl to skip it`);
    return undefined;
  }
  const outdir = path.join(tmp, "synth-hcl");
  const cdktfHome = path.join(tmp, "cdktf-home");
  fs.mkdirSync(cdktfHome, { recursive: true });
  log(`${PREFIX} synthesizing HCL (cdktf synth --hcl --output ${outdir})…`);
  const r = await run(cli, ["synth", "--hcl", "--output", outdir], repoRoot, cdktfSynthEnv(process.env, { cdktfHome, cliConfigFile }), timeoutMs);
  if (r.error || r.status !== 0) {
    log(`${PREFIX} cdktf synth --hcl FAILED (${r.error ?? `exit ${r.status}`}, ${formatSeconds(r.ms)}):`);
    for (const l of [...tail(r.stdout, 40), ...tail(r.stderr, 40)]) log(`  ${l}`);
    return undefined;
  }
  log(`${PREFIX} cdktf synth --hcl ok (${formatSeconds(r.ms)})`);
  return outdir;
}

/** The HCL pass over the stacks the JSON pass checked: `cdktf synth --hcl` (or `--hcl-outdir`), then fmt -check and validate each. */
async function hclPass(ctx: Context, args: TierArgs, tmp: string, cliConfigFile: string, names: readonly string[]): Promise<StackResult[]> {
  const failed = (reason: string): StackResult[] => [{ name: "cdktf synth --hcl", ok: false, failures: [reason], diagnostics: [], rawOutput: [] }];
  if (!args.hcl) {
    log(`${PREFIX} HCL pass skipped (--no-hcl)`);
    return [];
  }
  if (args.outdir && !args.hclOutdir) {
    log(`${PREFIX} HCL pass skipped: --outdir was given without --hcl-outdir`);
    return [];
  }
  const hclOutdir = args.hclOutdir ? path.resolve(args.hclOutdir) : await synthesizeHcl(findRepoRoot(__dirname), tmp, cliConfigFile, ctx.timeoutMs);
  if (!hclOutdir) return failed("cdktf synth --hcl failed");
  let stacks: ManifestStack[];
  try {
    stacks = stacksFromManifest(JSON.parse(fs.readFileSync(path.join(hclOutdir, "manifest.json"), "utf8")));
  } catch (e) {
    return failed(`cannot read ${path.join(hclOutdir, "manifest.json")}: ${(e as Error).message}`);
  }
  const missing = names.filter((n) => !stacks.some((st) => st.name === n));
  if (missing.length) return failed(`the HCL output lacks stack(s) ${missing.join(", ")}`);
  const results: StackResult[] = [];
  for (const stack of stacks.filter((st) => names.includes(st.name))) {
    try {
      results.push(await checkHclStack(ctx, hclOutdir, stack));
    } catch (e) {
      log(`${stack.name} (hcl): FAILED: ${(e as Error).message}`);
      results.push({ name: `${stack.name} (hcl)`, ok: false, failures: [(e as Error).message], diagnostics: [], rawOutput: [] });
    }
  }
  return results;
}

async function synthesize(repoRoot: string, synthDir: string, timeoutMs: number): Promise<string | undefined> {
  const mainJs = path.join(repoRoot, "dist", "main.js");
  if (!fs.existsSync(mainJs)) {
    log(`${PREFIX} ${path.relative(repoRoot, mainJs)} not found: build first (tsc -p tsconfig.build.json), or pass --outdir`);
    return undefined;
  }
  log(`${PREFIX} synthesizing (node dist/main.js, CDKTF_OUTDIR=${synthDir})…`);
  const env: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: synthDir };
  // Settings that would change what the app writes: HCL instead of JSON, a single stack, ignored errors.
  delete env.SYNTH_HCL_OUTPUT;
  delete env.CDKTF_TARGET_STACK_ID;
  delete env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
  const r = await run(process.execPath, [mainJs], repoRoot, env, timeoutMs);
  const output = [...tail(r.stdout, 40), ...tail(r.stderr, 40)];
  if (r.error || r.status !== 0) {
    log(`${PREFIX} synth FAILED (${r.error ?? `exit ${r.status}`}, ${formatSeconds(r.ms)}):`);
    for (const l of output) log(`  ${l}`);
    return undefined;
  }
  for (const l of output) log(`  synth: ${l}`);
  log(`${PREFIX} synth ok (${formatSeconds(r.ms)})`);
  return synthDir;
}

function printSummary(results: readonly StackResult[]): void {
  log(`${PREFIX} summary`);
  const width = Math.max(...results.map((r) => r.name.length));
  for (const r of results) {
    const times = [
      ...(r.fmtMs !== undefined ? [`fmt ${formatSeconds(r.fmtMs)}`] : []),
      r.validateMs !== undefined ? `validate ${formatSeconds(r.validateMs)}` : "validate -",
      ...(r.fmtMs === undefined ? [r.planMs !== undefined ? `plan ${formatSeconds(r.planMs)}` : "plan -"] : []),
    ].join(", ");
    const what = r.ok ? (r.summary ? formatPlanSummary(r.summary) : (r.note ?? "")) : r.failures.join("; ");
    log(`  ${r.ok ? "PASS" : "FAIL"} ${r.name.padEnd(width)}  ${times}  ${what}`);
  }
  for (const r of results.filter((x) => !x.ok)) {
    if (!r.diagnostics.length && !r.rawOutput.length) continue;
    log(`${PREFIX} ${r.name} diagnostics:`);
    for (const d of r.diagnostics) for (const l of formatDiagnostic(d)) log(`  ${l}`);
    for (const l of r.rawOutput) log(`  | ${l}`);
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseTierArgs(argv, process.env);
  if ("error" in args) {
    log(`${PREFIX} ${args.error}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    log(USAGE);
    return 0;
  }

  // Tools: terraform and the unpacked aws provider.
  const terraform = process.env.TERRAFORM_BIN || findOnPath("terraform");
  const mirror = process.env.TF_PROVIDER_MIRROR || DEFAULT_MIRROR;
  const provider = findAwsProvider(mirror);
  const missing: string[] = [];
  if (!terraform) {
    missing.push("terraform is not on PATH (install Terraform 1.x, e.g. from HashiCorp's apt repository or its release zip, or set TERRAFORM_BIN)");
  }
  if (!provider) {
    missing.push(
      `the hashicorp/aws provider is not in ${mirror} (expected ${mirror}/registry.terraform.io/hashicorp/aws/<version>/${terraformPlatform()}/terraform-provider-aws_v<version>_x5: unzip HashiCorp's terraform-provider-aws_<version>_${terraformPlatform()}.zip release there, or set TF_PROVIDER_MIRROR)`,
    );
  }
  if (!terraform || !provider) {
    if (args.skipIfMissing) {
      log(`${PREFIX} skipped: ${missing.join("; ")}`);
      return 0;
    }
    log(`${PREFIX} cannot run: ${missing.join("; ")}; pass --skip-if-missing or set BASELINE_SKIP_TERRAFORM=1 to skip this tier`);
    return 2;
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "terraform-tier-"));
  const cleanup = (): void => {
    if (args.keep) log(`${PREFIX} kept temp dir ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  };
  const onSignal = (sig: NodeJS.Signals): void => {
    log(`${PREFIX} interrupted (${sig}), stopping`);
    const exit = (): void => {
      cleanup();
      process.exit(sig === "SIGINT" ? 130 : 143);
    };
    const child = currentChild;
    if (!child || child.exitCode !== null || child.signalCode !== null) return exit();
    // Let terraform stop its provider plugins before the temp dir is removed.
    child.once("close", exit);
    child.kill("SIGTERM");
    setTimeout(exit, 10_000).unref();
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const homeDir = path.join(tmp, "home");
    fs.mkdirSync(homeDir);
    const cliConfigFile = path.join(tmp, "terraform.tfrc");
    fs.writeFileSync(cliConfigFile, renderCliConfig(provider.dir));
    const timeoutMs = args.timeoutSeconds * 1000;

    const envFor = (dataDir: string): NodeJS.ProcessEnv => {
      const paths: TerraformEnvPaths = { cliConfigFile, dataDir, homeDir };
      return buildTerraformEnv(process.env, paths);
    };
    const version = await run(terraform, ["version", "-json"], tmp, envFor(path.join(tmp, "tf-data")), timeoutMs);
    let tfVersion = "?";
    try {
      tfVersion = String((JSON.parse(version.stdout) as { terraform_version?: string }).terraform_version ?? "?");
    } catch {
      // older terraform without -json: keep '?'
    }
    log(`${PREFIX} terraform ${tfVersion} (${terraform}), hashicorp/aws ${provider.version} via dev_overrides (${provider.dir})`);

    let outdir: string;
    if (args.outdir) {
      outdir = path.resolve(args.outdir);
      log(`${PREFIX} using synthesized app in ${outdir}`);
    } else {
      const repoRoot = findRepoRoot(__dirname);
      const synthDir = await synthesize(repoRoot, path.join(tmp, "synth"), timeoutMs);
      if (!synthDir) return 1;
      outdir = synthDir;
    }

    let stacks: ManifestStack[];
    try {
      stacks = stacksFromManifest(JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")));
    } catch (e) {
      log(`${PREFIX} cannot read ${path.join(outdir, "manifest.json")}: ${(e as Error).message}`);
      return 1;
    }
    if (args.stacks.length) {
      const unknown = args.stacks.filter((n) => !stacks.some((s) => s.name === n));
      if (unknown.length) {
        log(`${PREFIX} unknown stack(s): ${unknown.join(", ")} (have: ${stacks.map((s) => s.name).join(", ")})`);
        return 2;
      }
      stacks = stacks.filter((s) => args.stacks.includes(s.name));
    }
    if (!stacks.length) {
      log(`${PREFIX} the app synthesized no stacks`);
      return 1;
    }
    log(`${PREFIX} ${stacks.length} stack(s): ${stacks.map((s) => s.name).join(", ")}`);

    const workRoot = path.join(tmp, "stacks");
    fs.mkdirSync(workRoot);
    const ctx: Context = { terraform, workRoot, timeoutMs, outdir, envFor };
    const results: StackResult[] = [];
    for (const stack of stacks) {
      try {
        results.push(await checkStack(ctx, stack));
      } catch (e) {
        log(`${stack.name}: FAILED: ${(e as Error).message}`);
        results.push({ name: stack.name, ok: false, failures: [(e as Error).message], diagnostics: [], rawOutput: [] });
      }
    }
    results.push(
      ...(await hclPass(
        ctx,
        args,
        tmp,
        cliConfigFile,
        stacks.map((st) => st.name),
      )),
    );
    printSummary(results);
    const passed = results.filter((r) => r.ok).length;
    log(`${PREFIX} ${passed} passed, ${results.length - passed} failed`);
    return passed === results.length ? 0 : 1;
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
    cleanup();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    log(`${PREFIX} crashed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exitCode = 1;
  },
);
