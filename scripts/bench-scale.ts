/**
 * `npm run bench -- --scale [--runs N]`: synthesizes generated organizations of 100, 1,000 and
 * 10,000 teams (scripts/scale-org.ts: per 1,000 teams, 1,000 accounts, 3,000 workspaces, 100 OUs,
 * the sample's controls and defaults) and checks them against the scale budgets. Each run is a
 * fresh `node bin/cdktf-app.js` (as `npm run synth` runs it: the bundled app) writing to a fresh
 * directory, reporting its own CPU time (user + system) and peak memory at exit (bench-cpu.ts);
 * medians over the runs (the largest size runs a third as often). Beside them: the stacks written,
 * and the SCP documents against the fewest any packing could need (the plan's
 * documentsLowerBound), read from the plan in this process, untimed.
 *
 * A size's outputs are deleted once all its runs are measured, not after each: on ext4, creating
 * files just after deleting thousands is slow (the inode allocator steps over the recently deleted
 * ones), and deleting each run's output before the next added 1-4 s of system time to that run,
 * time the synthesis itself does not cost. The next size's unmeasured warm-up run absorbs that
 * deletion.
 * Exits 1 when 1,000 teams take more than 3 s CPU or 500 MB, or 10,000 teams more than 11x the
 * CPU of 1,000.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { loadConfig } from "../config/load";
import { planBaseline, type BaselinePlan } from "../policies/baseline";
import { Catalog } from "../policies/catalog";
import { scaleOrgYaml } from "./scale-org";

const DIST = path.resolve(__dirname, "..");
const APP = path.join(DIST, "..", "bin", "cdktf-app.js");
const CPU_REPORTER = path.join(DIST, "scripts", "bench-cpu.js");

export const SIZES = [100, 1_000, 10_000] as const;
export const BUDGET = { teams: 1_000, cpuSeconds: 3, peakMb: 500, growth: { from: 1_000, to: 10_000, maxRatio: 11 } } as const;

interface Measure {
  readonly cpuSeconds: number;
  readonly maxRssKb: number;
  /** Stacks the run's manifest lists whose cdk.tf.json is on disk. */
  readonly stacksWritten: number;
}

interface SizeResult {
  readonly teams: number;
  readonly runs: number;
  readonly cpuSeconds: number;
  readonly peakMb: number;
  readonly stacks: number;
  readonly scpDocuments: number;
  readonly scpLowerBound: number;
}

/**
 * One fresh process synthesizing `config` into a fresh directory under `dir` (left for the caller
 * to delete): its CPU time and peak memory, as it reports them at exit, and the stacks it wrote.
 */
