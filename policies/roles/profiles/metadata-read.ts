import { claude, type AccessProfile } from "../profile";

export const metadataRead: AccessProfile = {
  id: "metadata-read",
  title: "Metadata read",
  summary:
    "See what exists: every list in the team's workspaces (protected ones included, where their allow-list admits the team), the workspace, model, agent, environment and webhook details, the workspace tags, and the account's workspace list.",
  omits:
    "Every get that returns content or secrets: `GetFile` (file bytes), `GetSkill` (skill content), `GetSession` (conversations), `GetMemoryStore` (memories), `GetBatchInference` (batch results), `GetUserProfile` (a person's profile), `GetVault` (stored credentials). The first six are `content-read`; `GetVault` is in no profile. Every write.",
  nearestManagedPolicy: {
    name: "AnthropicReadOnlyAccess",
    difference:
      "The managed policy grants `Get*` / `List*`, so its \"read-only\" holder downloads files, skill content, sessions, memories, batch results and vault credentials, and it grants `CallWithBearerToken` (API keys). This profile enumerates the lists and the gets that return configuration only, and no API key.",
  },
  capabilities: [
    {
      sid: "MetadataLists",
      does: "list every kind of resource in the workspace and the workspace's tags",
      actions: claude(
        "ListAgents",
        "ListBatchInferences",
        "ListEnvironments",
        "ListFiles",
        "ListMemoryStores",
        "ListModels",
        "ListSessions",
        "ListSkills",
        "ListUserProfiles",
        "ListVaults",
        "ListWebhooks",
        "ListTagsForResource",
      ),
    },
    {
      sid: "MetadataDetails",
      does: "read the configuration of the workspace, models, agents, environments and webhooks",
      actions: claude("GetWorkspace", "GetModel", "GetAgent", "GetEnvironment", "GetWebhook"),
    },
    { sid: "MetadataWorkspaceList", does: "list the account's workspaces (the action takes no workspace)", actions: claude("ListWorkspaces") },
  ],
};
