/**
 * ARNs the config implies, in one place: the validator checks allow-lists against them, the SCPs
 * name them, and the role stacks create exactly these roles. Nothing else spells a team role ARN.
 */

/** `aws`, `aws-cn` or `aws-us-gov`: the partition a region belongs to. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/**
 * The role this baseline creates for a team in one account. Team roles sit at the root path (`/`):
 * the allow-lists and tamper protection name `role/<roleName>`, and a role with a path would not
 * match them.
 */
export function teamRoleArn(partition: string, roleName: string, account: string): string {
  return `arn:${partition}:iam::${account}:role/${roleName}`;
}

/**
 * The tag every team role carries, set by its role stack: tamper protection guards every role that
 * has it with one statement, however many teams there are, and nobody but the exemptions may
 * create a role with it, add it or remove it. Team roles stay at the root path, so the
 * allow-lists' name patterns (`role/payments-ai-*`) admit them.
 */
export const TEAM_ROLE_TAG = { key: "claude-platform-baseline:role", value: "team" } as const;

/** The IAM path of every managed policy the baseline creates (the team roles' boundaries): tamper protection guards it whole. */
export const BASELINE_POLICY_PATH = "/claude-platform-baseline/";

/** A managed policy the baseline creates, by name. */
export function baselinePolicyArn(partition: string, account: string, name: string): string {
  return `arn:${partition}:iam::${account}:policy${BASELINE_POLICY_PATH}${name}`;
}
