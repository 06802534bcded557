import { claude, type AccessProfile } from "../profile";

export const metadataRead: AccessProfile = {
  id: "metadata-read",
  title: "Metadata read",
  summary:
    "See what exists: every list in the team's workspaces (protected ones included, where their allow-list admits the team), the workspace, model and environment details, the workspace tags, and the account's workspace list.",
  omits:
    "Every get that returns content or secrets: `GetFile` (file bytes), `GetSkill` (skill content), `GetSession` (conversations), `GetMemoryStore` (memories), `GetBatchInference` (batch results), `GetAgent` (an agent's prompts and versions), `GetUserProfile` (a person's profile), `GetWebhook` (a webhook's target, and possibly its signing secret: AWS does not say), `GetVault` (stored credentials). `GetWebhook` is `workspace-admin`'s, `GetVault` is in no profile, the rest are `content-read`. Every write.",
  nearestManagedPolicy: {
    name: "AnthropicReadOnlyAccess",
    difference:
      'The managed policy grants `Get*` / `List*`, so its "read-only" holder downloads files, skill content, sessions, memories, batch results and vault credentials, and it grants `CallWithBearerToken` (API keys). This profile enumerates the lists and the gets that return configuration only, and no API key.',
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
      does: "read the configuration of the workspace, its models and its agent environments",
      actions: claude("GetWorkspace", "GetModel", "GetEnvironment"),
    },
    { sid: "MetadataWorkspaceList", does: "list the account's workspaces (the action takes no workspace)", actions: claude("ListWorkspaces") },
  ],
};
