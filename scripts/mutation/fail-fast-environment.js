/**
 * A jest test environment for mutation runs: once a test of the file has failed (the mutant is
 * killed), the file's remaining tests are skipped, so a killed mutant costs one failure, not a
 * whole suite. jest-circus checks a test's mode after dispatching test_start.
 */
const { TestEnvironment } = require("jest-environment-node");

class FailFastEnvironment extends TestEnvironment {
  failed = false;

  async handleTestEvent(event) {
    if (event.name === "test_fn_failure" || event.name === "hook_failure") this.failed = true;
    if (event.name === "test_start" && this.failed) event.test.mode = "skip";
  }
}

module.exports = FailFastEnvironment;
