/**
 * bin/tiering.js: the synthesis process raises V8's interrupt budget, so a function that is hot for
 * a moment is not sent to the optimizing compiler, unless node was given a budget of its own; and
 * the code cache the app keeps stays valid from one run to the next under that flag.
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");
const TIERING = path.join(ROOT, "bin", "tiering.js");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { tieringFlag, INTERRUPT_BUDGET } = require(TIERING) as { tieringFlag: (execArgv: string[]) => string | undefined; INTERRUPT_BUDGET: number };

/**
 * Whether V8 optimizes a small function called 2,000 times: well past the default budget (a few
 * hundred calls suffice) and well short of the raised one (several thousand).
 */
function optimizesHotFunction(nodeFlags: string[], tune: boolean): boolean {
  const script = `${tune ? `require(${JSON.stringify(TIERING)}).tuneTieringForShortRun();` : ""}
    function hotForAMoment(x) { let s = 0; for (let i = 0; i < 10; i++) s += (x * i) % 7; return s; }
    let total = 0; for (let n = 0; n < 2000; n++) total += hotForAMoment(n);
    process.stdout.write(String(total));`;
  const run = spawnSync(process.execPath, ["--trace-opt", ...nodeFlags, "-e", script], { encoding: "utf8" });
  expect(run.status).toBe(0);
  return /completed optimizing[^\n]*hotForAMoment/.test(run.stdout);
}

describe("V8 tiering for a short run", () => {
  test("the flag is set unless node was given an interrupt budget, in either spelling", () => {
    expect(tieringFlag([])).toBe(`--interrupt-budget=${INTERRUPT_BUDGET}`);
    expect(tieringFlag(["--enable-source-maps"])).toBe(`--interrupt-budget=${INTERRUPT_BUDGET}`);
    expect(tieringFlag(["--interrupt-budget=1000"])).toBeUndefined();
    expect(tieringFlag(["--interrupt_budget=1000"])).toBeUndefined();
  });

  test("takes effect: a function hot for a moment stays unoptimized, and node's own budget wins", () => {
    expect(optimizesHotFunction([], false)).toBe(true);
    expect(optimizesHotFunction([], true)).toBe(false);
    expect(optimizesHotFunction(["--interrupt-budget=67584"], true)).toBe(true);
  });

  test("the app tunes V8 before it loads anything, so the code cache written under the flag is used by the next run, not rewritten", () => {
    const scratch = mkdtempSync(path.join(tmpdir(), "baseline-tiering-"));
    try {
      // A copy of the built app, so the test neither races nor rewrites the checkout's cache.
      for (const part of ["bin", "dist/bundle", "dist/iam-catalog.json", "dist/.sources.sha256"])
        cpSync(path.join(ROOT, part), path.join(scratch, part), { recursive: true });
      symlinkSync(path.join(ROOT, "node_modules"), path.join(scratch, "node_modules"));
      const bundleDir = path.join(scratch, "dist", "bundle");
      for (const file of readdirSync(bundleDir)) if (file.endsWith(".v8cache")) rmSync(path.join(bundleDir, file));
      // The copy has no sources to check freshness against: the build is the checkout's.
      writeFileSync(path.join(scratch, "bin", "build.js"), 'exports.ensureBuilt = () => "fresh";\n');
      // Each step of the entry point notes itself, to show the order it takes them in.
      const steps = path.join(scratch, "steps.log");
      for (const [file, name] of [
        ["tiering.js", "tuneTieringForShortRun"],
        ["load-app.js", "loadApp"],
      ]) {
        appendFileSync(
          path.join(scratch, "bin", file),
          `\n{ const step = module.exports.${name}; module.exports.${name} = (...a) => { require("node:fs").appendFileSync(process.env.STEPS_LOG, "${name}\\n"); return step(...a); }; }\n`,
        );
      }
      const synthesize = (name: string) => {
        const env = { ...process.env, STEPS_LOG: steps, BASELINE_CONFIG: path.join(ROOT, "config", "sample-org.yaml"), CDKTF_OUTDIR: path.join(scratch, name) };
        const run = spawnSync(process.execPath, [path.join(scratch, "bin", "cdktf-app.js")], { env, encoding: "utf8" });
        expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
        const caches = readdirSync(bundleDir).filter((file) => file.endsWith(".v8cache"));
        expect(caches).toHaveLength(1);
        return statSync(path.join(bundleDir, caches[0])).mtimeMs;
      };
      const written = synthesize("first");
      expect(readFileSync(steps, "utf8")).toBe("tuneTieringForShortRun\nloadApp\n");
      expect(synthesize("second")).toBe(written);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
