/**
 * Where an SCP reaches: the OU tree of the config, indexed once, so the meaning checks
 * (validate.ts, warnings.ts) ask "does a control attached to these targets apply to this account?"
 * without walking the tree for every question. SCPs never apply to the management account, whatever
 * they are attached to (AWS Organizations User Guide, "Service control policies": they "don't affect
 * users or roles in the management account").
 */
import type { BaselineConfig } from "./schema";

export interface Coverage {
  readonly managementAccount: string;
  /** The root, the OUs from the top down, and the account itself: every target whose SCPs reach the account (if it is a member). */
  ancestry(account: string): readonly string[];
  /** Whether an SCP attached to `attachTo` applies to `account`: a member account under (or at) one of the targets. */
  covers(attachTo: readonly string[], account: string): boolean;
  /** The first of `attachTo` that reaches `account`, or undefined. */
  reachingTarget(attachTo: readonly string[], account: string): string | undefined;
  /** Every account at or under `target` (the root, an OU or an account), the management account included. */
  accountsUnder(target: string): ReadonlySet<string>;
}

export function coverage(config: BaselineConfig): Coverage {
  const org = config.organization;
  const parentOf = new Map<string, string>([
    ...org.organizationalUnits.map((ou): [string, string] => [ou.id, ou.parent]),
    ...org.accounts.map((a): [string, string] => [a.id, a.parent]),
  ]);
  const chains = new Map<string, string[]>();
  const ancestry = (account: string): string[] => {
    let chain = chains.get(account);
    if (chain) return chain;
    chain = [account];
    // `seen` stops at a cycle, which validate.ts reports on its own.
    const seen = new Set(chain);
    for (let at = parentOf.get(account); at !== undefined && !seen.has(at); at = parentOf.get(at)) {
      chain.unshift(at);
      seen.add(at);
    }
    chains.set(account, chain);
    return chain;
  };
  const reachingTarget = (attachTo: readonly string[], account: string) =>
    account === org.managementAccount ? undefined : ancestry(account).find((target) => attachTo.includes(target));
  let under: Map<string, Set<string>> | undefined;
  const accountsUnder = (target: string): ReadonlySet<string> => {
    // Built once, on first use: each account is added to every target above it.
    if (!under) {
      under = new Map();
      for (const account of org.accounts) for (const at of ancestry(account.id)) under.set(at, (under.get(at) ?? new Set()).add(account.id));
    }
    return under.get(target) ?? new Set();
  };
  return {
    managementAccount: org.managementAccount,
    ancestry,
    accountsUnder,
    covers: (attachTo, account) => reachingTarget(attachTo, account) !== undefined,
    reachingTarget,
  };
}
