/**
 * Keeps dist/ in step with the sources, so no entry point ever runs code older than the checkout:
 * `cdktf synth`, `diff`, `deploy` and `plan` run the app through bin/cdktf-app.js, and the npm
 * scripts build through here. Freshness is a hash of what the build reads (the files
 * tsconfig.json includes, the tests among them, tsconfig.json itself, the lockfile and the bundler's
 * own files), stored beside the output after a successful build: content, not modification times,
 * because a `git checkout` of an older commit gives old content new times. Hashing the ~150
 * sources costs a few milliseconds; the compiler runs only when the hash differs.
 *
 * A build is one tsc pass over the app, the scripts and the tests (so it is also the type-check;
 * `--incremental`, its record in dist/.tsbuildinfo, skips checking what a change cannot affect),
 * then the bundle of the app (bin/bundle.js). Plain JavaScript, because it has to run before
 * anything is built.
 *
 * `node bin/build.js` builds when needed; `--force` always builds, from scratch.
 */
"use strict";
const { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } = require("node:fs");
const path = require("node:path");

const PROJECT_ROOT = path.resolve(__dirname, "..");
const STAMP_FILE = ".sources.sha256";
const STAT_RECORD = ".sources.stat.json";
/**
 * A file changed within this long before its size and time were recorded could have been changed
 * again in the same clock tick, keeping both: such a file is checked by content (git's "racy" entries).
 */
const RACY_MS = 2000;
const INCREMENTAL_RECORD = ".tsbuildinfo";
/**
 * The one compile covers what tsconfig.json includes: the app, the scripts and the tests, so that it
 * is the type-check too. (tsconfig.build.json, the app alone, is for tools that only need the app
 * compiled, such as access-diff's build of the base side.)
 */
const BUILD_CONFIG = "tsconfig.json";
const ALSO_READ = [BUILD_CONFIG, "package-lock.json", "bin/bundle.js", "bin/archiver-left-out.js"];

/** The files the build reads, relative to `root`, sorted: the tsconfig's `include` patterns expanded. */
function buildInputs(root) {
  const files = new Set(ALSO_READ.filter((file) => existsSync(path.join(root, file))));
  for (const pattern of JSON.parse(readFileSync(path.join(root, BUILD_CONFIG), "utf8")).include) {
    // The project's patterns are files (`main.ts`) and trees (`config/**/*.ts`); nothing else is supported.
    const tree = /^([\w./-]+)\/\*\*\/\*\.ts$/.exec(pattern);
    if (tree) for (const file of typeScriptFilesUnder(root, tree[1])) files.add(file);
    else if (/^[\w./-]+\.ts$/.test(pattern)) files.add(pattern);
    else throw new Error(`${BUILD_CONFIG}: include pattern ${JSON.stringify(pattern)} is not a file or a dir/**/*.ts tree; bin/build.js reads only those`);
  }
  return [...files].sort();
}

/** `dir`'s TypeScript files, as `dir/…/name.ts`: plain string joins, since path.relative on each costs milliseconds a run. */
function typeScriptFilesUnder(root, dir, found = []) {
  if (!existsSync(path.join(root, dir))) return found;
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const file = `${dir}/${entry.name}`;
    if (entry.isDirectory()) typeScriptFilesUnder(root, file, found);
    else if (entry.isFile() && entry.name.endsWith(".ts")) found.push(file);
  }
  return found;
}

/** One hash over every build input's path and content. */
function sourcesHash(root, inputs = buildInputs(root)) {
  // Loaded here: the usual run finds the sources unchanged by their sizes and times, and never hashes.
  const hash = require("node:crypto").createHash("sha256");
  for (const file of inputs) {
    hash.update(file).update("\0");
    hash.update(existsSync(path.join(root, file)) ? readFileSync(path.join(root, file)) : "(missing)").update("\0");
  }
  return hash.digest("hex");
}

function outDir(root) {
  return path.join(root, "dist");
}

/** Whether dist/ was built from exactly the sources there are now. */
function isFresh(root, hash = sourcesHash(root)) {
  const stamp = path.join(outDir(root), STAMP_FILE);
  return existsSync(path.join(outDir(root), "main.js")) && existsSync(stamp) && readFileSync(stamp, "utf8").trim() === hash;
}

/** Size and modification time of each input (null when missing), and when they were read. */
function statInputs(root, inputs) {
  const at = Date.now();
  const files = {};
  for (const file of inputs) {
    const stat = statSync(`${root}/${file}`, { throwIfNoEntry: false });
    files[file] = stat ? [stat.size, stat.mtimeMs] : null;
  }
  return { at, files };
}

/**
 * Whether the inputs are the very files whose content was last found fresh: same names, sizes and
 * modification times, none changed within RACY_MS of that check. A quick yes that saves reading and
 * hashing every source on each run; any doubt is settled by content.
 */
