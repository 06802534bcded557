/** Every access profile, by the id the config uses; the type makes a profile id without a profile a compile error. */
import type { AccessProfileId } from "../../../config/schema";
import type { AccessProfile } from "../profile";
import { agentDevelopment } from "./agent-development";
import { agentRuntime } from "./agent-runtime";
import { batchInference } from "./batch-inference";
import { contentRead } from "./content-read";
import { inference } from "./inference";
import { metadataRead } from "./metadata-read";
import { workspaceAdmin } from "./workspace-admin";

export const ACCESS_PROFILES: Readonly<Record<AccessProfileId, AccessProfile>> = {
  inference,
  "batch-inference": batchInference,
  "agent-development": agentDevelopment,
  "metadata-read": metadataRead,
  "content-read": contentRead,
  "agent-runtime": agentRuntime,
  "workspace-admin": workspaceAdmin,
};
