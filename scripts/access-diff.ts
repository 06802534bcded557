/**
 * `npm run --silent access-diff -- --base <git ref> [--config <path>] [--json <file>] [--base-out <dir>]`
 *
 * Who gained or lost what between `<ref>` and the working tree. Synthesizes the baseline twice —
 * the base with its own code, built in a clean temporary worktree, and the working tree in this
 * process — and evaluates both with iam-simulate (review/diff.ts). Prints Markdown for a pull
 * request comment; `--json` also writes every changed request; `--base-out` keeps the base's
 * synthesized stacks for comparing plans. The config is the one given, or BASELINE_CONFIG, or the
 * sample; a config inside the repository is read at `<ref>` for the base, so a pull request that
 * edits it is compared with the config it replaces. Exit 0 whatever changed; 1 with one line
 * naming the side when a side does not synthesize.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import * as path from "node:path";
import { configPathFromEnv, ConfigError, loadConfig, resolveFromCaller } from "../config/load";
import type { BaselineConfig } from "../config/schema";
import { planBaseline } from "../policies/baseline";
import { Catalog } from "../policies/catalog";
import { SynthesisError } from "../policies/errors";
import { accessDiff, type Side } from "../review/diff";
import { MATRIX_SERVICES } from "../review/matrix";
import { diffJson, diffMarkdown } from "../review/report";
import { readStacks } from "../review/synthesized";
import { synthesizeBaseline } from "../stacks/app";

interface Options {
  readonly base: string;
  readonly config?: string;
  readonly json?: string;
  readonly baseOut?: string;
}

const USAGE = "usage: npm run --silent access-diff -- --base <git ref> [--config <path>] [--json <file>] [--base-out <dir>]";

/** A mistake the user can fix: printed as one line, exit 1. */
class UsageError extends Error {}

export function parseOptions(argv: readonly string[]): Options {
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (!["--base", "--config", "--json", "--base-out"].includes(flag)) throw new UsageError(`unknown argument ${flag}; ${USAGE}`);
    const value = argv[i + 1];
    if (value === undefined || value.startsWith("--")) throw new UsageError(`${flag} needs a value; ${USAGE}`);
    values[flag.slice(2)] = value;
    i++;
  }
  if (!values.base) throw new UsageError(`--base is required (the git ref to compare with, e.g. origin/main); ${USAGE}`);
  return { base: values.base, config: values.config, json: values.json, baseOut: values["base-out"] };
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

function repositoryRoot(): string {
  try {
    return git(process.cwd(), "rev-parse", "--show-toplevel");
  } catch {
    throw new UsageError("access-diff runs inside the baseline's git repository; cd into it");
  }
}

function resolveCommit(root: string, ref: string): string {
  try {
    return git(root, "rev-parse", "--verify", "--quiet", `${ref}^{commit}`);
  } catch {
    throw new UsageError(`--base ${ref} is not a commit in this repository; fetch it first (e.g. git fetch origin main) or name another ref`);
  }
}

/** The first lines of what a failed base synthesis printed, without cdktf's noise. */
function firstLines(text: string): string {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("npm warn"))
    .slice(0, 4)
    .join(" / ");
}

class SideError extends Error {
  constructor(side: string, why: string) {
    super(`the ${side} does not synthesize: ${why}`);
  }
}

/**
 * Builds the base commit's own code in a temporary worktree and runs its synthesis there. Its
 * packages are this checkout's when the lockfiles match, else installed from its lockfile.
 */
