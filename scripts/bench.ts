/**
 * Measures the synthesis of the sample org (`node dist/main.js`) against an empty cdktf app with
 * one AWS provider (`node dist/scripts/bench-empty-app.js`), each a fresh process writing to a
 * fresh directory, alternating so machine noise hits both alike. Prints medians and the ratio;
 * the project's budget is 1.5x. `npm run bench [-- --runs N]`.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

const DIST = path.resolve(__dirname, "..");
const TARGETS = { "empty app + AWS provider": path.join(DIST, "scripts", "bench-empty-app.js"), "sample org (main.js)": path.join(DIST, "main.js") };
export const BUDGET_RATIO = 1.5;

function timeOnce(script: string): number {
  const outdir = mkdtempSync(path.join(tmpdir(), "baseline-bench-"));
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [script], { env: { ...process.env, CDKTF_OUTDIR: outdir }, stdio: ["ignore", "ignore", "pipe"] });
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
  const times = new Map<string, number[]>(Object.keys(TARGETS).map((k) => [k, []]));
  for (const script of Object.values(TARGETS)) timeOnce(script); // warm the file cache
  for (let i = 0; i < runs; i++) for (const [name, script] of Object.entries(TARGETS)) times.get(name)!.push(timeOnce(script));
  const medians = [...times].map(([name, t]) => [name, median(t)] as const);
  for (const [name, m] of medians) console.log(`${name}: median ${m.toFixed(3)} s over ${runs} runs`);
  const ratio = medians[1][1] / medians[0][1];
  console.log(`ratio ${ratio.toFixed(2)} (budget ${BUDGET_RATIO})`);
  return ratio <= BUDGET_RATIO ? 0 : 1;
}

if (require.main === module) process.exitCode = main();
