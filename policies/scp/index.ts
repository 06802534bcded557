/**
 * The SCP controls, in the order they are packed and documented, and the step that turns the
 * config's `controls` section into each control's statements.
 */
import type { BaselineConfig, ControlId } from "../../config/schema";
import { coverage } from "../../config/coverage";
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

/**
 * A control's two names. `ref` is where it sits in the config, by position, and is what every
 * synthesized text says and what identifies it inside the packer (and in the previous scheme's
 * addresses). `label` is how a person reads it in the synth summary and in messages: the `ref`,
 * or for a rule the config names, `approvedWorkspacesOnly[sandbox-only]`.
 *
 * Neither is a document's key: pack.ts keys a document by its targets and the control id (and a
 * rule's order among the rules on the same targets), so naming, renaming or un-naming a rule moves
 * nothing. A name would be a steadier key than a place, but keying by it would change the address
 * of every deployed rule the day it is named, and again at each rename, which is what keying by
 * display names did before (policies/legacy-addresses.ts): a rename destroys the SCP and leaves
 * its targets unguarded until the new one is attached. So the name only ever labels.
 */
export interface BuiltControl {
  readonly id: ControlId;
  /**
   * Where the control sits in the config: `denyShadowApiKeyUsers`, or `approvedWorkspacesOnly[1]`
   * for one rule of several. A `byTarget` control's per-target pieces share it (each is in a group
   * of its own).
   */
  readonly ref: string;
  /** How messages and the summary name it: the `ref`, or `approvedWorkspacesOnly[sandbox-only]` for a named rule. */
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
  const tree = coverage(config);
  for (const control of SCP_CONTROLS) {
    const configured = config.controls[control.id] as CommonOptions | readonly CommonOptions[] | undefined;
    if (!configured) continue;
    const rules = isRuleList(configured)
      ? configured.map((options, i) => ({ options, ref: `${control.id}[${i}]`, label: `${control.id}[${options.name ?? i}]` }))
      : [{ options: configured, ref: control.id, label: control.id }];
    for (const { options, ref, label } of rules) {
      const scopes: Array<{ attachTo: readonly string[]; accounts?: ReadonlySet<string> }> =
        byTarget && control.byTarget?.(options as ControlOptions<ControlId> as never)
          ? options.attachTo.map((target) => ({ attachTo: [target], accounts: tree.accountsUnder(target) }))
          : [{ attachTo: options.attachTo }];
      for (const { attachTo, accounts } of scopes) {
        const statements = control.statements(options as ControlOptions<ControlId> as never, accounts ? { ...context, accounts } : context);
        if (accounts && statements.length === 0) continue;
        // The schema gives `exempt` only to controls that allow an exemption.
        const exempted = options.exempt === true;
        built.push({
          id: control.id,
          ref,
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

/** Whether the config asks for any control per target (`byTarget`), so today's layout differs from the whole-control one. */
export function anyControlByTarget(config: BaselineConfig): boolean {
  return SCP_CONTROLS.some((control) => {
    const options = config.controls[control.id] as CommonOptions | readonly CommonOptions[] | undefined;
    const rules = options === undefined ? [] : isRuleList(options) ? options : [options];
    return rules.some((rule) => control.byTarget?.(rule as ControlOptions<ControlId> as never) === true);
  });
}

/** What every control's options have, whatever else they carry. */
interface CommonOptions {
  readonly attachTo: readonly string[];
  readonly exempt?: boolean;
  /** A rule of a list control may be named (config/validate.ts checks that the names are unique). */
  readonly name?: string;
}

function isRuleList<T>(value: T | readonly T[]): value is readonly T[] {
  return Array.isArray(value);
}
