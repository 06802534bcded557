/**
 * The app cdktf.json runs for `cdktf synth`, `diff`, `deploy` and `plan`: rebuilds dist/ when the
 * sources changed (bin/build.js), so a fresh clone or a `git pull` never synthesizes old policies,
 * then runs the synthesis in this same process. Arguments pass through (`--strict`).
 */
"use strict";
const { ensureBuilt } = require("./build");

if (ensureBuilt() === "failed") process.exitCode = 1;
else void require("../dist/main.js").runCli(process.argv.slice(2));
