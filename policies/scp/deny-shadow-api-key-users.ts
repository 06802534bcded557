import type { Statement } from "../document";
import { CLAUDE_SERVICE } from "../catalog";
import { pickActions, type ScpControl } from "./control";

/**
 * The console's long-term key flow creates a backing IAM user named `AeaApiKey-<suffix>` and
 * gives it a service-specific credential. The user is a standing identity an attacker can use for
 * persistence, so creating one, renaming one (IAM checks the old and the new name), and giving
 * one any way in (access keys, a password, policies, a looser boundary, credentials) is denied at
 * any path, and such a user reaches no Claude Platform action whatever credential it still holds.
 * Deleting its keys stays possible (incident response); an update of a service credential may
 * re-activate it, so it is denied. The suffix is matched
 * with `*`: its length comes from third-party material only.
 */
export const denyShadowApiKeyUsers: ScpControl<"denyShadowApiKeyUsers"> = {
  id: "denyShadowApiKeyUsers",
  title: "Deny API-key shadow users",
  summary:
    "Creating or renaming AeaApiKey-* IAM users (at any path), giving them access keys, console passwords, policies, a looser permissions boundary or service credentials (new, reset or re-activated), and any Claude Platform call made as one.",
  risk: "The shadow user is a standing IAM identity with Claude Platform permissions; whoever can give it keys or a password has a persistent way back in that no role session limit bounds.",
  leavesAlone:
    "Every other IAM user (the name is matched case-sensitively, as IAM ARNs are; a look-alike user in another letter case still cannot get a Claude Platform credential, which denyServiceSpecificCredentials denies), deactivating or deleting shadow users and their keys (reactivating an access key cannot be told apart from deactivating it, so it is left to the Claude-access deny), and, with `exempt: true`, the exempt principals. Group membership cannot be scoped by user name in an SCP (its resource is the group) and is left to the other denies.",
  statements(_options, { catalog, partition }): Statement[] {
    const shadowUsers = [`arn:${partition}:iam::*:user/AeaApiKey-*`, `arn:${partition}:iam::*:user/*/AeaApiKey-*`];
    return [
      {
        Sid: "DenyShadowApiKeyUsers",
        Effect: "Deny",
        Action: pickActions(catalog, [
          "iam:CreateUser",
          "iam:UpdateUser",
          "iam:CreateAccessKey",
          "iam:CreateLoginProfile",
          "iam:UpdateLoginProfile",
          "iam:AttachUserPolicy",
          "iam:PutUserPolicy",
          "iam:PutUserPermissionsBoundary",
          "iam:DeleteUserPermissionsBoundary",
          "iam:CreateServiceSpecificCredential",
          "iam:ResetServiceSpecificCredential",
          "iam:UpdateServiceSpecificCredential",
        ]),
        Resource: shadowUsers,
      },
      {
        // Whatever way in such a user still has (an old access key, a key the other statements
        // could not stop), it reaches no Claude Platform action.
        Sid: "DenyShadowApiKeyUsersClaudeAccess",
        Effect: "Deny",
        Action: [`${CLAUDE_SERVICE}:*`],
        Resource: ["*"],
        Condition: { ArnLike: { "aws:PrincipalArn": shadowUsers } },
      },
    ];
  },
};
