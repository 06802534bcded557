import { claude, type AccessProfile } from "../profile";

export const workspaceAdmin: AccessProfile = {
  id: "workspace-admin",
  title: "Workspace administration",
  summary: "Manage the team's workspaces: read and change their settings, tags, webhooks and user profiles (not their enrollment links).",
  omits:
    "`CreateWorkspace` and `ArchiveWorkspace` (creating and retiring workspaces is the platform team's, under `workspaceCreationRules`), the workspace keys (`RegisterKey`, `UpdateKey`, `DisableKey`, `GetKey`, `ListKeys`: they take no workspace, so a grant would reach every workspace of the account), credential vaults, `CreateUserProfileEnrollmentUrl` (an enrollment link may let a person sign in to Claude Platform by a path IAM does not govern; no profile grants it), and all content. `UpdateWorkspace` can change a workspace's encryption key, and tags can change what tag-based policies allow: give this profile to few.",
  nearestManagedPolicy: {
    name: "AnthropicFullAccess",
    difference:
      "The only managed policy with workspace settings is FullAccess (`aws-external-anthropic:*`, Marketplace subscriptions, enabling outbound federation). This profile is the workspace-scoped settings only, on the team's workspaces.",
  },
  capabilities: [
    { sid: "WorkspaceSettings", does: "read and change the workspace's settings", actions: claude("GetWorkspace", "UpdateWorkspace") },
    { sid: "WorkspaceTags", does: "read, add and remove the workspace's tags", actions: claude("ListTagsForResource", "TagResource", "UntagResource") },
    {
      sid: "WorkspaceWebhooks",
      does: "manage webhooks and rotate their secrets",
      actions: claude("CreateWebhook", "GetWebhook", "ListWebhooks", "UpdateWebhook", "DeleteWebhook", "RotateWebhookSecret"),
    },
    {
      sid: "WorkspaceUserProfiles",
      does: "manage user profiles",
      actions: claude("CreateUserProfile", "GetUserProfile", "ListUserProfiles", "UpdateUserProfile"),
    },
  ],
};
