/**
 * V8's tiering for a synthesis, a run of a fraction of a second to a few seconds: bin/cdktf-app.js
 * calls this before it loads anything else.
 *
 * By default V8 sends a function to its optimizing compiler (TurboFan, on background threads)
 * after a small amount of interpreted work. A synthesis runs each of a few hundred functions
 * thousands of times and then exits, so optimizing them costs more CPU than it saves: on a
 * 1,000-team organization the compiler threads took 1.3-1.5 s of the run's ~3.3 s. A budget 16
 * times V8's default leaves the functions that are hot for a moment in the baseline tiers and still
 * optimizes those that carry a long run (10,000 teams cost about the same either way).
 *
 * The flag changes when code is optimized, never what it computes. A `--interrupt-budget` given to
 * node itself wins. V8 keys the code cache (bin/load-app.js) to its flags, which is why this runs
 * first, before the cache is read.
 */
"use strict";
const v8 = require("node:v8");

/** V8's default interrupt budget (V8 11 and 12), in bytes of bytecode executed. */
const V8_DEFAULT_INTERRUPT_BUDGET = 66 * 1024;
const INTERRUPT_BUDGET = 16 * V8_DEFAULT_INTERRUPT_BUDGET;

/** The V8 flag to set for a run started with `execArgv`, or undefined when node was given one. */
function tieringFlag(execArgv) {
  const given = execArgv.some((arg) => arg.replace(/_/g, "-").startsWith("--interrupt-budget="));
  return given ? undefined : `--interrupt-budget=${INTERRUPT_BUDGET}`;
}

function tuneTieringForShortRun(execArgv = process.execArgv) {
  const flag = tieringFlag(execArgv);
  if (flag) v8.setFlagsFromString(flag);
}

module.exports = { INTERRUPT_BUDGET, tieringFlag, tuneTieringForShortRun };
