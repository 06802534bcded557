/**
 * One run of the baseline, as `synth` (main.ts: check, then write the stacks) or `validate`
 * (bin/validate.js: every check synthesis makes, the schema, meaning, warnings, document
 * checks and quota packing, and nothing written). Both print the same messages and exit the same
 * way: 0 when the config is usable, 1 with one line per problem when it is not (nothing written,
 * and any earlier output left as it was), 2 for a command line it does not understand.
 * BASELINE_DEBUG=1 adds stack traces. Colour only on a terminal, never with NO_COLOR.
 */
import * as path from "node:path";
import { configPathFromEnv, ConfigError, loadConfig, resolveFromCaller } from "../config/load";
import { findWarnings } from "../config/warnings";
import { planBaseline, type BaselinePlan } from "../policies/baseline";
import { SynthesisError } from "../policies/errors";
import { readOutputRecord } from "../stacks/output-record";
import { planSummary, warningLines } from "./summary";

/** What a synthesis wrote, for the summary's last lines. */
export interface WrittenOutput {
  readonly outdir: string;
  readonly stacks: readonly string[];
  readonly policyFilesDir: string;
  readonly policyFiles: number;
  readonly recordFile: string;
}

export type Synthesize = (plan: BaselinePlan, configFile: string) => WrittenOutput;

export interface RunOptions {
  readonly command: "synth" | "validate";
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** Writes the stacks; absent for validate, which must not load cdktf at all. */
  readonly synthesize?: Synthesize;
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
  readonly colour?: boolean;
}

/** A command line the run does not understand. */
class UsageError extends Error {}

interface Invocation {
  readonly configFile: string;
  readonly strict: boolean;
}

const STRICT_ENV = "BASELINE_STRICT";

function parseArguments(command: RunOptions["command"], argv: readonly string[], env: NodeJS.ProcessEnv): Invocation {
  let strict = env[STRICT_ENV] === "1" || env[STRICT_ENV] === "true";
  let configArgument: string | undefined;
  for (const arg of argv) {
    if (arg === "--strict") strict = true;
    else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}`);
    else if (command === "validate" && configArgument === undefined) configArgument = arg;
    else throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
  }
  return { configFile: configArgument !== undefined ? resolveFromCaller(configArgument, env) : configPathFromEnv(env), strict };
}

function usage(command: RunOptions["command"]): string {
  return command === "validate"
    ? "usage: npm run validate [-- [<config.yaml>] [--strict]]   (the config defaults to BASELINE_CONFIG, then the sample organization)"
    : "usage: npm run synth [-- --strict]   (the config is BASELINE_CONFIG, or the sample organization)";
}

/** Runs the command and returns its exit code; never throws for a user's mistake. */
export async function runBaseline(options: RunOptions): Promise<number> {
  const out = options.stdout ?? ((text) => process.stdout.write(text));
  const err = options.stderr ?? ((text) => process.stderr.write(text));
  const paint = painter(options.colour ?? (process.stderr.isTTY === true && !options.env.NO_COLOR));
  const outdir = path.resolve(options.env.CDKTF_OUTDIR ?? "cdktf.out");
  let invocation: Invocation;
  try {
    invocation = parseArguments(options.command, options.argv, options.env);
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof ConfigError)) throw error;
    err(`${paint.error("error:")} ${error instanceof ConfigError ? error.message : `${error.message}; ${usage(options.command)}`}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
  try {
    const lines = await check(invocation, options);
    out(`${lines.join("\n")}\n`);
    return 0;
  } catch (error) {
    err(failureMessage(error, options, outdir, paint));
    return 1;
  }
}

async function check(invocation: Invocation, options: RunOptions): Promise<string[]> {
  const { configFile, strict } = invocation;
  const config = loadConfig(configFile);
  const warnings = findWarnings(config);
  if (strict && warnings.length > 0) {
    throw new ConfigError(
      configFile,
      warnings.map((w) => ({ ...w, message: `${w.message} (a warning, an error under --strict)` })),
    );
  }
  const plan = await planBaseline(config);
  const summary = planSummary(plan, configFile);
  if (!options.synthesize)
    return [...summary, ...warningLines(warnings), "  valid: every check synthesis makes passed; nothing was written. Next: npm run synth"];
  const written = options.synthesize(plan, configFile);
  return [...summary, ...warningLines(warnings), ...outputLines(written)];
}

function outputLines(written: WrittenOutput): string[] {
  const at = (file: string) => displayPath(file);
  return [
    `  written to ${at(written.outdir)}/: stacks ${written.stacks.join(", ")}`,
    `  policy documents as JSON, for tools that do not read Terraform: ${path.join(written.outdir, written.policyFilesDir)}/<stack>/ (${written.policyFiles} files)`,
    `  the config and its SHA-256 are recorded in ${at(written.recordFile)}`,
    `  next: npx cdktf diff <stack> to see what would change (organization first), then npx cdktf deploy <stack>; README "Plan and deploy"`,
  ];
}

/** Relative to the working directory when inside it: shorter, and what the user typed. */
function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

function failureMessage(error: unknown, options: RunOptions, outdir: string, paint: Painter): string {
  const lines: string[] = [];
  if (options.env.BASELINE_DEBUG) lines.push(error instanceof Error && error.stack ? error.stack : String(error));
  if (error instanceof ConfigError) {
    lines.push(`${paint.error("error:")} ${error.message}`);
  } else if (error instanceof SynthesisError) {
    lines.push(`${paint.error("error:")} the baseline cannot be built from this config:`, ...error.problems.map((p) => `  ${p}`));
  } else {
    const message = error instanceof Error ? error.message : String(error);
    lines.push(`${paint.error("internal error:")} ${message} (set BASELINE_DEBUG=1 for the stack trace, and please report it)`);
    return `${lines.join("\n")}\n`;
  }
  if (options.synthesize) lines.push(untouchedOutput(outdir));
  return `${lines.join("\n")}\n`;
}

/** Nothing was written: and if an earlier run left output, say whose it is, so nobody deploys it thinking it is this config's. */
function untouchedOutput(outdir: string): string {
  const earlier = readOutputRecord(outdir);
  if (!earlier) return "nothing was written.";
  return `nothing was written; ${displayPath(outdir)}/ still holds the earlier output, synthesized from ${earlier.config.path} (sha256 ${earlier.config.sha256.slice(0, 12)}), untouched.`;
}

interface Painter {
  readonly error: (text: string) => string;
}

function painter(colour: boolean): Painter {
  const wrap = (code: number) => (text: string) => (colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  return { error: wrap(31) };
}
