/**
 * Reads what the baseline synthesized, exactly as Terraform will send it: the SCPs and their
 * attachments of the `organization` stack as the chain AWS evaluates for each account, and each
 * team role of a `roles-<account>` stack with its trust policy, inline access policy and
 * permissions boundary. Used by the intent tests and by `access-diff`, so both read the output
 * the same way.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { appendTo } from "../config/collections";
import type { BaselineConfig } from "../config/schema";
import { coverage } from "../config/coverage";

export type TerraformJson = {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  provider?: Record<string, Record<string, unknown>[]>;
  terraform?: Record<string, unknown>;
  output?: Record<string, unknown>;
};

export interface PolicyJson {
  Version: string;
  Statement: Array<Record<string, unknown> & { Sid: string }>;
}

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

/** Every stack under `<outdir>/stacks`, parsed, by stack name. */
export function readStacks(outdir: string): Map<string, TerraformJson> {
  const dir = path.join(outdir, "stacks");
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return new Map(names.map((name) => [name, JSON.parse(readFileSync(path.join(dir, name, "cdk.tf.json"), "utf8")) as TerraformJson]));
}

/**
 * Target id → the SCP documents the stack attaches there (parsed from the stack's own JSON),
 * each passed through `transform` (the mutation run's hook).
 */
export function scpsByTarget(stack: TerraformJson, transform: (document: PolicyJson) => PolicyJson = (d) => d): Map<string, OrgPolicy[]> {
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
    const document = transform(JSON.parse(String(policy.content)) as PolicyJson);
    appendTo(byTarget, target, { name: String(policy.name), policy: document });
  }
  return byTarget;
}

/** Root first, then each OU from the top down, then the account: the order AWS evaluates. */
export function pathToAccount(config: BaselineConfig, account: string): string[] {
  if (!config.organization.accounts.some((a) => a.id === account)) throw new Error(`account ${account} is not in the config`);
  return [...coverage(config).ancestry(account)];
}

/** The account's SCP chain, each level also carrying FullAWSAccess where the config says AWS attached it. */
export function chainFromAttachments(config: BaselineConfig, attached: ReadonlyMap<string, OrgPolicy[]>, account: string): ChainLevel[] {
  return pathToAccount(config, account).map((target) => ({
    orgIdentifier: target,
    policies: [...(config.organization.fullAwsAccessAttached ? [FULL_AWS_ACCESS] : []), ...(attached.get(target) ?? [])],
  }));
}

export interface TeamRoleView {
  readonly account: string;
  readonly roleName: string;
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

/**
 * The role whose IAM name is `roleName` in this stack, with its documents; the boundary is found
 * by the ARN the role names, so a role wired to the wrong policy shows up as a missing boundary.
 */
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
    roleName,
    roleArn: `arn:aws:iam::${account}:role${role.path ?? "/"}${roleName}`,
    role,
    trust,
    access,
    boundary,
    identityPolicies: [{ name: String(inline[0].name), policy: access }],
    permissionsBoundary: { name: String(boundaries[0].name), policy: boundary },
  };
}

/** Every IAM role of a roles stack, by name. */
export function teamRoles(stack: TerraformJson): TeamRoleView[] {
  return Object.values(stack.resource?.aws_iam_role ?? {})
    .map((r) => String(r.name))
    .sort()
    .map((name) => teamRole(stack, name));
}
