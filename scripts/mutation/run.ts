/**
 * `npm run test:mutation`: proves that every SCP statement earns its place. The sample org with
 * every control on is planned, and for each mutant of its SCPs (one statement removed, or one
 * value removed from one of a statement's lists) the intent suites run against the mutated
 * documents. A mutant that no intent test kills is a statement, action or principal nothing
 * proves; the run fails unless it is listed, with the reason, in `equivalent-mutants.json`.
 *
 *   npm run test:mutation [-- --only <substring>] [-- --jobs N]
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import * as path from "node:path";
import { parseConfig } from "../../config/load";
import { planBaseline } from "../../policies/baseline";
import { everyControlYaml } from "./every-control";
import { MUTANT_ENV, mutantsOf, SYNTH_CACHE_ENV, type Mutant, type PolicyDocumentJson } from "./mutants";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const JEST = path.join(ROOT, "node_modules", "jest", "bin", "jest.js");
const INTENT_SUITES = "__tests__/intent\\.";
const ENVIRONMENT = path.join(ROOT, "scripts", "mutation", "fail-fast-environment.js");
const SUITE_ORDER = path.join(ROOT, "scripts", "mutation", "suite-order.js");
const EQUIVALENTS_PATH = path.join(ROOT, "scripts", "mutation", "equivalent-mutants.json");

type Outcome =
  | { readonly kind: "killed"; readonly suite: string; readonly by: string }
  | { readonly kind: "survived" }
  | { readonly kind: "error"; readonly detail: string };

interface JestReport {
  numFailedTests: number;
  numPassedTests: number;
  numRuntimeErrorTestSuites: number;
  testResults: Array<{ name: string; assertionResults: Array<{ fullName: string; status: string }> }>;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const only = option(args, "--only");
  const jobs = Number(option(args, "--jobs") ?? Math.max(1, Math.min(2, cpus().length)));
  const equivalents = JSON.parse(readFileSync(EQUIVALENTS_PATH, "utf8")) as Record<string, string>;

  const plan = await planBaseline(parseConfig(everyControlYaml(), "every-control.yaml"));
  const documents = plan.scps.documents.map((d) => JSON.parse(d.content) as PolicyDocumentJson);
  const mutants = mutantsOf(documents).filter((m) => !only || m.id.includes(only));
  console.log(`mutation: ${mutants.length} mutants of ${documents.length} SCPs (every control on), ${jobs} at a time`);

  const caches = Array.from({ length: jobs }, (_, i) => mkdtempSync(path.join(tmpdir(), `baseline-mutation-${i}-`)));
  // Each config the intent suites synthesize, once for the whole run (the harness applies the mutant when it reads the SCPs).
  const synthCache = mkdtempSync(path.join(tmpdir(), "baseline-mutation-synth-"));
  process.env[SYNTH_CACHE_ENV] = synthCache;
  try {
    // The unmutated run must pass, or every "kill" below would be a failure that was there already.
    const clean = await runSuites(undefined, caches[0]);
    if (clean.kind !== "survived") {
      console.error(
        `mutation: the intent suites do not pass without a mutant (${clean.kind === "killed" ? `${clean.suite}: ${clean.by}` : clean.detail}); fix them first`,
      );
      return 1;
    }
    // The mutants of one statement usually die in the same suite: run the suite that killed the last one first.
    const killerBySid = new Map<string, string>();
    const outcomes = await pool(mutants, jobs, async (mutant, worker) => {
      const outcome = await runSuites(mutant, caches[worker], killerBySid.get(mutant.sid));
      if (outcome.kind === "killed") killerBySid.set(mutant.sid, outcome.suite);
      // Said as it happens, so a long run can be acted on before it ends.
      if (outcome.kind === "survived" && !(mutant.id in equivalents)) console.log(`  survived  ${mutant.id}`);
      return outcome;
    });
    return report(mutants, outcomes, equivalents, only !== undefined);
  } finally {
    for (const dir of [...caches, synthCache]) rmSync(dir, { recursive: true, force: true });
  }
}

function report(mutants: readonly Mutant[], outcomes: readonly Outcome[], equivalents: Record<string, string>, partial: boolean): number {
  const errors = mutants.flatMap((mutant, i) => {
    const outcome = outcomes[i];
    return outcome.kind === "error" ? [{ mutant, detail: outcome.detail }] : [];
  });
  const survivors = mutants.filter((_, i) => outcomes[i].kind === "survived");
  const killed = mutants.length - survivors.length - errors.length;
  const unexplained = survivors.filter((m) => !(m.id in equivalents));
  const stale = partial ? [] : Object.keys(equivalents).filter((id) => !survivors.some((m) => m.id === id));
  console.log(
    `mutation: ${killed} of ${mutants.length} killed (${percent(killed, mutants.length)}); ${survivors.length - unexplained.length} listed as equivalent`,
  );
  for (const { mutant, detail } of errors) console.log(`  error     ${mutant.id}: ${detail}`);
  for (const m of unexplained) console.log(`  unproven  ${m.id}`);
  for (const id of stale) console.log(`  stale     ${id}: listed in equivalent-mutants.json but killed or gone; remove it`);
  if (errors.length + unexplained.length + stale.length === 0) return 0;
  if (unexplained.length > 0)
    console.log(
      "A surviving mutant is a statement or value no intent test proves: add the test that kills it, or list it with the reason in scripts/mutation/equivalent-mutants.json.",
    );
  return 1;
}

/** Runs the intent suites under `mutant` (none: the clean run), `firstSuite` first; killed when a test fails. */
function runSuites(mutant: Mutant | undefined, cacheDirectory: string, firstSuite?: string): Promise<Outcome> {
  const run = process.hrtime.bigint();
  const output = path.join(cacheDirectory, `report-${run}.json`);
  const killedMarker = path.join(cacheDirectory, `killed-${run}`);
  const args = [
    JEST,
    "--runInBand",
    "--ci",
    "--silent",
    `--testEnvironment=${ENVIRONMENT}`,
    `--testSequencer=${SUITE_ORDER}`,
    `--cacheDirectory=${cacheDirectory}`,
    "--json",
    `--outputFile=${output}`,
    INTENT_SUITES,
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: {
        ...process.env,
        BASELINE_MUTANT_KILLED_MARKER: killedMarker,
        BASELINE_MUTATION_FIRST_SUITE: firstSuite ?? "",
        ...(mutant ? { [MUTANT_ENV]: JSON.stringify(mutant) } : {}),
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.on("close", () => {
      let result: JestReport;
      try {
        result = JSON.parse(readFileSync(output, "utf8")) as JestReport;
      } catch {
        resolve({ kind: "error", detail: `jest wrote no report: ${stderr.trim().split("\n").slice(-3).join(" ")}` });
        return;
      }
      if (result.numRuntimeErrorTestSuites > 0) resolve({ kind: "error", detail: `a suite failed to run: ${stderr.trim().split("\n").slice(-3).join(" ")}` });
      else if (result.numFailedTests > 0) resolve({ kind: "killed", ...firstFailure(result) });
      else resolve({ kind: "survived" });
    });
  });
}

function firstFailure(result: JestReport): { suite: string; by: string } {
  for (const file of result.testResults) {
    const failed = file.assertionResults.find((a) => a.status === "failed");
    if (failed) return { suite: path.basename(file.name), by: failed.fullName };
  }
  return { suite: "", by: "a failing test" };
}

/** Runs `work` over `items`, `jobs` at a time, keeping the results in order. */
async function pool<T, R>(items: readonly T[], jobs: number, work: (item: T, worker: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: jobs }, async (_, worker) => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index], worker);
        done++;
        if (done % 20 === 0 || done === items.length) console.log(`mutation: ${done} / ${items.length}`);
      }
    }),
  );
  return results;
}

function option(args: readonly string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

function percent(part: number, whole: number): string {
  return whole === 0 ? "100%" : `${((100 * part) / whole).toFixed(1)}%`;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`mutation: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
