/**
 * Reads the SCPs and their attachments out of a synthesized `organization` stack and builds the
 * chain of SCPs AWS evaluates for an account: root, each OU down to the account, the account,
 * each level also carrying FullAWSAccess as AWS attaches it by default.
 */
import type { BaselineConfig } from "../../config/schema";
import { activeMutant, applyMutant, type PolicyDocumentJson } from "../../scripts/mutation/mutants";
import { synthesize, type TerraformJson } from "./synth";

export interface OrgPolicy {
  readonly name: string;
  readonly policy: { Version: string; Statement: Array<Record<string, unknown>> };
}

export interface ChainLevel {
  readonly orgIdentifier: string;
  readonly policies: OrgPolicy[];
}

export const FULL_AWS_ACCESS: OrgPolicy = {
  name: "FullAWSAccess",
  policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
};

/**
 * Target id → the SCP documents the stack attaches there (parsed from the stack's own JSON). Under
 * `npm run test:mutation` the active mutant is applied here, so every intent test sees it.
 */
export function scpsByTarget(stack: TerraformJson): Map<string, OrgPolicy[]> {
  const mutant = activeMutant();
  const policies = stack.resource?.aws_organizations_policy ?? {};
  const attachments = stack.resource?.aws_organizations_policy_attachment ?? {};
  const byTarget = new Map<string, OrgPolicy[]>();
  for (const attachment of Object.values(attachments)) {
    const ref = /^\$\{aws_organizations_policy\.([^.]+)\.id\}$/.exec(String(attachment.policy_id));
    if (!ref) throw new Error(`attachment policy_id ${String(attachment.policy_id)} does not reference a policy of this stack`);
    const policy = policies[ref[1]];
    if (!policy) throw new Error(`attachment references missing policy ${ref[1]}`);
    if (policy.type !== "SERVICE_CONTROL_POLICY") continue;
    const target = String(attachment.target_id);
    const document = JSON.parse(String(policy.content)) as PolicyDocumentJson;
    byTarget.set(target, [...(byTarget.get(target) ?? []), { name: String(policy.name), policy: mutant ? applyMutant(document, mutant) : document }]);
  }
  return byTarget;
}

/** Root first, then each OU from the top down, then the account: the order AWS evaluates. */
export function pathToAccount(config: BaselineConfig, account: string): string[] {
  const org = config.organization;
  const entry = org.accounts.find((a) => a.id === account);
  if (!entry) throw new Error(`account ${account} is not in the config`);
  const parentOf = new Map(org.organizationalUnits.map((ou) => [ou.id, ou.parent]));
  const ous: string[] = [];
  for (let at: string | undefined = entry.parent; at && at !== org.root.id; at = parentOf.get(at)) ous.unshift(at);
  return [org.root.id, ...ous, account];
}

export function scpChain(config: BaselineConfig, stack: TerraformJson, account: string): ChainLevel[] {
  const attached = scpsByTarget(stack);
  return pathToAccount(config, account).map((target) => ({
    orgIdentifier: target,
    policies: [...(config.organization.fullAwsAccessAttached ? [FULL_AWS_ACCESS] : []), ...(attached.get(target) ?? [])],
  }));
}

/** Synthesizes `config` and returns every account's SCP chain, by account id. */
export async function accountChains(config: BaselineConfig): Promise<Map<string, ChainLevel[]>> {
  const out = await synthesize(config);
  try {
    return new Map(out.config.organization.accounts.map((a) => [a.id, scpChain(out.config, out.stack("organization"), a.id)]));
  } finally {
    out.cleanup();
  }
}
