/**
 * The organization's tree as the config describes it: which targets an account sits under, and
 * which accounts a target covers. An SCP on a target applies to every account below it.
 */
import type { BaselineConfig } from "./schema";

/** The root, the OUs from the top down, and the account: every target whose SCPs apply to the account. */
export function ancestry(config: BaselineConfig, account: string): string[] {
  const org = config.organization;
  const parentOf = new Map<string, string>([
    ...org.organizationalUnits.map((ou): [string, string] => [ou.id, ou.parent]),
    ...org.accounts.map((a): [string, string] => [a.id, a.parent]),
  ]);
  const chain = [account];
  const seen = new Set(chain);
  for (let at = parentOf.get(account); at !== undefined && !seen.has(at); at = parentOf.get(at)) {
    chain.unshift(at);
    seen.add(at);
  }
  return chain;
}

/** The accounts an SCP on `target` (the root, an OU or an account) applies to. */
export function accountsUnder(config: BaselineConfig, target: string): Set<string> {
  return new Set(config.organization.accounts.filter((a) => ancestry(config, a.id).includes(target)).map((a) => a.id));
}
