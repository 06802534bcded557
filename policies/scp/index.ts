/**
 * The SCP controls, in the order they are packed and documented, and the step that turns the
 * config's `controls` section into each control's statements.
 */
import type { BaselineConfig, ControlId } from "../../config/schema";
import { accountsUnder } from "../../config/tree";
import type { Catalog } from "../catalog";
import { withConditions, type Statement } from "../document";
import { exemptPrincipals, partitionOf, type ControlContext, type ControlOptions, type ScpControl } from "./control";
import { denyAnthropicManagedPolicies } from "./deny-anthropic-managed-policies";
import { denyLongTermBearerTokens } from "./deny-long-term-bearer-tokens";
import { denyServiceSpecificCredentials } from "./deny-service-specific-credentials";
import { denyShadowApiKeyUsers } from "./deny-shadow-api-key-users";
import { limitServiceCredentialAge } from "./limit-service-credential-age";
import { approvedWorkspacesOnly } from "./approved-workspaces-only";
import { disableClaudePlatform } from "./disable-claude-platform";
import { limitConsoleFederation } from "./limit-console-federation";
import { protectAuditTrail } from "./protect-audit-trail";
import { protectWorkspaces } from "./protect-workspaces";
import { workspaceCreationRules } from "./workspace-creation-rules";

export { exemptPrincipals };

/** Every implemented control, in packing and documentation order. */
export const SCP_CONTROLS: readonly ScpControl[] = [
  denyServiceSpecificCredentials,
  denyShadowApiKeyUsers,
  denyLongTermBearerTokens,
  limitServiceCredentialAge,
  protectWorkspaces,
  approvedWorkspacesOnly,
  limitConsoleFederation,
  protectAuditTrail,
  denyAnthropicManagedPolicies,
  disableClaudePlatform,
  workspaceCreationRules,
] as readonly ScpControl<ControlId>[] as readonly ScpControl[];

export interface BuiltControl {
  readonly id: ControlId;
  /**
   * Where the control sits in the config: `denyShadowApiKeyUsers`, or `approvedWorkspacesOnly[1]`
   * for one rule of several. A `byTarget` control's per-target pieces share it (each is in a group
   * of its own).
   */
  readonly label: string;
  readonly title: string;
  readonly attachTo: readonly string[];
  readonly statements: readonly Statement[];
}

/**
 * The statements of every control the config turns on, exemptions applied. A `byTarget` control
 * comes once per target, with the statements for that target's accounts (none where it has
 * nothing to say); `byTarget: false` builds it whole, on all its targets, as the layout before
 * per-target controls did (legacy-addresses.ts needs that layout to move its documents).
 */
export function buildControls(config: BaselineConfig, catalog: Catalog, { byTarget = true } = {}): BuiltControl[] {
  const exempt = exemptPrincipals(config);
  const context: ControlContext = { config, catalog, partition: partitionOf(config.deployment.homeRegion), exemptions: exempt };
  const built: BuiltControl[] = [];
  for (const control of SCP_CONTROLS) {
    const configured = config.controls[control.id] as CommonOptions | readonly CommonOptions[] | undefined;
    if (!configured) continue;
    const rules = isRuleList(configured)
      ? configured.map((options, i) => ({ options, label: `${control.id}[${i}]` }))
      : [{ options: configured, label: control.id }];
    for (const { options, label } of rules) {
      const scopes: Array<{ attachTo: readonly string[]; accounts?: ReadonlySet<string> }> =
        control.byTarget && byTarget
          ? options.attachTo.map((target) => ({ attachTo: [target], accounts: accountsUnder(config, target) }))
          : [{ attachTo: options.attachTo }];
      for (const { attachTo, accounts } of scopes) {
        const statements = control.statements(options as ControlOptions<ControlId> as never, accounts ? { ...context, accounts } : context);
        if (accounts && statements.length === 0) continue;
        // The schema gives `exempt` only to controls that allow an exemption.
        const exempted = options.exempt === true;
        built.push({
          id: control.id,
          label,
          title: control.title,
          attachTo,
          statements: exempted
            ? statements.map((s) => (control.neverExempt?.includes(s.Sid) ? s : withConditions(s, { ArnNotLike: { "aws:PrincipalArn": exempt } })))
            : statements,
        });
      }
    }
  }
  return built;
}

/** What every control's options have, whatever else they carry. */
interface CommonOptions {
  readonly attachTo: readonly string[];
  readonly exempt?: boolean;
}

function isRuleList<T>(value: T | readonly T[]): value is readonly T[] {
  return Array.isArray(value);
}
