import type { Statement } from "../document";
import { CLAUDE_MARKETPLACE_PRODUCT_ID, CLAUDE_SERVICE, CLAUDE_TOKEN_AUDIENCES } from "../catalog";
import { pickActions, type ScpControl } from "./control";

/**
 * Turns the service off where attached. Every action of the service, whatever AWS adds later, and
 * the two ways around it: a web identity token for Anthropic's audiences minted directly (it
 * authenticates to Anthropic's API without the gateway), and the Marketplace agreement for the
 * product that enables the service in an account. The token deny holds when any requested
 * audience is Anthropic's, so mixing in another audience does not slip through. The legacy
 * `aws-marketplace:Subscribe` is left out: the reference data gives it no product condition, so it
 * could only be denied for every product.
 */
export const disableClaudePlatform: ScpControl<"disableClaudePlatform"> = {
  id: "disableClaudePlatform",
  title: "Claude Platform off",
  summary: `Every aws-external-anthropic action, sts:GetWebIdentityToken for Anthropic's audiences, and Marketplace agreements for the Claude Platform product (${CLAUDE_MARKETPLACE_PRODUCT_ID}).`,
  risk: "Accounts with no business using the service (regulated data, production without review) are otherwise one subscription and one policy away from sending data to it.",
  leavesAlone:
    "Every other service, web identity tokens for other audiences, other Marketplace products, the legacy aws-marketplace:Subscribe (it takes no product condition; a subscription made through it still reaches no Claude Platform action here), and, with `exempt: true`, the exempt principals.",
  statements(_options, { catalog }): Statement[] {
    return [
      { Sid: "DisableClaudePlatform", Effect: "Deny", Action: [`${CLAUDE_SERVICE}:*`], Resource: ["*"] },
      {
        Sid: "DisableClaudePlatformTokens",
        Effect: "Deny",
        Action: pickActions(catalog, ["sts:GetWebIdentityToken"]),
        Resource: ["*"],
        Condition: { "ForAnyValue:StringEquals": { "sts:IdentityTokenAudience": [...CLAUDE_TOKEN_AUDIENCES] } },
      },
      {
        Sid: "DisableClaudePlatformSubscription",
        Effect: "Deny",
        Action: pickActions(catalog, ["aws-marketplace:CreateAgreementRequest", "aws-marketplace:AcceptAgreementRequest"]),
        Resource: ["*"],
        Condition: { "ForAnyValue:StringEquals": { "aws-marketplace:ProductId": [CLAUDE_MARKETPLACE_PRODUCT_ID] } },
      },
    ];
  },
};
