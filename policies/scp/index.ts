/**
 * The SCP controls, in the order they are packed and documented, and the step that turns the
 * config's `controls` section into each control's statements.
 */
import type { BaselineConfig, ControlId } from "../../config/schema";
import type { Catalog } from "../catalog";
import { withConditions, type Statement } from "../document";
import { SynthesisError } from "../errors";
import { partitionOf, type ControlContext, type ControlOptions, type ScpControl } from "./control";
import { denyLongTermBearerTokens } from "./deny-long-term-bearer-tokens";
import { denyServiceSpecificCredentials } from "./deny-service-specific-credentials";
import { denyShadowApiKeyUsers } from "./deny-shadow-api-key-users";
import { limitServiceCredentialAge } from "./limit-service-credential-age";

/** Every implemented control, in packing and documentation order. */
export const SCP_CONTROLS: readonly ScpControl[] = [
  denyServiceSpecificCredentials,
  denyShadowApiKeyUsers,
  denyLongTermBearerTokens,
  limitServiceCredentialAge,
] as readonly ScpControl<ControlId>[] as readonly ScpControl[];

export interface BuiltControl {
  readonly id: ControlId;
  readonly title: string;
  readonly attachTo: readonly string[];
  readonly statements: readonly Statement[];
}

/** The principals `exempt: true` exempts: the configured list, or the deployment role in every account. */
export function exemptPrincipals(config: BaselineConfig): string[] {
  return config.exemptions ?? [`arn:${partitionOf(config.deployment.homeRegion)}:iam::*:role/${config.deployment.roleName}`];
}

/** The statements of every control the config turns on, exemptions applied. */
export function buildControls(config: BaselineConfig, catalog: Catalog): BuiltControl[] {
  const known = new Set(SCP_CONTROLS.map((c) => c.id));
  const unimplemented = Object.keys(config.controls).filter((id) => !known.has(id as ControlId));
  if (unimplemented.length > 0) {
    throw new SynthesisError(
      unimplemented.map((id) => `controls.${id}: this version of the baseline does not build this control yet; remove it from the config`),
    );
  }
  const context: ControlContext = { config, catalog, partition: partitionOf(config.deployment.homeRegion) };
  const exempt = exemptPrincipals(config);
  const built: BuiltControl[] = [];
  for (const control of SCP_CONTROLS) {
    const options = config.controls[control.id] as ControlOptions<ControlId> | undefined;
    if (!options) continue;
    const statements = (control as ScpControl<ControlId>).statements(options as never, context);
    const exempted = control.exemptable && "exempt" in options && options.exempt;
    built.push({
      id: control.id,
      title: control.title,
      attachTo: options.attachTo,
      statements: exempted ? statements.map((s) => withConditions(s, { ArnNotLike: { "aws:PrincipalArn": exempt } })) : statements,
    });
  }
  return built;
}
