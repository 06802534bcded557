import { claude, type AccessProfile } from "../profile";

export const contentRead: AccessProfile = {
  id: "content-read",
  title: "Content read (investigators)",
  summary:
    "Read what people and agents put into the workspace: file bytes, skill content, agent prompts, session history, memories, batch results and user profiles. Give it explicitly, to investigators, with `metadata-read` to find things.",
  omits: "Lists (`metadata-read`), `GetVault` (stored credentials: no profile grants it), and every write, so an investigator cannot change the evidence.",
  nearestManagedPolicy: {
    name: "AnthropicReadOnlyAccess",
    difference:
      "The managed policy reads everything through `Get*` (vault credentials included) and allows API keys; this profile names the seven content gets, on the team's workspaces only.",
  },
  capabilities: [
    { sid: "ContentFiles", does: "download file bytes", actions: claude("GetFile") },
    { sid: "ContentSkills", does: "read skill content and versions", actions: claude("GetSkill") },
    { sid: "ContentAgents", does: "read agent definitions, their prompts and versions", actions: claude("GetAgent") },
    { sid: "ContentSessions", does: "read session history and events", actions: claude("GetSession") },
    { sid: "ContentMemoryStores", does: "read memories and their versions", actions: claude("GetMemoryStore") },
    { sid: "ContentBatchResults", does: "read batch results", actions: claude("GetBatchInference") },
    { sid: "ContentUserProfiles", does: "read user profiles", actions: claude("GetUserProfile") },
  ],
};