function measureOnce(config: string, dir: string): Measure {
  const outdir = mkdtempSync(path.join(dir, "out-"));
  const report = path.join(outdir, ".cpu.json");
  const env = { ...process.env, BASELINE_CONFIG: config, CDKTF_OUTDIR: outdir, BENCH_CPU_FILE: report };
  const run = spawnSync(process.execPath, ["--require", CPU_REPORTER, APP], { env, stdio: ["ignore", "ignore", "pipe"], maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`synthesis of ${config} failed: ${run.stderr.toString().split("\n").slice(0, 5).join("\n")}`);
  const usage = JSON.parse(readFileSync(report, "utf8")) as Omit<Measure, "stacksWritten">;
  return { ...usage, stacksWritten: stacksWritten(outdir) };
}

function stacksWritten(outdir: string): number {
  const manifest = JSON.parse(readFileSync(path.join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, { synthesizedStackPath: string }> };
  return Object.values(manifest.stacks).filter((stack) => existsSync(path.join(outdir, stack.synthesizedStackPath))).length;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function stackCount(plan: BaselinePlan): number {
  return 1 + (plan.audit ? 1 : 0) + plan.roles.stacks.length;
}

async function measureSize(teams: number, runs: number, dir: string, catalog: Catalog): Promise<SizeResult> {
  const file = path.join(dir, `scale-${teams}.yaml`);
  writeFileSync(file, scaleOrgYaml(teams));
  const plan = await planBaseline(loadConfig(file), catalog);
  const outputs = mkdtempSync(path.join(dir, `outputs-${teams}-`));
  measureOnce(file, outputs); // warm the file cache, and let the previous size's deletion settle
  const measures = Array.from({ length: runs }, () => measureOnce(file, outputs));
  rmSync(outputs, { recursive: true, force: true });
  const planned = stackCount(plan);
  const short = measures.find((m) => m.stacksWritten !== planned);
  if (short) throw new Error(`${teams} teams: a run wrote ${short.stacksWritten} stacks where the plan has ${planned}`);
  return {
    teams,
    runs,
    cpuSeconds: median(measures.map((m) => m.cpuSeconds)),
    peakMb: median(measures.map((m) => m.maxRssKb)) / 1024,
    stacks: planned,
    scpDocuments: plan.scps.documents.length,
    scpLowerBound: plan.scps.documentsLowerBound,
  };
}

function describe(r: SizeResult): string {
  return (
    `${r.teams.toLocaleString("en-US")} teams: median ${r.cpuSeconds.toFixed(2)} s CPU (user + system) over ${r.runs} run${r.runs === 1 ? "" : "s"}, ` +
    `${r.peakMb.toFixed(0)} MB peak, ${r.stacks.toLocaleString("en-US")} stacks, ${r.scpDocuments} SCP documents (lower bound ${r.scpLowerBound})`
  );
}

/** Each budget the results break, as a line saying by how much. */
export function budgetFailures(results: readonly SizeResult[]): string[] {
  const at = (teams: number) => results.find((r) => r.teams === teams);
  const failures: string[] = [];
  const budgeted = at(BUDGET.teams);
  if (budgeted && budgeted.cpuSeconds > BUDGET.cpuSeconds)
    failures.push(`${BUDGET.teams} teams took ${budgeted.cpuSeconds.toFixed(2)} s CPU, over the budget of ${BUDGET.cpuSeconds} s`);
  if (budgeted && budgeted.peakMb > BUDGET.peakMb)
    failures.push(`${BUDGET.teams} teams took ${budgeted.peakMb.toFixed(0)} MB, over the budget of ${BUDGET.peakMb} MB`);
  const from = at(BUDGET.growth.from);
  const to = at(BUDGET.growth.to);
  if (from && to && to.cpuSeconds / from.cpuSeconds > BUDGET.growth.maxRatio) {
    failures.push(
      `${BUDGET.growth.to} teams took ${(to.cpuSeconds / from.cpuSeconds).toFixed(1)}x the CPU of ${BUDGET.growth.from}, over the budget of ${BUDGET.growth.maxRatio}x`,
    );
  }
  return failures;
}

async function run(): Promise<number> {
  const runsFlag = process.argv.indexOf("--runs");
  const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 5;
  const dir = mkdtempSync(path.join(tmpdir(), "baseline-scale-"));
  // Up to ~1.5 GB of outputs at 10,000 teams: an interrupted bench removes them too.
  const removeOnInterrupt = () => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once("SIGINT", removeOnInterrupt);
  const catalog = await Catalog.load();
  const results: SizeResult[] = [];
  try {
    for (const teams of SIZES) {
      // The largest organization takes ten times as long a run: a third of the runs keeps the bench's length in check.
      const result = await measureSize(teams, teams === BUDGET.growth.to ? Math.max(1, Math.ceil(runs / 3)) : runs, dir, catalog);
      console.log(describe(result));
      results.push(result);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    process.off("SIGINT", removeOnInterrupt);
  }
  const failures = budgetFailures(results);
  const growth = results.find((r) => r.teams === BUDGET.growth.to)!.cpuSeconds / results.find((r) => r.teams === BUDGET.growth.from)!.cpuSeconds;
  console.log(
    `budgets: ${BUDGET.teams} teams ≤ ${BUDGET.cpuSeconds} s CPU and ≤ ${BUDGET.peakMb} MB; ${BUDGET.growth.to} teams ≤ ${BUDGET.growth.maxRatio}x the CPU of ${BUDGET.growth.from} (measured ${growth.toFixed(1)}x)`,
  );
  for (const failure of failures) console.log(`over budget: ${failure}`);
  return failures.length === 0 ? 0 : 1;
}

/** Called by scripts/bench.ts for `--scale`; sets the exit code when the run ends. */
export function main(): number {
  run().then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    },
  );
  return 0;
}