function synthesizeBase(root: string, commit: string, ref: string, configPath: string, work: string): { outdir: string; configFile: string } {
  const tree = path.join(work, "base");
  git(root, "worktree", "add", "--detach", "--quiet", tree, commit);
  const side = `base side (${ref})`;
  const sameLockfile =
    existsSync(path.join(tree, "package-lock.json")) &&
    readFileSync(path.join(tree, "package-lock.json"), "utf8") === readFileSync(path.join(root, "package-lock.json"), "utf8");
  if (sameLockfile) symlinkSync(path.join(root, "node_modules"), path.join(tree, "node_modules"), "dir");
  else run(side, "npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund"], tree, {});
  // Type errors are the base's own business; only its output matters here.
  run(side, process.execPath, [path.join(tree, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json", "--noCheck"], tree, {});
  const relative = path.relative(root, configPath);
  const inRepository = !relative.startsWith("..") && !path.isAbsolute(relative);
  const configFile = inRepository ? path.join(tree, relative) : configPath;
  if (!existsSync(configFile))
    throw new SideError(side, `${relative} does not exist at ${ref}; pass --config with a file outside the repository to compare one config`);
  const outdir = path.join(work, "base-out");
  run(side, process.execPath, ["dist/main.js"], tree, { BASELINE_CONFIG: configFile, CDKTF_OUTDIR: outdir });
  return { outdir, configFile };
}

function run(side: string, command: string, args: string[], cwd: string, env: Record<string, string>): void {
  const result = spawnSync(command, args, { cwd, env: { ...process.env, ...env, FORCE_COLOR: "0" }, encoding: "utf8" });
  if (result.status !== 0)
    throw new SideError(
      side,
      `${path.basename(command)} ${args.slice(-2).join(" ")} failed: ${firstLines(`${result.stderr}\n${result.stdout}`) || `exit ${result.status}`}`,
    );
}

async function synthesizeHead(configPath: string, outdir: string): Promise<BaselineConfig> {
  try {
    const config = loadConfig(configPath);
    synthesizeBaseline(await planBaseline(config), outdir);
    return config;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof SynthesisError)
      throw new SideError(
        "head side (working tree)",
        error.message
          .split("\n")
          .map((l) => l.trim())
          .join(" / "),
      );
    throw error;
  }
}

/** The base config, read by this checkout's schema: the matrix needs its accounts and workspaces. */
function baseConfig(file: string, ref: string): BaselineConfig {
  try {
    return loadConfig(file);
  } catch (error) {
    if (error instanceof ConfigError)
      throw new SideError(
        `base side (${ref})`,
        `its config does not parse with the working tree's schema: ${error.message
          .split("\n")
          .map((l) => l.trim())
          .join(" / ")}`,
      );
    throw error;
  }
}

async function main(argv: readonly string[]): Promise<void> {
  const options = parseOptions(argv);
  const root = repositoryRoot();
  const commit = resolveCommit(root, options.base);
  const configPath = options.config ? resolveFromCaller(options.config) : configPathFromEnv();
  if (!existsSync(configPath))
    throw new UsageError(`the config ${configPath} does not exist; pass --config <path> (or set BASELINE_CONFIG) to a YAML config file`);
  const work = mkdtempSync(path.join(tmpdir(), "baseline-access-diff-"));
  const cleanUp = () => {
    try {
      git(root, "worktree", "remove", "--force", path.join(work, "base"));
    } catch {
      // Not created, or already gone; prune below forgets it either way.
    }
    rmSync(work, { recursive: true, force: true });
    git(root, "worktree", "prune");
  };
  // Interrupted, the worktree would stay registered with a full checkout: remove it first.
  const interrupted = (signal: NodeJS.Signals, code: number) =>
    process.once(signal, () => {
      cleanUp();
      process.exit(code);
    });
  interrupted("SIGINT", 130);
  interrupted("SIGTERM", 143);
  const started = process.hrtime.bigint();
  const seconds = (from: bigint, to: bigint) => (Number(to - from) / 1e9).toFixed(1);
  try {
    const base = synthesizeBase(root, commit, options.base, configPath, work);
    const headOut = path.join(work, "head-out");
    const headConfig = await synthesizeHead(configPath, headOut);
    const synthesized = process.hrtime.bigint();
    const baseSide: Side = { config: baseConfig(base.configFile, options.base), stacks: readStacks(base.outdir) };
    const headSide: Side = { config: headConfig, stacks: readStacks(headOut) };
    const catalog = await Catalog.load(MATRIX_SERVICES);
    const diff = await accessDiff(catalog, baseSide, headSide, { workers: availableParallelism() });
    process.stdout.write(diffMarkdown(diff, options.base));
    if (options.json) writeFileSync(options.json, JSON.stringify(diffJson(diff, options.base), null, 2) + "\n");
    if (options.baseOut) cpSync(path.join(base.outdir, "stacks"), options.baseOut, { recursive: true });
    process.stderr.write(
      `access-diff: both sides synthesized in ${seconds(started, synthesized)} s; ${diff.evaluated} requests evaluated in ${seconds(synthesized, process.hrtime.bigint())} s\n`,
    );
  } finally {
    cleanUp();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    if (error instanceof UsageError || error instanceof SideError) console.error(`access-diff: ${error.message}`);
    else console.error(`access-diff: internal error: ${error instanceof Error ? error.stack : String(error)}`);
    process.exitCode = 1;
  });
}
