/**
 * What an SCP control is: a named set of Deny statements with stable Sids, built from the config
 * and the reference data, attached where the config says.
 */
import type { BaselineConfig, ControlId, ControlsConfig } from "../../config/schema";
import { partitionOf } from "../../config/arns";
import { arnSegments } from "../../config/glob";
import { CLAUDE_SERVICE_PRINCIPAL, type Catalog } from "../catalog";
import type { Statement } from "../document";

export interface ControlContext {
  readonly config: BaselineConfig;
  readonly catalog: Catalog;
  /** `aws`, `aws-cn` or `aws-us-gov`: the partition the organization lives in. */
  readonly partition: string;
  /** The `exemptions` principals: who `exempt: true` exempts, and who alone may manage guarded roles. */
  readonly exemptions: readonly string[];
  /**
   * For a control built per target (`byTarget`), the accounts of the target its statements are
   * for; unset, every account of the organization.
   */
  readonly accounts?: ReadonlySet<string>;
}

/** The principals `exempt: true` exempts: the configured list, or the deployment role in every account. */
export function exemptPrincipals(config: BaselineConfig): string[] {
  return config.exemptions ?? [`arn:${partitionOf(config.deployment.homeRegion)}:iam::*:role/${config.deployment.roleName}`];
}

/** One control's options; for a control configured as a list of rules, one rule's. */
export type ControlOptions<K extends ControlId> = NonNullable<ControlsConfig[K]> extends ReadonlyArray<infer Rule> ? Rule : NonNullable<ControlsConfig[K]>;

export interface ScpControl<K extends ControlId = ControlId> {
  readonly id: K;
  readonly title: string;
  /** What it denies, in a sentence: the README's control table and the docs use it. */
  readonly summary: string;
  /** The risk it answers: why an organization wants it. */
  readonly risk: string;
  /** Who and what it leaves alone, and why. */
  readonly leavesAlone: string;
  statements(options: ControlOptions<K>, context: ControlContext): Statement[];
  /**
   * Sids the `exempt: true` exemption never reaches: what nothing in the pipeline needs, so an
   * exempt principal (a stolen deployment role included) gets no way around it.
   */
  readonly neverExempt?: readonly string[];
  /**
   * Whether these options ask for the control per target: its statements are about particular
   * accounts (what lives in them), so each target can get its own document with only the
   * statements for the accounts the config places under it. A list that grows with the
   * organization is then spread over the targets instead of piling into one document, and adding
   * to one account rewrites only the documents of the targets above it. The price is that the
   * protection follows the config's OU tree, not the organization's: so it is the config's choice.
   */
  readonly byTarget?: (options: ControlOptions<K>) => boolean;
}

/** Canonical action names picked from the reference data; an unknown name is an error here. */
export function pickActions(catalog: Catalog, names: readonly string[]): string[] {
  return names.map((name) => catalog.requireAction(name).name);
}

export { partitionOf };

/** The service name IAM gives Claude Platform's service-specific credentials (its long-term API keys). */
export const CLAUDE_CREDENTIAL_SERVICE_NAME = CLAUDE_SERVICE_PRINCIPAL;

/**
 * `aws:PrincipalArn` patterns with a wildcard in the role or user name also match a principal
 * whose *path* starts with the same text: `role/payments-ai-*` admits `role/payments-ai-x/anyname`,
 * a role any administrator can create. Names never contain `/`, so every ARN matching
 * `<pattern>/*` is such a look-alike; this returns those patterns (empty when no name has a wildcard).
 */
export function pathLookalikes(patterns: readonly string[]): string[] {
  return patterns.filter((p) => /[*?]/.test(arnSegments(p)?.[5] ?? "")).map((p) => `${p}/*`);
}

/** A Deny of the same actions on the same resources for the path look-alikes of an allow-list, or nothing. */
export function lookalikeGuard(
  sid: string,
  base: Pick<Statement, "Action" | "Resource" | "NotResource" | "Condition">,
  allowList: readonly string[],
): Statement[] {
  const lookalikes = pathLookalikes(allowList);
  if (lookalikes.length === 0) return [];
  return [{ Sid: sid, Effect: "Deny", ...base, Condition: { ...base.Condition, ArnLike: { "aws:PrincipalArn": lookalikes } } }];
}

/**
 * The ways to make a role one's own or give it more power: create it, re-trust it, widen its
 * policies or boundary, or pass it to compute (Lambda, ECS, EC2, CodeBuild, CloudFormation, …)
 * whose code then acts as the role.
 */
const ROLE_TAKEOVER_ACTIONS = [
  "iam:CreateRole",
  "iam:PassRole",
  "iam:UpdateAssumeRolePolicy",
  "iam:AttachRolePolicy",
  "iam:PutRolePolicy",
  "iam:PutRolePermissionsBoundary",
  "iam:DeleteRolePermissionsBoundary",
];

/** Takeover plus every other change: what tamper protection denies on the roles the baseline relies on. */
export const ROLE_CHANGE_ACTIONS = [
  ...ROLE_TAKEOVER_ACTIONS,
  "iam:DeleteRole",
  "iam:UpdateRole",
  "iam:UpdateRoleDescription",
  "iam:DetachRolePolicy",
  "iam:DeleteRolePolicy",
  "iam:TagRole",
  "iam:UntagRole",
];

/** The role ARN patterns among `principals` (user patterns left out). */
export function roleArns(principals: readonly string[]): string[] {
  return principals.filter((p) => arnSegments(p)?.[5].startsWith("role/"));
}

/**
 * An allow-list is only as strong as the roles it names: whoever can create a role matching a
 * pattern (`role/payments-ai-x` for `role/payments-ai-*`), or re-trust an allowed role, walks in.
 * Denies taking over the roles that match `principals` (their role ARNs; users are left out) to
 * everyone but the exemptions, who create them and deploy what runs as them. `everything` also denies deleting and every
 * other change (tamper protection).
 */
export function roleGuard(sid: string, principals: readonly string[], context: ControlContext, everything = false): Statement[] {
  const roles = roleArns(principals);
  if (roles.length === 0) return [];
  return [
    {
      Sid: sid,
      Effect: "Deny",
      Action: pickActions(context.catalog, everything ? ROLE_CHANGE_ACTIONS : ROLE_TAKEOVER_ACTIONS),
      Resource: roles,
      Condition: { ArnNotLike: { "aws:PrincipalArn": context.exemptions } },
    },
  ];
}
