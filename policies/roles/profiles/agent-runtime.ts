import { claude, type AccessProfile } from "../profile";

export const agentRuntime: AccessProfile = {
  id: "agent-runtime",
  title: "Self-hosted agent runtime",
  summary: "Run a self-hosted Managed Agents environment worker: take work items, read the environment, the session and its skills, and append session events.",
  omits:
    "Creating or changing agents, environments or skills (`agent-development`), files, memory stores, vaults, inference, and API keys: a worker that authenticates with an API key needs `apiKeys: short-term` on its team.",
  nearestManagedPolicy: {
    name: "AnthropicSelfHostedEnvironmentAccess",
    difference:
      "Same five actions, on the team's workspaces instead of every workspace, and without `CallWithBearerToken` on `*` (which admits long-term keys); unlike the managed policy, it carries the STS statements every Claude Platform call needs.",
  },
  capabilities: [
    { sid: "RuntimeWork", does: "take and process the environment's work items", actions: claude("ProcessEnvironmentWork", "GetEnvironment") },
    { sid: "RuntimeSessions", does: "read a session and append its events", actions: claude("GetSession", "UpdateSession") },
    { sid: "RuntimeSkills", does: "load the skills a session uses", actions: claude("GetSkill") },
  ],
};
