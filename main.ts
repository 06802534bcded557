/**
 * Synthesizes the baseline: load and validate the config (BASELINE_CONFIG, or the sample
 * organization), build and check every document, then write the stacks to cdktf.out, every
 * policy document as JSON under cdktf.out/policies, and a record of the config they came from.
 * `cdktf synth`, `diff` and `deploy` run this through bin/cdktf-app.js, which rebuilds dist/ first
 * when the sources changed; cli/run.ts says what a run prints and how it exits.
 */
import { runBaseline, type WrittenOutput } from "./cli/run";
import type { BaselinePlan } from "./policies/baseline";
import { synthesizeBaseline } from "./stacks/app";
import { configDigest, OUTPUT_RECORD_FILE, writeOutputRecord } from "./stacks/output-record";
import { POLICY_FILES_DIR, policyFileCount } from "./stacks/policy-files";
import * as path from "node:path";

export function synthesize(plan: BaselinePlan, configFile: string): WrittenOutput {
  const app = synthesizeBaseline(plan);
  const stacks = app.node.children.map((stack) => stack.node.id);
  const files = policyFileCount(plan);
  writeOutputRecord(app.outdir, { config: { path: configFile, sha256: configDigest(configFile) }, stacks, policyFiles: files });
  return { outdir: app.outdir, stacks, policyFilesDir: POLICY_FILES_DIR, policyFiles: files, recordFile: path.join(app.outdir, OUTPUT_RECORD_FILE) };
}

/** The command line: `node dist/main.js [--strict]`, as cdktf and `npm run synth` run it. */
export async function runCli(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  process.exitCode = await runBaseline({ command: "synth", argv, env: process.env, synthesize });
}

if (require.main === module) void runCli();
