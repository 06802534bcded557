import { teamRoleArn } from "../../config/validate";
import type { Statement } from "../document";
import { workspaceArnPattern, workspaceSidSuffix } from "../names";
import { CLAUDE_SERVICE } from "../catalog";
import { lookalikeGuard, type ScpControl } from "./control";

/**
 * One statement per protected workspace: every Claude Platform action on the workspace's ARN is
 * denied unless `aws:PrincipalArn` matches the allow-list (listed patterns, the allowed teams'
 * roles in the workspace's account, the break-glass role). `aws:PrincipalArn` is the role ARN for
 * role sessions and the user ARN for IAM users, so a long-term-key user is held to the same
 * list. A pattern with a wildcard in the name would also admit roles whose path merely starts
 * with that text (`role/payments-ai-x/anyname`); a second statement denies those look-alikes. The region and account of the ARN are wildcards: a wrong region in the config must not
 * turn the deny off.
 */
export const protectWorkspaces: ScpControl<"protectWorkspaces"> = {
  id: "protectWorkspaces",
  title: "Protected-workspace allow-list",
  summary: "Every Claude Platform action on a protected workspace, for any principal outside that workspace's allow-list — administrators included.",
  risk: "A stolen administrator credential, or any identity with broad `aws-external-anthropic:*`, could rewrite a production workspace's skills, environments or agents (a supply-chain foothold inside the agents) or read its sessions and files.",
  leavesAlone:
    "The allow-listed principals of each workspace, other workspaces, and the actions that take no workspace (they cannot be scoped to one). With `exempt: true`, the exempt principals too.",
  exemptable: true,
  statements(_options, { config, partition }): Statement[] {
    const breakGlass = [config.deployment.breakGlassRoleArn];
    return config.workspaces.flatMap((workspace) => {
      const protection = workspace.protection;
      if (!protection) return [];
      const teamRoles = protection.allowedTeams.map((name) => teamRoleArn(config.teams.find((t) => t.name === name)!.roleName, workspace.account));
      const admitted = [...protection.allowedPrincipals, ...teamRoles, ...(protection.allowBreakGlass ? breakGlass : [])];
      const sid = `ProtectWorkspace${workspaceSidSuffix(workspace.id)}`;
      // The whole service: a new workspace action is covered the day AWS adds it.
      const scope = { Action: [`${CLAUDE_SERVICE}:*`], Resource: [workspaceArnPattern(partition, workspace.id)] };
      return [
        { Sid: sid, Effect: "Deny" as const, ...scope, Condition: { ArnNotLike: { "aws:PrincipalArn": admitted } } },
        ...lookalikeGuard(`${sid}Lookalikes`, scope, admitted),
      ];
    });
  },
};
