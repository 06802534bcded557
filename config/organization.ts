/** Where things sit in the organization tree the config describes. */
import type { BaselineConfig } from "./schema";

/** Root first, then each OU from the top down, then the account: the order AWS evaluates SCPs in. */
export function pathToAccount(config: BaselineConfig, account: string): string[] {
  const org = config.organization;
  const entry = org.accounts.find((a) => a.id === account);
  if (!entry) throw new Error(`account ${account} is not in the config`);
  const parentOf = new Map(org.organizationalUnits.map((ou) => [ou.id, ou.parent]));
  const ous: string[] = [];
  for (let at: string | undefined = entry.parent; at && at !== org.root.id; at = parentOf.get(at)) ous.unshift(at);
  return [org.root.id, ...ous, account];
}
