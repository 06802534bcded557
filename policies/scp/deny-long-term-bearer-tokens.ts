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
  summary:
    "CallWithBearerToken with a LONG_TERM bearer token: any use of a long-term API key that already exists; by default also any bearer token used by an IAM user (long-term keys belong to IAM users). Short-term keys from roles keep working.",
  risk: "Keys created before the baseline, or outside it, keep working for as long as they live; denying their use makes them worthless at once, organization-wide.",
  leavesAlone:
    "Short-term bearer tokens minted from role credentials, and SigV4 calls. With `denyIamUsers: false`, short-term tokens minted by IAM users too. No principal is exempt: a long-term key always acts as its own IAM user.",
  statements(options, { catalog, partition }): Statement[] {
    const action = pickActions(catalog, ["aws-external-anthropic:CallWithBearerToken"]);
    const statements: Statement[] = [
      {
        Sid: "DenyLongTermBearerTokens",
        Effect: "Deny",
        Action: action,
        Resource: ["*"],
        Condition: { StringEqualsIgnoreCase: { "aws-external-anthropic:BearerTokenType": ["LONG_TERM"] } },
      },
    ];
    if (options.denyIamUsers) {
      // The token-type value is third-party. A long-term key always acts as an IAM user, so this
      // holds whatever the value turns out to be; roles keep their short-term keys.
      statements.push({
        Sid: "DenyBearerTokensForIamUsers",
        Effect: "Deny",
        Action: action,
        Resource: ["*"],
        Condition: { ArnLike: { "aws:PrincipalArn": [`arn:${partition}:iam::*:user/*`] } },
      });
    }
    return statements;
  },
};
