import { claude, type AccessProfile } from "../profile";

export const inference: AccessProfile = {
  id: "inference",
  title: "Synchronous inference",
  summary: "Send messages to Claude and count their tokens, and look up the models a workspace offers.",
  omits:
    "Batch inference (its own profile), every Managed Agents, file and skill action, and every content get. `CallWithBearerToken` is not part of any profile: API keys come only from `apiKeys: short-term`. `GetAccountStatus` is left out: inference does not need it.",
  nearestManagedPolicy: {
    name: "AnthropicInferenceAccess",
    difference:
      "The managed policy adds `Get*` / `List*` on every workspace (which reads file bytes, skill content, sessions, memories and batch results), batch inference, `GetAccountStatus` and `CallWithBearerToken` (API keys, long-term ones included) on `*`. This profile is the four actions synchronous inference needs, on the team's workspaces only.",
  },
  capabilities: [
    { sid: "InferenceMessages", does: "send messages and count their tokens", actions: claude("CreateInference", "CountTokens") },
    { sid: "InferenceModels", does: "list the models and read a model's details", actions: claude("ListModels", "GetModel") },
  ],
};
