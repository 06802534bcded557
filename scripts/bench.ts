/**
 * Measures synthesis against an empty cdktf app with one AWS provider
 * (`node dist/scripts/bench-empty-app.js`): the sample org's SCPs alone (the organization stack:
 * the sample without its audit trail and teams), and the whole sample org (organization, audit
 * and team role stacks).
 * Each run is a fresh process writing to a fresh directory, the targets alternating so machine
 * noise hits all alike. Prints medians and ratios. The budget (1.5x) applies to the
 * organization stack; exits 1 when it is exceeded. `npm run bench [-- --runs N]`.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { dump, load } from "js-yaml";
import { SAMPLE_CONFIG_PATH } from "../config/load";

const DIST = path.resolve(__dirname, "..");
const APP = path.join(DIST, "main.js");
export const BUDGET_RATIO = 1.5;

interface Target {
  readonly script: string;
  readonly config?: string;
}

/**
 * The sample without its audit trail (and the tamper protection that needs one) and without its
 * teams (whose roles have stacks of their own): the organization stack alone.
 */
function organizationOnlyConfig(dir: string): string {
  const sample = load(readFileSync(SAMPLE_CONFIG_PATH, "utf8")) as {
    auditTrail?: unknown;
    teams?: unknown;
    workspaces: Array<{ protection?: { allowedTeams?: unknown } }>;
    controls: Record<string, unknown>;
  };
  delete sample.auditTrail;
  delete sample.controls.protectAuditTrail;
  delete sample.teams;
  for (const workspace of sample.workspaces) delete workspace.protection?.allowedTeams;
  const file = path.join(dir, "organization-only.yaml");
  writeFileSync(file, dump(sample));
  return file;
}

function timeOnce({ script, config }: Target): number {
  const outdir = mkdtempSync(path.join(tmpdir(), "baseline-bench-"));
  const start = process.hrtime.bigint();
  const env = { ...process.env, CDKTF_OUTDIR: outdir, ...(config ? { BASELINE_CONFIG: config } : {}) };
  const run = spawnSync(process.execPath, [script], { env, stdio: ["ignore", "ignore", "pipe"] });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  rmSync(outdir, { recursive: true, force: true });
  if (run.status !== 0) throw new Error(`${script} failed: ${run.stderr.toString()}`);
  return seconds;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function main(): number {
  const runsFlag = process.argv.indexOf("--runs");
  const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 15;
  const dir = mkdtempSync(path.join(tmpdir(), "baseline-bench-config-"));
  const targets: Record<string, Target> = {
    "empty app + AWS provider": { script: path.join(DIST, "scripts", "bench-empty-app.js") },
    "sample org, organization stack": { script: APP, config: organizationOnlyConfig(dir) },
    "sample org, all stacks": { script: APP },
  };
  const times = new Map<string, number[]>(Object.keys(targets).map((k) => [k, []]));
  for (const target of Object.values(targets)) timeOnce(target); // warm the file cache
  for (let i = 0; i < runs; i++) for (const [name, target] of Object.entries(targets)) times.get(name)!.push(timeOnce(target));
  rmSync(dir, { recursive: true, force: true });
  const medians = new Map([...times].map(([name, t]) => [name, median(t)]));
  const empty = medians.get("empty app + AWS provider")!;
  for (const [name, m] of medians) console.log(`${name}: median ${m.toFixed(3)} s over ${runs} runs${m === empty ? "" : `, ${(m / empty).toFixed(2)}x`}`);
  const ratio = medians.get("sample org, organization stack")! / empty;
  console.log(`organization stack: ${ratio.toFixed(2)}x the empty app (budget ${BUDGET_RATIO}x)`);
  return ratio <= BUDGET_RATIO ? 0 : 1;
}

if (require.main === module) process.exitCode = main();
