/** `npm run validate`: rebuilds dist/ when the sources changed, then validates (scripts/validate.ts) in this process. */
"use strict";
const { ensureBuilt } = require("./build");

if (ensureBuilt() === "failed") process.exitCode = 1;
else {
  const { runBaseline } = require("../dist/cli/run.js");
  void runBaseline({ command: "validate", argv: process.argv.slice(2), env: process.env }).then((code) => {
    process.exitCode = code;
  });
}
