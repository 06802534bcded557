/**
 * Points a synthesized stack's AWS provider at a read-only plan role, for pull-request plans.
 *
 *   node dist/scripts/pr-plan-role.js <stack dir> <role name>
 *
 * Each stack's provider assumes the deployment role of its account (stacks/common.ts). A pull
 * request's plan must not run as that role: the GitHub OIDC identity of a pull request is open to
 * the workflow of every pushed branch, so whatever it may assume, anyone who can push may use, and
 * IAM cannot make a role "read-only" for one caller (a session policy is the caller's choice). This
 * writes a Terraform override file beside cdk.tf.json that swaps the role for `<role name>` in the
 * same account and leaves the synthesized stack as it is.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";

/** Terraform merges `*_override.tf.json` into the configuration: its nested `assume_role` replaces the stack's. */
export const OVERRIDE_FILE = "pr_plan_override.tf.json";

/** IAM's role-name characters; the name is joined into an ARN, so nothing else gets through. */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const ROLE_ARN = /^arn:([a-z-]+):iam::(\d{12}):role\//;
/** STS caps a session name at 64 characters. */
const SESSION_NAME_LIMIT = 64;

interface ProviderOverride {
  readonly alias?: string;
  readonly assume_role: Array<{ readonly role_arn: string; readonly session_name: string }>;
}

export interface PlanRoleOverride {
  readonly provider: { readonly aws: ProviderOverride[] };
}

/** The override that makes every `aws` provider of `stack` assume `roleName` in its own account. */
export function planRoleOverride(stack: unknown, roleName: string): PlanRoleOverride {
  if (!ROLE_NAME.test(roleName)) throw new Error(`"${roleName}" is not an IAM role name`);
  const providers = isObject(stack) && isObject(stack.provider) && Array.isArray(stack.provider.aws) ? stack.provider.aws.filter(isObject) : [];
  if (providers.length === 0) throw new Error("the stack has no aws provider");
  return { provider: { aws: providers.map((provider) => planRoleProvider(provider, roleName)) } };
}

function planRoleProvider(provider: Record<string, unknown>, roleName: string): ProviderOverride {
  const [current] = Array.isArray(provider.assume_role) ? provider.assume_role.filter(isObject) : [];
  const currentArn = typeof current?.role_arn === "string" ? ROLE_ARN.exec(current.role_arn) : null;
  const account = providerAccount(provider, currentArn?.[2]);
  const partition = currentArn?.[1] ?? "aws";
  const sessionName = `pr-plan-${typeof current?.session_name === "string" ? current.session_name : "claude-platform-baseline"}`.slice(0, SESSION_NAME_LIMIT);
  return {
    // Terraform pairs override and original provider blocks by alias.
    ...(typeof provider.alias === "string" ? { alias: provider.alias } : {}),
    assume_role: [{ role_arn: `arn:${partition}:iam::${account}:role/${roleName}`, session_name: sessionName }],
  };
}

/** The provider's one allowed account; else the account of the role it assumes. */
function providerAccount(provider: Record<string, unknown>, roleAccount: string | undefined): string {
  const allowed = Array.isArray(provider.allowed_account_ids) ? provider.allowed_account_ids : [];
  if (allowed.length === 1 && typeof allowed[0] === "string" && /^\d{12}$/.test(allowed[0])) return allowed[0];
  if (allowed.length === 0 && roleAccount) return roleAccount;
  throw new Error("cannot tell the provider's account: it needs exactly one allowed_account_ids entry or an assumed role");
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Writes the override into `stackDir` and returns the role ARNs it points at. */
export function writePlanRoleOverride(stackDir: string, roleName: string): string {
  const override = planRoleOverride(JSON.parse(readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8")), roleName);
  writeFileSync(path.join(stackDir, OVERRIDE_FILE), `${JSON.stringify(override, null, 2)}\n`);
  return override.provider.aws.map((p) => p.assume_role[0].role_arn).join(", ");
}

if (require.main === module) {
  try {
    const [stackDir, roleName, ...rest] = process.argv.slice(2);
    if (!stackDir || !roleName || rest.length > 0) throw new Error("usage: pr-plan-role <stack dir> <role name>");
    process.stdout.write(`${path.basename(stackDir)}: plans as ${writePlanRoleOverride(stackDir, roleName)}\n`);
  } catch (error) {
    console.error(`pr-plan-role: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
