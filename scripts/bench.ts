/**
 * Measures synthesis as `npm run synth` runs it (`node bin/cdktf-app.js`: the freshness check, then
 * the bundled app) against an empty cdktf app with one AWS provider, plain node
 * (`node dist/scripts/bench-empty-app.js`): the sample org's SCPs alone (the organization stack:
 * the sample without its audit trail and teams), and the whole sample org (organization, audit
 * and team role stacks).
 * Each run is a fresh process writing to a fresh directory, the targets alternating so machine
 * noise hits all alike; each reports its own CPU time (user + system) and peak memory at exit
 * (bench-cpu.ts), so the verdict does not flip with machine load. Prints medians and ratios. The
 * budget (1.5x) applies to the whole sample org, every stack; exits 1 when it is exceeded.
 * `npm run bench [-- --runs N]`.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { dump, load } from "js-yaml";
import { SAMPLE_CONFIG_PATH } from "../config/load";
import { main as scaleMain } from "./bench-scale";

const DIST = path.resolve(__dirname, "..");
/** What `npm run synth` and cdktf.json run. */
const APP = path.join(DIST, "..", "bin", "cdktf-app.js");
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

interface Measure {
  readonly cpuSeconds: number;
  readonly maxRssKb: number;
}

const CPU_REPORTER = path.join(DIST, "scripts", "bench-cpu.js");

/** One fresh process writing to a fresh directory: its CPU time and peak memory, as it reports them at exit. */
function measureOnce({ script, config }: Target): Measure {
  const outdir = mkdtempSync(path.join(tmpdir(), "baseline-bench-"));
  const report = path.join(outdir, ".cpu.json");
  const env = { ...process.env, CDKTF_OUTDIR: outdir, BENCH_CPU_FILE: report, ...(config ? { BASELINE_CONFIG: config } : {}) };
  const run = spawnSync(process.execPath, ["--require", CPU_REPORTER, script], { env, stdio: ["ignore", "ignore", "pipe"] });
  try {
    if (run.status !== 0) throw new Error(`${script} failed: ${run.stderr.toString()}`);
    return JSON.parse(readFileSync(report, "utf8")) as Measure;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
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
  const measures = new Map<string, Measure[]>(Object.keys(targets).map((k) => [k, []]));
  // Warm the file cache. The whole sample first: the first synthesis after a build writes the code cache
  // the later runs use (bin/load-app.js), and a user's first synthesis is of their whole organization.
  for (const target of Object.values(targets).reverse()) measureOnce(target);
  for (let i = 0; i < runs; i++) for (const [name, target] of Object.entries(targets)) measures.get(name)!.push(measureOnce(target));
  rmSync(dir, { recursive: true, force: true });
  const cpu = new Map([...measures].map(([name, m]) => [name, median(m.map((x) => x.cpuSeconds))]));
  const empty = cpu.get("empty app + AWS provider")!;
  for (const [name, m] of measures) {
    const seconds = cpu.get(name)!;
    const memory = median(m.map((x) => x.maxRssKb)) / 1024;
    console.log(
      `${name}: median ${seconds.toFixed(3)} s CPU (user + system) over ${runs} runs, ${memory.toFixed(0)} MB peak${seconds === empty ? "" : `, ${(seconds / empty).toFixed(2)}x`}`,
    );
  }
  console.log(`organization stack: ${(cpu.get("sample org, organization stack")! / empty).toFixed(2)}x the empty app's CPU time`);
  const ratio = cpu.get("sample org, all stacks")! / empty;
  console.log(`sample org, all stacks: ${ratio.toFixed(2)}x the empty app's CPU time (budget ${BUDGET_RATIO}x)`);
  return ratio <= BUDGET_RATIO ? 0 : 1;
}

if (require.main === module) {
  // `npm run bench -- --scale`: generated organizations of growing size (scripts/bench-scale.ts).
  process.exitCode = process.argv.includes("--scale") ? scaleMain() : main();
}
