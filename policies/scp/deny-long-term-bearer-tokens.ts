import type { Statement } from "../document";
import { pickActions, type ScpControl } from "./control";

/**
 * Every API-key call is authorized as `CallWithBearerToken`; the token type tells a long-term key
 * from a short-term one. Denying `LONG_TERM` makes keys that already exist useless while
 * short-term keys (minted from the caller's own credentials, at most 12 h) keep working. The
 * value is compared ignoring case. No exemption: the caller of a long-term key is always the
 * key's own IAM user, never the deployment role.
 */
export const denyLongTermBearerTokens: ScpControl<"denyLongTermBearerTokens"> = {
  id: "denyLongTermBearerTokens",
  title: "Deny use of long-term API keys",
  summary: "CallWithBearerToken with a LONG_TERM bearer token: any use of a long-term API key that already exists. Short-term keys keep working.",
  risk: "Keys created before the baseline, or outside it, keep working for as long as they live; denying their use makes them worthless at once, organization-wide.",
  leavesAlone: "Short-term bearer tokens and SigV4 calls. No principal is exempt: a long-term key always acts as its own IAM user.",
  exemptable: false,
  statements(_options, { catalog }): Statement[] {
    return [
      {
        Sid: "DenyLongTermBearerTokens",
        Effect: "Deny",
        Action: pickActions(catalog, ["aws-external-anthropic:CallWithBearerToken"]),
        Resource: ["*"],
        Condition: { StringEqualsIgnoreCase: { "aws-external-anthropic:BearerTokenType": ["LONG_TERM"] } },
      },
    ];
  },
};
