/**
 * Config → every document the stacks need, checked against the reference data and the quotas.
 * Nothing here knows about cdktf; the stacks only wire what this returns to resources.
 */
import type { BaselineConfig } from "../config/schema";
import { Catalog } from "./catalog";
import { checkDocument } from "./check";
import { policyDocument } from "./document";
import { SynthesisError } from "./errors";
import { scpMoves, subscriptionMoves, type LegacyMoves } from "./legacy-addresses";
import { packScps, type ScpPlan } from "./pack";
import { anyControlByTarget, buildControls } from "./scp";
import { planRoles, type RolesPlan } from "./roles";
import { planAudit, type AuditPlan } from "./trail";

export interface BaselinePlan {
  readonly config: BaselineConfig;
  readonly scps: ScpPlan;
  /** The audit stack's plan, when the config has an auditTrail. */
  readonly audit?: AuditPlan;
  /** The team role stacks, one per account that holds team roles. */
  readonly roles: RolesPlan;
  /** Where an organization deployed with the previous address scheme finds each resource now. */
  readonly moves: LegacyMoves;
}

export async function planBaseline(config: BaselineConfig, catalog?: Catalog): Promise<BaselinePlan> {
  const data = catalog ?? (await Catalog.load());
  const controls = buildControls(config, data);
  const problems = await Promise.all(
    controls.map(async (c) => (await checkDocument(policyDocument(c.statements), data)).map((p) => `controls.${c.label}: ${p}`)),
  );
  if (problems.flat().length > 0) throw new SynthesisError(problems.flat());
  const [audit, roles] = await Promise.all([planAudit(config, data), planRoles(config, await data.including(["sts"]))]);
  const scps = packScps(controls, config);
  const moves: LegacyMoves = {
    // Without a control built per target the whole-control layout is today's: no second build and pack.
    organization: anyControlByTarget(config)
      ? scpMoves(buildControls(config, data, { byTarget: false }), config, scps.documents)
      : scpMoves(controls, config, scps.documents, scps.documents),
    audit: audit && config.auditTrail ? subscriptionMoves(config.auditTrail.alarms.email, audit.alarmSubscriptions) : [],
  };
  return { config, scps, roles, moves, ...(audit ? { audit } : {}) };
}
