/**
 * Keeps dist/ in step with the sources, so no entry point ever runs code older than the checkout:
 * `cdktf synth`, `diff`, `deploy` and `plan` run the app through bin/cdktf-app.js, and the npm
 * scripts build through here. Freshness is a hash of what the compiler reads (the files
 * tsconfig.build.json includes, both tsconfigs and the lockfile), stored beside the output after a
 * successful build: content, not modification times, because a `git checkout` of an older commit
 * gives old content new times. Hashing the ~100 sources costs a few milliseconds; the compiler
 * runs only when the hash differs. Plain JavaScript, because it has to run before anything is built.
 *
 * `node bin/build.js` builds when needed; `--force` always builds.
 */
"use strict";
const { createHash } = require("node:crypto");
const { existsSync, readdirSync, readFileSync, writeFileSync } = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const PROJECT_ROOT = path.resolve(__dirname, "..");
const STAMP_FILE = ".sources.sha256";
const ALSO_READ = ["tsconfig.json", "tsconfig.build.json", "package-lock.json"];

/** The files the build reads, relative to `root`, sorted: the tsconfig's `include` patterns expanded. */
function buildInputs(root) {
  const config = JSON.parse(readFileSync(path.join(root, "tsconfig.build.json"), "utf8"));
  const files = new Set(ALSO_READ.filter((file) => existsSync(path.join(root, file))));
  for (const pattern of config.include) {
    // The project's patterns are files (`main.ts`) and trees (`config/**/*.ts`); nothing else is supported.
    const tree = /^([\w./-]+)\/\*\*\/\*\.ts$/.exec(pattern);
    if (tree) for (const file of typeScriptFilesUnder(root, tree[1])) files.add(file);
    else if (/^[\w./-]+\.ts$/.test(pattern)) files.add(pattern);
    else throw new Error(`tsconfig.build.json: include pattern ${JSON.stringify(pattern)} is not a file or a dir/**/*.ts tree; bin/build.js reads only those`);
  }
  return [...files].sort();
}

function typeScriptFilesUnder(root, dir) {
  const full = path.join(root, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) =>
      path
        .relative(root, path.join(entry.parentPath ?? entry.path, entry.name))
        .split(path.sep)
        .join("/"),
    );
}

/** One hash over every build input's path and content. */
function sourcesHash(root) {
  const hash = createHash("sha256");
  for (const file of buildInputs(root)) {
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

/**
 * Builds dist/ unless it is fresh. Returns "fresh" or "built"; on a failed or impossible build
 * logs one line saying why and what to do (the compiler's own errors above it) and returns
 * "failed". Everything goes to stderr by default: stdout belongs to the command that called it.
 * `compiler` is a script run as `node <compiler> -p tsconfig.build.json` (tsc by default).
 */
function ensureBuilt({ root = PROJECT_ROOT, force = false, log = (line) => process.stderr.write(`${line}\n`), compiler = typeScriptCompiler(root) } = {}) {
  const hash = sourcesHash(root);
  if (!force && isFresh(root, hash)) return "fresh";
  if (!compiler) {
    log("error: dist/ is missing or older than the sources, and TypeScript is not installed to rebuild it; run `npm ci`, then try again");
    return "failed";
  }
  log(existsSync(path.join(outDir(root), "main.js")) ? "building dist/: the sources changed since the last build" : "building dist/: first build");
  const run = spawnSync(process.execPath, [compiler, "-p", "tsconfig.build.json"], { cwd: root, encoding: "utf8" });
  const output = `${run.stdout ?? ""}${run.stderr ?? ""}`.trimEnd();
  if (output) log(output);
  if (run.status !== 0) {
    log("error: the TypeScript build failed (errors above); fix them and run again. Nothing was synthesized.");
    return "failed";
  }
  writeFileSync(path.join(outDir(root), STAMP_FILE), `${hash}\n`);
  return "built";
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
