/**
 * A `roles-<account name>` stack: the team roles of one account, each with its inline access
 * policy, its permissions boundary (a managed policy under the baseline's path) and its trust
 * policy. Every document arrives planned and checked (policies/roles) as a literal string; the
 * boundary ARN is written out rather than referenced, so the role reads in the plan exactly as
 * IAM will hold it. Two "exclusive" resources make the role's policies exactly these: anything
 * attached out of band is drift. Resource addresses follow the team's name, not its place in the
 * config.
 */
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePoliciesExclusive } from "@cdktf/provider-aws/lib/iam-role-policies-exclusive";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachmentsExclusive } from "@cdktf/provider-aws/lib/iam-role-policy-attachments-exclusive";
import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { BaselineConfig } from "../config/schema";
import { compareStrings } from "../policies/document";
import type { RoleStackPlan } from "../policies/roles";
import { configureStack, snakeCase } from "./common";

/** The name of the role's one inline policy. */
export const ACCESS_POLICY_NAME = "claude-platform-access";

export class RolesStack extends TerraformStack {
  constructor(scope: Construct, config: BaselineConfig, plan: RoleStackPlan) {
    super(scope, plan.name);
    configureStack(this, config, { name: plan.name, account: plan.account, region: config.deployment.homeRegion });
    for (const role of plan.roles) {
      const id = `team-${role.team}`;
      const boundary = new IamPolicy(this, `${id}-boundary`, {
        name: role.boundaryName,
        path: role.boundaryPath,
        description: `Permissions boundary of the Claude Platform role of team ${role.team}: the most it may ever do`,
        policy: role.policies.boundary,
      });
      const created = new IamRole(this, id, {
        name: role.roleName,
        path: "/",
        description: role.description,
        assumeRolePolicy: role.policies.trust,
        maxSessionDuration: role.maxSessionSeconds,
        permissionsBoundary: role.boundaryArn,
        tags: { ...role.tags },
        dependsOn: [boundary],
      });
      const access = new IamRolePolicy(this, `${id}-access`, { role: created.name, name: ACCESS_POLICY_NAME, policy: role.policies.access });
      // The role holds exactly what the baseline gives it: an inline policy or a managed-policy
      // attachment added out of band shows as drift in the next plan, and apply removes it.
      new IamRolePoliciesExclusive(this, `${id}-inline-only`, { roleName: created.name, policyNames: [ACCESS_POLICY_NAME], dependsOn: [access] });
      new IamRolePolicyAttachmentsExclusive(this, `${id}-no-attachments`, { roleName: created.name, policyArns: [] });
      new TerraformOutput(this, `team_role_arn_${snakeCase(role.team)}`, {
        value: role.roleArn,
        description: `ARN of ${role.roleName}, the Claude Platform role of team ${role.team} in account ${plan.account}`,
      });
    }
    const arns = plan.roles.map((r) => [r.team, r.roleArn] as const).sort(([a], [b]) => compareStrings(a, b));
    new TerraformOutput(this, "team_role_arns", {
      value: Object.fromEntries(arns),
      description: `ARN of each team's Claude Platform role in account ${plan.account}, by team name`,
    });
  }
}
