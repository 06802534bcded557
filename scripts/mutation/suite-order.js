/**
 * The order the mutation run runs the intent suites in: the suites that prove the SCPs first,
 * so a killed mutant usually dies in the first file (the run stops at the first failing file).
 */
const FIRST = ["intent.scp-hardening", "intent.workspace-controls", "intent.long-term-keys", "intent.team-role-trust", "intent.team-roles"];

const rank = (test) => {
  const at = FIRST.findIndex((name) => test.path.includes(name));
  return at < 0 ? FIRST.length : at;
};

class SuiteOrder {
  sort(tests) {
    return [...tests].sort((a, b) => rank(a) - rank(b) || (a.path < b.path ? -1 : 1));
  }

  cacheResults() {}
}

module.exports = SuiteOrder;
