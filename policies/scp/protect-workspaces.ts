import { teamRoleArn } from "../../config/arns";
import type { Statement } from "../document";
import { workspaceArnPatterns, workspaceSidSuffix } from "../names";
import { CLAUDE_SERVICE } from "../catalog";
import { lookalikeGuard, pickActions, roleGuard, type ScpControl } from "./control";

/**
 * One statement per protected workspace: every Claude Platform action on the workspace's ARN is
 * denied unless `aws:PrincipalArn` matches the allow-list (listed patterns, the allowed teams'
 * roles in the workspace's account, the break-glass role). `aws:PrincipalArn` is the role ARN for
 * role sessions and the user ARN for IAM users, so a long-term-key user is held to the same
 * list. The region and account of the ARN are wildcards: a wrong region in the config must not
 * turn the deny off. Three more statements keep the allow-list honest: a pattern with a wildcard
 * in the name also admits roles whose path merely starts with that text (`role/payments-ai-x/any`),
 * so those look-alikes are denied; only the exemptions (the deployment role) may create, re-trust,
 * empower or pass a role the allow-list admits; and the workspace keys (key actions take only
 * `*`, so they reach every workspace of the account) may be changed only by the exemptions and
 * the configured key administrators. Built per target: a target carries only the workspaces of
 * its own accounts (a principal of another account cannot reach them: the service has no resource
 * policies), so ten protected workspaces spread over the OUs they live in instead of one document.
 */
export const protectWorkspaces: ScpControl<"protectWorkspaces"> = {
  id: "protectWorkspaces",
  title: "Protected-workspace allow-list",
  summary: "Every Claude Platform action on a protected workspace, for any principal outside that workspace's allow-list — administrators included.",
  risk: "A stolen administrator credential, or any identity with broad `aws-external-anthropic:*`, could rewrite a production workspace's skills, environments or agents (a supply-chain foothold inside the agents) or read its sessions and files.",
  leavesAlone:
    "The allow-listed principals of each workspace, other workspaces, and the actions that take no workspace other than the key actions (they cannot be scoped to one workspace: in an account with a protected workspace only the exempt principals and `keyAdmins` may register, update or disable keys). Console sessions (`AssumeConsole`) are governed by limitConsoleFederation: whether the console checks workspace permissions is not documented. The service has no resource policies, so a role of another account (the break-glass role in the management account, say) never acts on the workspace directly: to let break-glass in, list the role it assumes in the workspace's account in `allowedPrincipals`. With `exempt: true`, the exempt principals too.",
  // Per target only when asked: whole, every target denies every protected workspace, whatever
  // account the config says it is in or where an account has been moved since.
  byTarget: (options) => options.splitByTarget,
  statements(options, context): Statement[] {
    const { config, partition, catalog, exemptions } = context;
    const accounts = new Set<string>();
    const perWorkspace = config.workspaces.flatMap((workspace) => {
      const protection = workspace.protection;
      if (!protection || (context.accounts && !context.accounts.has(workspace.account))) return [];
      accounts.add(workspace.account);
      const teamRoles = protection.allowedTeams.map((name) => teamRoleArn(partition, config.teams.find((t) => t.name === name)!.roleName, workspace.account));
      const admitted = [...protection.allowedPrincipals, ...teamRoles, ...(protection.allowBreakGlass ? [config.deployment.breakGlassRoleArn] : [])];
      const sid = `ProtectWorkspace${workspaceSidSuffix(workspace.id)}`;
      // The whole service: a new workspace action is covered the day AWS adds it.
      const scope = { Action: [`${CLAUDE_SERVICE}:*`], Resource: workspaceArnPatterns(partition, workspace.id) };
      return [
        { Sid: sid, Effect: "Deny" as const, ...scope, Condition: { ArnNotLike: { "aws:PrincipalArn": admitted } } },
        ...lookalikeGuard(`${sid}Lookalikes`, scope, admitted),
        ...roleGuard(`${sid}Roles`, admitted, context),
      ];
    });
    if (accounts.size === 0) return perWorkspace;
    // A key serves every workspace of its account, so its managers are the account's, not one workspace's.
    const keyManagers = [...exemptions, ...options.keyAdmins];
    const keys = {
      Action: pickActions(catalog, [`${CLAUDE_SERVICE}:RegisterKey`, `${CLAUDE_SERVICE}:UpdateKey`, `${CLAUDE_SERVICE}:DisableKey`]),
      Resource: ["*"],
      Condition: { StringEquals: { "aws:PrincipalAccount": [...accounts] } },
    };
    return [
      ...perWorkspace,
      { Sid: "ProtectWorkspaceKeys", Effect: "Deny", ...keys, Condition: { ...keys.Condition, ArnNotLike: { "aws:PrincipalArn": keyManagers } } },
      ...lookalikeGuard("ProtectWorkspaceKeysLookalikes", keys, keyManagers),
      ...roleGuard("ProtectWorkspaceKeyAdminRoles", options.keyAdmins, context),
    ];
  },
};
