/**
 * The app cdktf.json runs for `cdktf synth`, `diff`, `deploy` and `plan`, and `npm run synth` runs
 * without the cdktf CLI: rebuilds dist/ when the sources changed (bin/build.js), so a fresh clone or
 * a `git pull` never synthesizes old policies, then runs the synthesis in this same process, from
 * the bundle when there is one (bin/load-app.js). Arguments pass through (`--strict`). V8 is tuned for
 * a short run first (bin/tiering.js).
 */
"use strict";
require("./tiering").tuneTieringForShortRun();
const { ensureBuilt } = require("./build");
const { loadApp } = require("./load-app");

if (ensureBuilt() === "failed") process.exitCode = 1;
else void loadApp().runCli(process.argv.slice(2));
