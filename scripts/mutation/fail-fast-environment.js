/**
 * A jest test environment for mutation runs: a killed mutant should cost one failing test, not
 * the whole intent suite. Once a test fails, the rest of its file is skipped, and a marker file
 * (named by the runner) tells the files after it to skip every test, so their beforeAll hooks
 * (synthesis) never run. jest-circus checks a test's mode after dispatching test_start, and runs
 * no hook of a block without an enabled test.
 */
const { existsSync, writeFileSync } = require("node:fs");
const { TestEnvironment } = require("jest-environment-node");

const MARKER = process.env.BASELINE_MUTANT_KILLED_MARKER;

function skipAll(block) {
  for (const child of block.children) {
    child.mode = "skip";
    if (child.type === "describeBlock") skipAll(child);
  }
}

class FailFastEnvironment extends TestEnvironment {
  failed = false;

  async handleTestEvent(event, state) {
    if (event.name === "run_start" && MARKER && existsSync(MARKER)) skipAll(state.rootDescribeBlock);
    if (event.name === "test_fn_failure" || event.name === "hook_failure") {
      this.failed = true;
      if (MARKER) writeFileSync(MARKER, "killed\n");
    }
    if (event.name === "test_start" && this.failed) event.test.mode = "skip";
  }
}

module.exports = FailFastEnvironment;
