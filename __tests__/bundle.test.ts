/**
 * The fast path `npm run synth` and cdktf take (bin/cdktf-app.js → bin/load-app.js → the bundle of
 * bin/bundle.js, with its code cache, and the prebuilt IAM catalogue) writes exactly what the
 * unbundled app writes, and leaves out only what synthesis never uses, loudly. Runs on the dist/
 * that `npm test` builds first.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Catalog, PREBUILT_CATALOG_FILE } from "../policies/catalog";

const ROOT = path.resolve(__dirname, "..");
const DIST = path.join(ROOT, "dist");
const BUNDLE = path.join(DIST, "bundle", "main.js");

let scratch: string;
beforeAll(() => {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing; npm test builds it first (npm run build)`);
  scratch = mkdtempSync(path.join(tmpdir(), "baseline-bundle-"));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Every file under `dir`, by relative path, with its bytes. */
function tree(dir: string): Map<string, Buffer> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  return new Map(files.map((entry) => [path.relative(dir, path.join(entry.parentPath, entry.name)), readFileSync(path.join(entry.parentPath, entry.name))]));
}

function synthesize(script: string, name: string) {
  const outdir = path.join(scratch, name);
  const { BASELINE_CONFIG: _ignored, ...env } = process.env;
  const run = spawnSync(process.execPath, [script], { env: { ...env, CDKTF_OUTDIR: outdir }, encoding: "utf8" });
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
  return tree(outdir);
}

describe("the bundled app", () => {
  test("writes byte for byte what the unbundled app writes for the sample org, with its code cache and without", () => {
    const unbundled = synthesize(path.join(DIST, "main.js"), "unbundled");
    const first = synthesize(path.join(ROOT, "bin", "cdktf-app.js"), "bundled-first");
    const cached = synthesize(path.join(ROOT, "bin", "cdktf-app.js"), "bundled-cached");
    expect(unbundled.size).toBeGreaterThan(20);
    expect([...first.keys()].sort()).toEqual([...unbundled.keys()].sort());
    for (const [file, bytes] of unbundled) expect([file, first.get(file)?.equals(bytes)]).toEqual([file, true]);
    for (const [file, bytes] of unbundled) expect([file, cached.get(file)?.equals(bytes)]).toEqual([file, true]);
  });

  test("leaves archiver out, and stops with a message if anything ever zips an asset", () => {
    const bundled = readFileSync(BUNDLE, "utf8");
    expect(bundled).not.toContain("node_modules/archiver/");
    expect(bundled).toContain("archiverLeftOut");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const archiver = require("../bin/archiver-left-out.js") as () => unknown;
    expect(() => archiver()).toThrow(/leaves out `archiver`, which cdktf needs to zip a TerraformAsset/);
  });

  test("reads the IAM reference data from node_modules at run time, where its data files are", () => {
    expect(readFileSync(BUNDLE, "utf8")).toMatch(/require\("@cloud-copilot\/iam-data"\)/);
  });
});

describe("the prebuilt IAM catalogue", () => {
  test("holds exactly what the reference data says for the baseline services", async () => {
    const prebuilt = JSON.parse(readFileSync(path.join(DIST, PREBUILT_CATALOG_FILE), "utf8")) as unknown;
    expect(prebuilt).toEqual(JSON.parse(JSON.stringify(await Catalog.fromReferenceData())));
  });

  test("is found by the compiled catalogue and by the bundle alike: both sit one directory below dist/", () => {
    expect(existsSync(path.join(DIST, "policies", "catalog.js"))).toBe(true);
    expect(path.dirname(path.dirname(path.join(DIST, "policies", "catalog.js")))).toBe(path.dirname(path.dirname(BUNDLE)));
  });
});

describe("bin/load-app.js code cache", () => {
  /** Loads `file` through the code cache in a fresh node, and reports what it exported. */
  function loadInChild(file: string, cache: string): string {
    const script = `const { requireWithCodeCache } = require(${JSON.stringify(path.join(ROOT, "bin", "load-app.js"))});
      process.stdout.write(String(requireWithCodeCache(${JSON.stringify(file)}, ${JSON.stringify(cache)}).answer()));`;
    const run = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    return run.stdout;
  }

  test("is written by the first run, used by the next, and replaced when V8 rejects it", () => {
    const file = path.join(scratch, "module.js");
    const cache = path.join(scratch, "module.v8cache");
    writeFileSync(file, "exports.answer = () => require('node:path').basename(__filename) + ' ' + 41;\n");
    expect(loadInChild(file, cache)).toBe("module.js 41");
    const written = statSync(cache).mtimeMs;
    expect(loadInChild(file, cache)).toBe("module.js 41");
    expect(statSync(cache).mtimeMs).toBe(written);
    writeFileSync(cache, "not a code cache");
    expect(loadInChild(file, cache)).toBe("module.js 41");
    expect(readFileSync(cache, "utf8")).not.toBe("not a code cache");
  });
});
