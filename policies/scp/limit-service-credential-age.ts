import type { Conditions, Statement } from "../document";
import { CLAUDE_CREDENTIAL_SERVICE_NAME, pickActions, type ScpControl } from "./control";

/**
 * For organizations that permit long-term keys: a new service-specific credential must expire
 * within `maxAgeDays`. A credential created without an age never expires, and then the age key
 * is absent, so a second statement denies that case (`Null`).
 */
export const limitServiceCredentialAge: ScpControl<"limitServiceCredentialAge"> = {
  id: "limitServiceCredentialAge",
  title: "Limit the lifetime of long-term API keys",
  summary: "Creating a service-specific credential that lives longer than the configured number of days, or never expires.",
  risk: "Where long-term keys are allowed at all, a key that never expires turns one leak into permanent access.",
  leavesAlone: "Credentials within the age limit, other services unless `allServices` is set, and, with `exempt: true`, the exempt principals.",
  statements(options, { catalog }): Statement[] {
    const action = pickActions(catalog, ["iam:CreateServiceSpecificCredential"]);
    const service: Conditions = options.allServices
      ? {}
      : { StringEqualsIgnoreCase: { "iam:ServiceSpecificCredentialServiceName": [CLAUDE_CREDENTIAL_SERVICE_NAME] } };
    return [
      {
        Sid: "DenyLongLivedServiceCredentials",
        Effect: "Deny",
        Action: action,
        Resource: ["*"],
        Condition: { ...service, NumericGreaterThan: { "iam:ServiceSpecificCredentialAgeDays": [String(options.maxAgeDays)] } },
      },
      {
        Sid: "DenyNonExpiringServiceCredentials",
        Effect: "Deny",
        Action: action,
        Resource: ["*"],
        Condition: { ...service, Null: { "iam:ServiceSpecificCredentialAgeDays": ["true"] } },
      },
    ];
  },
};
