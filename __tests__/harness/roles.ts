/**
 * Reads the team roles out of a synthesized `roles-<account>` stack: each role's trust policy, its
 * inline access policy and its permissions boundary, parsed from the exact strings Terraform
 * sends, with the boundary found by the ARN the role names (so a role wired to the wrong policy
 * shows up as a missing boundary, not as a passing test).
 */
import type { TerraformJson } from "./synth";

export interface PolicyJson {
  Version: string;
  Statement: Array<Record<string, unknown> & { Sid: string }>;
}

export interface TeamRoleView {
  readonly account: string;
  readonly roleArn: string;
  readonly role: Record<string, unknown>;
  readonly trust: PolicyJson;
  readonly access: PolicyJson;
  readonly boundary: PolicyJson;
  /** The role's policies as the simulator takes them. */
  readonly identityPolicies: Array<{ name: string; policy: unknown }>;
  readonly permissionsBoundary: { name: string; policy: unknown };
}

function literalPolicy(value: unknown, what: string): PolicyJson {
  if (typeof value !== "string" || value.includes("${")) throw new Error(`${what} is not a literal policy string: ${String(value)}`);
  return JSON.parse(value) as PolicyJson;
}

/** The stack's account: the one its provider is allowed to act in. */
export function stackAccount(stack: TerraformJson): string {
  const ids = stack.provider?.aws?.[0]?.allowed_account_ids as string[] | undefined;
  if (!ids || ids.length !== 1) throw new Error("the stack's AWS provider does not name exactly one allowed account");
  return ids[0];
}

/** The role whose IAM name is `roleName` in this stack, with its documents. */
export function teamRole(stack: TerraformJson, roleName: string): TeamRoleView {
  const account = stackAccount(stack);
  const roles = Object.entries(stack.resource?.aws_iam_role ?? {}).filter(([, r]) => r.name === roleName);
  if (roles.length !== 1) throw new Error(`expected one aws_iam_role named ${roleName}, found ${roles.length}`);
  const [address, role] = roles[0];
  const inline = Object.values(stack.resource?.aws_iam_role_policy ?? {}).filter((p) => p.role === `\${aws_iam_role.${address}.name}`);
  if (inline.length !== 1) throw new Error(`expected one inline policy on aws_iam_role.${address}, found ${inline.length}`);
  const boundaryArn = String(role.permissions_boundary);
  const boundaries = Object.values(stack.resource?.aws_iam_policy ?? {}).filter((p) => `arn:aws:iam::${account}:policy${p.path}${p.name}` === boundaryArn);
  if (boundaries.length !== 1) throw new Error(`the boundary ${boundaryArn} of aws_iam_role.${address} is not a policy of this stack`);
  const trust = literalPolicy(role.assume_role_policy, `aws_iam_role.${address}.assume_role_policy`);
  const access = literalPolicy(inline[0].policy, `the inline policy of aws_iam_role.${address}`);
  const boundary = literalPolicy(boundaries[0].policy, `the boundary of aws_iam_role.${address}`);
  return {
    account,
    roleArn: `arn:aws:iam::${account}:role${role.path ?? "/"}${roleName}`,
    role,
    trust,
    access,
    boundary,
    identityPolicies: [{ name: String(inline[0].name), policy: access }],
    permissionsBoundary: { name: String(boundaries[0].name), policy: boundary },
  };
}