function unchangedSinceRecord(root, stats) {
  let record;
  try {
    record = JSON.parse(readFileSync(path.join(outDir(root), STAT_RECORD), "utf8"));
  } catch {
    return false;
  }
  const names = Object.keys(stats.files);
  if (names.length !== Object.keys(record.files).length) return false;
  return names.every((file) => {
    const [now, then] = [stats.files[file], record.files[file]];
    return now && then && now[0] === then[0] && now[1] === then[1] && now[1] < record.at - RACY_MS;
  });
}

function writeStatRecord(root, stats) {
  writeFileSync(path.join(outDir(root), STAT_RECORD), JSON.stringify(stats));
}

/** A build that fails half-way must leave nothing that says dist/ is fresh. */
function forgetFreshness(root) {
  for (const file of [STAMP_FILE, STAT_RECORD]) rmSync(path.join(outDir(root), file), { force: true });
}

/**
 * tsc --incremental trusts its record over what is in dist/: a forced build, or one after dist/ lost
 * its app, starts without it so that every file is written again.
 */
function forgetIncrementalRecord(root) {
  rmSync(path.join(outDir(root), INCREMENTAL_RECORD), { force: true });
}

/**
 * Builds dist/ unless it is fresh. Returns "fresh" or "built"; on a failed or impossible build
 * logs one line saying why and what to do (the compiler's own errors above it) and returns
 * "failed". Everything goes to stderr by default: stdout belongs to the command that called it.
 * `compiler` is a script run as `node <compiler> -p tsconfig.json --incremental …` (tsc by default);
 * `esbuild` stands in for the bundler in tests (bin/bundle.js).
 */
function ensureBuilt({
  root = PROJECT_ROOT,
  force = false,
  log = (line) => process.stderr.write(`${line}\n`),
  compiler = typeScriptCompiler(root),
  esbuild = undefined,
} = {}) {
  const inputs = buildInputs(root);
  // Sizes and times are read before the contents: a file changed in between then fails the next quick check.
  const stats = statInputs(root, inputs);
  const appBuilt = existsSync(path.join(outDir(root), "main.js")) && existsSync(path.join(outDir(root), STAMP_FILE));
  if (!force && appBuilt && unchangedSinceRecord(root, stats)) return "fresh";
  const hash = sourcesHash(root, inputs);
  if (!force && isFresh(root, hash)) {
    writeStatRecord(root, stats);
    return "fresh";
  }
  if (!compiler) {
    log("error: dist/ is missing or older than the sources, and TypeScript is not installed to rebuild it; run `npm ci`, then try again");
    return "failed";
  }
  const built = existsSync(path.join(outDir(root), "main.js"));
  if (force || !built) forgetIncrementalRecord(root);
  forgetFreshness(root);
  log(built ? "building dist/: the sources changed since the last build" : "building dist/: first build");
  // Required here, as the bundler is below: a fresh dist/ is the usual case and needs neither.
  const { spawnSync } = require("node:child_process");
  const run = spawnSync(process.execPath, [compiler, "-p", BUILD_CONFIG, "--incremental", "--tsBuildInfoFile", path.join("dist", INCREMENTAL_RECORD)], {
    cwd: root,
    encoding: "utf8",
  });
  const output = `${run.stdout ?? ""}${run.stderr ?? ""}`.trimEnd();
  if (output) log(output);
  if (run.status !== 0) {
    log("error: the TypeScript build failed (errors above); fix them and run again. Nothing was synthesized.");
    return "failed";
  }
  if (!writeGeneratedFiles(root, log, spawnSync)) return "failed";
  if (require("./bundle").bundleApp({ root, log, ...(esbuild === undefined ? {} : { esbuild }) }) === "failed") return "failed";
  writeFileSync(path.join(outDir(root), STAMP_FILE), `${hash}\n`);
  writeStatRecord(root, stats);
  return "built";
}

/**
 * Compiled scripts that write files into dist/ from what the compiler cannot see (the prebuilt IAM
 * catalogue, from the pinned reference data); a project without one skips it.
 */
const GENERATORS = ["dist/scripts/write-iam-catalog.js"];

function writeGeneratedFiles(root, log, spawnSync) {
  for (const generator of GENERATORS.filter((file) => existsSync(path.join(root, file)))) {
    const run = spawnSync(process.execPath, [generator], { cwd: root, encoding: "utf8" });
    if (run.status !== 0) {
      log(`${run.stdout ?? ""}${run.stderr ?? ""}`.trimEnd());
      log(`error: ${generator} failed (above); the build is incomplete. Nothing was synthesized.`);
      return false;
    }
  }
  return true;
}

/** The project's own `tsc`, or undefined when TypeScript is not installed (a production install). */
function typeScriptCompiler(root) {
  try {
    return require.resolve("typescript/bin/tsc", { paths: [root] });
  } catch {
    return undefined;
  }
}

module.exports = { ensureBuilt, isFresh, sourcesHash, buildInputs };

if (require.main === module) {
  process.exitCode = ensureBuilt({ force: process.argv.includes("--force") }) === "failed" ? 1 : 0;
}
