/**
 * Which stacks a pull request touches: compares the head's synthesized stacks with the base's (the
 * directory `access-diff --base-out` writes, same layout as cdktf.out/stacks), stack by stack, by
 * what Terraform reads in each cdk.tf.json.
 *
 *   node dist/scripts/changed-stacks.js --head <stacks dir> [--base <stacks dir>] [--report <file>]
 *
 * Prints a JSON array of the stacks to plan (added or changed), one line, for a job matrix through
 * `fromJSON`. `--report` also writes every category, removed and unchanged stacks included. Without
 * `--base` (the base did not synthesize) nothing can be compared, so every head stack is planned.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";

export const STACK_FILE = "cdk.tf.json";

/**
 * A stack name becomes a directory, an artifact name and a matrix value in the workflow, and comes
 * from the pull request's config (account names): allow only what is safe in all three.
 */
const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export interface ChangedStacks {
  /** False when there was no base to compare with: every head stack is then in `changed`. */
  readonly compared: boolean;
  readonly added: string[];
  readonly changed: string[];
  /** In the base, not in the head: merging leaves their resources in AWS and in state. */
  readonly removed: string[];
  readonly unchanged: string[];
}

/** The stacks the plan job runs on, in a stable order. */
export function stacksToPlan(stacks: ChangedStacks): string[] {
  return [...stacks.added, ...stacks.changed].sort();
}

export function isStackName(name: string): boolean {
  return STACK_NAME.test(name);
}

/** Stack name → cdk.tf.json text, for every directory of `dir` that holds one. */
export function readStacks(dir: string): Map<string, string> {
  const stacks = new Map<string, string>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name, STACK_FILE);
    if (!entry.isDirectory() || !existsSync(file)) continue;
    if (!isStackName(entry.name))
      throw new Error(`${path.join(dir, entry.name)}: "${entry.name}" is not a stack name this workflow accepts (letters, digits, ".", "_", "-")`);
    stacks.set(entry.name, readFileSync(file, "utf8"));
  }
  return stacks;
}

/**
 * What Terraform reads of a stack, as one string: parsed and re-serialised with sorted keys, without
 * the "//" comments cdktf adds at the top (its version, the stack's metadata) and in each resource
 * or data block (the construct path). Terraform ignores those in JSON configuration, so a cdktf
 * upgrade or a moved construct alone plans nothing and is not a change.
 */
export function terraformContent(json: string): string {
  const doc = JSON.parse(json) as Record<string, unknown>;
  return canonical(withoutComments(doc));
}

function withoutComments(doc: Record<string, unknown>): Record<string, unknown> {
  const rest = dropKey(doc, "//");
  for (const kind of ["resource", "data"]) {
    const byType = rest[kind];
    if (!isObject(byType)) continue;
    rest[kind] = mapValues(byType, (blocks) => (isObject(blocks) ? mapValues(blocks, (block) => (isObject(block) ? dropKey(block, "//") : block)) : blocks));
  }
  return rest;
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isObject(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** Sorts every stack of both sides into added, changed, removed and unchanged. */
export function compareStacks(head: ReadonlyMap<string, string>, base: ReadonlyMap<string, string> | undefined): ChangedStacks {
  const names = [...head.keys()].sort();
  if (!base) return { compared: false, added: [], changed: names, removed: [], unchanged: [] };
  const result = {
    compared: true,
    added: [] as string[],
    changed: [] as string[],
    removed: [...base.keys()].filter((name) => !head.has(name)).sort(),
    unchanged: [] as string[],
  };
  for (const name of names) {
    const before = base.get(name);
    if (before === undefined) result.added.push(name);
    else if (terraformContent(before) === terraformContent(head.get(name)!)) result.unchanged.push(name);
    else result.changed.push(name);
  }
  return result;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function mapValues(object: Record<string, unknown>, f: (value: unknown) => unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, f(value)]));
}

function dropKey(object: Record<string, unknown>, key: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([k]) => k !== key));
}

function main(argv: string[]): number {
  const { values } = parseArgs({ args: argv, options: { head: { type: "string" }, base: { type: "string" }, report: { type: "string" } }, strict: true });
  if (!values.head) throw new Error("usage: changed-stacks --head <stacks dir> [--base <stacks dir>] [--report <file>]");
  const stacks = compareStacks(readStacks(values.head), values.base ? readStacks(values.base) : undefined);
  if (values.report) writeFileSync(values.report, `${JSON.stringify(stacks, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(stacksToPlan(stacks))}\n`);
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    console.error(`changed-stacks: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
