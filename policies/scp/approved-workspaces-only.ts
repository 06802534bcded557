import type { Statement } from "../document";
import { workspaceArnPatterns } from "../names";
import { pickActions, type ScpControl } from "./control";
import { CLAUDE_SERVICE, type Catalog } from "../catalog";

/** The service's actions that act on a workspace, from the reference data. */
export function workspaceScopedActions(catalog: Catalog): string[] {
  return catalog
    .actionsOf(CLAUDE_SERVICE)
    .filter((a) => a.resourceTypes.includes("workspace"))
    .map((a) => a.name);
}

/**
 * Denies the workspace-scoped actions (listed from the reference data) on every workspace but
 * the approved ones. A `NotResource` over `aws-external-anthropic:*` would also deny the actions
 * that take only `*` (bearer-token calls, console sign-in, ListWorkspaces, the key actions),
 * because `*` is not an approved workspace; listing the workspace-scoped actions avoids that.
 */
export const approvedWorkspacesOnly: ScpControl<"approvedWorkspacesOnly"> = {
  id: "approvedWorkspacesOnly",
  title: "Approved workspaces only",
  summary: "Every workspace-scoped action on a workspace that is not approved for the OU or account; optionally CreateWorkspace.",
  risk: "Teams in a sandbox or a regulated OU could create or use workspaces no one reviewed, outside the data-handling and cost controls set for the approved ones.",
  leavesAlone:
    "The approved workspaces, and every action that takes no workspace (CallWithBearerToken, AssumeConsole, ListWorkspaces, GetAccountStatus, the key actions; CreateWorkspace unless `denyCreateWorkspace`). Workspace actions AWS adds later are covered once the pinned reference data lists them.",
  statements(options, { catalog, partition }): Statement[] {
    const statements: Statement[] = [
      {
        Sid: "DenyUnapprovedWorkspaces",
        Effect: "Deny",
        Action: workspaceScopedActions(catalog),
        NotResource: options.workspaces.flatMap((id) => workspaceArnPatterns(partition, id)),
      },
    ];
    if (options.denyCreateWorkspace) {
      statements.push({ Sid: "DenyCreateWorkspace", Effect: "Deny", Action: pickActions(catalog, [`${CLAUDE_SERVICE}:CreateWorkspace`]), Resource: ["*"] });
    }
    return statements;
  },
};
