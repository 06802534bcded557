/**
 * The order the mutation run runs the intent suites in: the suite that killed the statement's
 * last mutant first (named by the runner), then the suites that prove the SCPs, so a killed
 * mutant usually dies in the first file (the files after a failure skip their tests).
 */
const ORDER = ["intent.scp-hardening", "intent.workspace-controls", "intent.long-term-keys", "intent.team-role-trust", "intent.team-roles"];

function rank(test) {
  const first = process.env.BASELINE_MUTATION_FIRST_SUITE;
  if (first && test.path.endsWith(first)) return -1;
  const at = ORDER.findIndex((name) => test.path.includes(name));
  return at < 0 ? ORDER.length : at;
}

class SuiteOrder {
  sort(tests) {
    return [...tests].sort((a, b) => rank(a) - rank(b) || (a.path < b.path ? -1 : 1));
  }

  cacheResults() {}
}

module.exports = SuiteOrder;
