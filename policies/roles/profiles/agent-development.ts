import { claude, type AccessProfile } from "../profile";

export const agentDevelopment: AccessProfile = {
  id: "agent-development",
  title: "Managed Agents development",
  summary: "Build and run Managed Agents: create, read, change, archive and delete agents, sessions, environments, skills, files and memory stores.",
  omits:
    "Workspace settings, tags, webhooks and user profiles (`workspace-admin`), `CreateWorkspace` and the workspace keys (the platform team's), credential vaults (`*Vault`: they hold third-party secrets and `GetVault` returns them; no profile grants them), the self-hosted worker action `ProcessEnvironmentWork` (`agent-runtime`), and inference itself (`inference`).",
  nearestManagedPolicy: {
    name: "AnthropicLimitedAccess",
    difference:
      "The managed policy also grants `Get*` / `List*` on every workspace, vaults, webhooks, user profiles, batch, `ProcessEnvironmentWork`, `CallWithBearerToken` (long-term keys included) and `AssumeConsole` as developer. This profile is the agent-building resources only, on the team's workspaces; the console and API keys are separate, explicit team settings.",
  },
  capabilities: [
    { sid: "AgentDevAgents", does: "manage agents", actions: claude("CreateAgent", "GetAgent", "ListAgents", "UpdateAgent", "ArchiveAgent") },
    {
      sid: "AgentDevSessions",
      does: "run and manage agent sessions, their events and history",
      actions: claude("CreateSession", "GetSession", "ListSessions", "UpdateSession", "ArchiveSession", "DeleteSession"),
    },
    {
      sid: "AgentDevEnvironments",
      does: "manage agent environments",
      actions: claude("CreateEnvironment", "GetEnvironment", "ListEnvironments", "UpdateEnvironment", "ArchiveEnvironment", "DeleteEnvironment"),
    },
    { sid: "AgentDevSkills", does: "manage skills and their versions", actions: claude("CreateSkill", "GetSkill", "ListSkills", "UpdateSkill", "DeleteSkill") },
    { sid: "AgentDevFiles", does: "upload, download, list and delete files", actions: claude("CreateFile", "GetFile", "ListFiles", "DeleteFile") },
    {
      sid: "AgentDevMemoryStores",
      does: "manage memory stores and their memories",
      actions: claude("CreateMemoryStore", "GetMemoryStore", "ListMemoryStores", "UpdateMemoryStore", "ArchiveMemoryStore", "DeleteMemoryStore"),
    },
  ],
};
