/**
 * Loads the built app for bin/cdktf-app.js: the bundle (bin/bundle.js) when there is one, else
 * dist/main.js. The bundle is compiled with a V8 code cache beside it, so a run after the first
 * skips compiling the ~2 MB it reads, and most functions the synthesis calls come precompiled
 * (Node 20 has no built-in compile cache for CommonJS; this is what `v8-compile-cache` does).
 *
 * V8 checks a cache only against the source's length and its own version and flags, so a cache
 * must never outlive its bundle: its name carries the build's source hash (dist/.sources.sha256),
 * and bin/bundle.js deletes dist/bundle/ with every build. A cache V8 rejects (another Node, other
 * flags) is ignored and written anew at exit; one that cannot be written (a read-only checkout) is
 * simply not kept.
 */
"use strict";
const { existsSync, readFileSync, renameSync, writeFileSync } = require("node:fs");
const Module = require("node:module");
const path = require("node:path");
const vm = require("node:vm");

const PROJECT_ROOT = path.resolve(__dirname, "..");

function bundlePath(root) {
  return path.join(root, "dist", "bundle", "main.js");
}

/** dist/bundle/main.<hash>.v8cache for the build that wrote the bundle, or undefined when unstamped. */
function codeCachePath(root) {
  const stamp = path.join(root, "dist", ".sources.sha256");
  if (!existsSync(stamp)) return undefined;
  return path.join(root, "dist", "bundle", `main.${readFileSync(stamp, "utf8").trim().slice(0, 16)}.v8cache`);
}

function readIfExists(file) {
  try {
    return file === undefined ? undefined : readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Written whole or not at all: another run may be reading it. */
function writeCodeCache(file, data) {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, data);
    renameSync(temporary, file);
  } catch {
    // A cache is only a speed-up.
  }
}

/** Runs a CommonJS file as `require` would, with its compiled code cached in `cacheFile`. */
function requireWithCodeCache(file, cacheFile) {
  const cachedData = readIfExists(cacheFile);
  const script = new vm.Script(Module.wrap(readFileSync(file, "utf8")), { filename: file, cachedData });
  // Written at exit, so that it also holds the functions compiled lazily while synthesizing; set up
  // first, so that a process.exit() while loading still writes it.
  if (cacheFile && (cachedData === undefined || script.cachedDataRejected)) process.once("exit", () => writeCodeCache(cacheFile, script.createCachedData()));
  const loaded = new Module(file, module);
  loaded.filename = file;
  loaded.paths = Module._nodeModulePaths(path.dirname(file));
  script.runInThisContext().call(loaded.exports, loaded.exports, Module.createRequire(file), loaded, file, path.dirname(file));
  loaded.loaded = true;
  return loaded.exports;
}

/** The app's exports (`runCli`): the bundle when it was built, else the unbundled dist/main.js. */
function loadApp(root = PROJECT_ROOT) {
  const bundle = bundlePath(root);
  if (!existsSync(bundle)) return require(path.join(root, "dist", "main.js"));
  return requireWithCodeCache(bundle, codeCachePath(root));
}

module.exports = { loadApp, codeCachePath, requireWithCodeCache };
