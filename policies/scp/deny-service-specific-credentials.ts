import type { Statement } from "../document";
import { CLAUDE_CREDENTIAL_SERVICE_NAME, pickActions, type ScpControl } from "./control";

/**
 * A Claude Platform long-term API key is an IAM service-specific credential for the service.
 * Creating one, or resetting one (which issues a new secret), is denied. Deactivating and deleting
 * stay possible, so existing keys can be cleaned up. The service name is compared ignoring case.
 */
export const denyServiceSpecificCredentials: ScpControl<"denyServiceSpecificCredentials"> = {
  id: "denyServiceSpecificCredentials",
  title: "Deny long-term API key credentials",
  summary:
    "Creating or resetting an IAM service-specific credential for aws-external-anthropic.amazonaws.com (a long-term API key); optionally for every service.",
  risk: "A long-term key lasts up to 100 years (or forever), works from anywhere, and is easy to leak into code or chat; with the default permissions its holder can use nearly every workspace.",
  leavesAlone:
    "Deactivating and deleting existing credentials (the clean-up path), credentials for other services unless `allServices` is set, and, with `exempt: true`, the exempt principals.",
  statements(options, { catalog }): Statement[] {
    const serviceCondition = options.allServices
      ? {}
      : { Condition: { StringEqualsIgnoreCase: { "iam:ServiceSpecificCredentialServiceName": [CLAUDE_CREDENTIAL_SERVICE_NAME] } } };
    return [
      {
        Sid: "DenyServiceSpecificCredentials",
        Effect: "Deny",
        Action: pickActions(catalog, ["iam:CreateServiceSpecificCredential", "iam:ResetServiceSpecificCredential"]),
        Resource: ["*"],
        ...serviceCondition,
      },
    ];
  },
};
