import type { Statement } from "../document";
import { CLAUDE_CREDENTIAL_SERVICE_NAME, pickActions, type ScpControl } from "./control";

/**
 * A Claude Platform long-term API key is an IAM service-specific credential for the service.
 * Creating one, resetting one (which issues a new secret) and updating one (which re-activates an
 * inactive key) are denied. Updating is also how a key is deactivated, which SCPs cannot tell
 * apart, so deleting is the clean-up path. The service name is compared ignoring case.
 */
export const denyServiceSpecificCredentials: ScpControl<"denyServiceSpecificCredentials"> = {
  id: "denyServiceSpecificCredentials",
  title: "Deny long-term API key credentials",
  summary:
    "Creating, resetting or re-activating (updating) an IAM service-specific credential for aws-external-anthropic.amazonaws.com (a long-term API key); optionally for every service.",
  risk: "A long-term key lasts up to 100 years (or forever), works from anywhere, and is easy to leak into code or chat; with the default permissions its holder can use nearly every workspace.",
  leavesAlone:
    "Deleting existing credentials (the clean-up path: deactivating is an update, which re-activating shares, so delete keys instead), credentials for other services unless `allServices` is set, and, with `exempt: true`, the exempt principals.",
  statements(options, { catalog }): Statement[] {
    const serviceCondition = options.allServices
      ? {}
      : { Condition: { StringEqualsIgnoreCase: { "iam:ServiceSpecificCredentialServiceName": [CLAUDE_CREDENTIAL_SERVICE_NAME] } } };
    return [
      {
        Sid: "DenyServiceSpecificCredentials",
        Effect: "Deny",
        Action: pickActions(catalog, ["iam:CreateServiceSpecificCredential", "iam:ResetServiceSpecificCredential", "iam:UpdateServiceSpecificCredential"]),
        Resource: ["*"],
        ...serviceCondition,
      },
    ];
  },
};
