/**
 * The SCP chain AWS evaluates for an account, read out of a synthesized `organization` stack by
 * review/synthesized.ts. Under `npm run test:mutation` the active mutant is applied here, so every
 * intent test sees it.
 */
import type { BaselineConfig } from "../../config/schema";
import { chainFromAttachments, scpsByTarget as readScps, type ChainLevel, type OrgPolicy, type PolicyJson, type TerraformJson } from "../../review/synthesized";
import { activeMutant, applyMutant, type PolicyDocumentJson } from "../../scripts/mutation/mutants";
import { synthesize } from "./synth";

export { FULL_AWS_ACCESS, pathToAccount, type ChainLevel, type OrgPolicy } from "../../review/synthesized";

export function scpsByTarget(stack: TerraformJson): Map<string, OrgPolicy[]> {
  const mutant = activeMutant();
  return readScps(stack, mutant ? (document) => applyMutant(document as PolicyDocumentJson, mutant) as PolicyJson : undefined);
}

export function scpChain(config: BaselineConfig, stack: TerraformJson, account: string): ChainLevel[] {
  return chainFromAttachments(config, scpsByTarget(stack), account);
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
