import { claude, type AccessProfile } from "../profile";

export const batchInference: AccessProfile = {
  id: "batch-inference",
  title: "Batch inference",
  summary: "Submit message batches, list them, read their status and results, and cancel or delete them.",
  omits:
    "Synchronous inference (the `inference` profile), files, and every other workspace's batches. `GetBatchInference` returns results, which are content: this profile is for the team that submitted the batches, not for readers.",
  nearestManagedPolicy: {
    name: "AnthropicInferenceAccess",
    difference:
      "The managed policy bundles batch with synchronous inference, `Get*` / `List*` on every workspace and `CallWithBearerToken`; this profile is the five batch actions on the team's workspaces only.",
  },
  capabilities: [
    { sid: "BatchSubmit", does: "submit a message batch", actions: claude("CreateBatchInference") },
    { sid: "BatchRead", does: "list batches and read a batch's status and results", actions: claude("ListBatchInferences", "GetBatchInference") },
    { sid: "BatchManage", does: "cancel or delete a batch", actions: claude("CancelBatchInference", "DeleteBatchInference") },
  ],
};
