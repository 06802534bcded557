/**
 * The three documents of a team role in one account, as values:
 * - the access policy (inline): one statement per capability of each profile, scoped to the
 *   team's workspaces in that account, plus the STS statements every Claude Platform call needs,
 *   short-term API keys and the console where the team has them;
 * - the permissions boundary (managed): the same grants with the workspace-scoped ones merged,
 *   so it is the most the role may ever do and nothing in IAM;
 * - the trust policy: the team's IAM Identity Center permission-set role of the same account,
 *   from inside the organization, and nothing else.
 */
import type { BaselineConfig } from "../../config/schema";
import { CLAUDE_SERVICE, CLAUDE_SERVICE_PRINCIPAL, CLAUDE_TOKEN_AUDIENCES, type Catalog } from "../catalog";
import type { Statement } from "../document";
import type { AccessProfile } from "./profile";

type Team = BaselineConfig["teams"][number];

/** Where IAM Identity Center puts permission-set roles; nobody else can create a role under /aws-reserved/. */
const SSO_ROLE_PATH = "aws-reserved/sso.amazonaws.com";

/** Capability statements of the profiles, workspace-scoped ones on `workspaceArns`. Problems name the capability. */
export function profileStatements(profiles: readonly AccessProfile[], workspaceArns: readonly string[], catalog: Catalog, problems: string[]): Statement[] {
  return profiles.flatMap((profile) =>
    profile.capabilities.map((capability): Statement => {
      const actions = capability.actions.map((name) => catalog.action(name)?.name ?? name);
      const resourceless = actions.map((name) => catalog.action(name)?.resourceTypes.length === 0);
      if (resourceless.some((r) => r !== resourceless[0])) {
        problems.push(`profile ${profile.id}, ${capability.sid}: mixes actions that take a workspace with actions that take only "*"; split it`);
      }
      return { Sid: capability.sid, Effect: "Allow", Action: actions, Resource: resourceless[0] ? ["*"] : [...workspaceArns] };
    }),
  );
}

/**
 * The gateway mints a web identity token as the caller for every request; without these two
 * grants every call fails. The token is allowed only for Anthropic's audiences and only when the
 * service asks for it. Tagging the token has no effect outside that call, so it carries no
 * condition (as in AWS's managed policies).
 */
export function tokenStatements(): Statement[] {
  const audiences = [...CLAUDE_TOKEN_AUDIENCES];
  return [
    {
      Sid: "ClaudeWebIdentityToken",
      Effect: "Allow",
      Action: ["sts:GetWebIdentityToken"],
      Resource: ["*"],
      Condition: {
        // Every audience asked for is Anthropic's, and at least one is asked for.
        "ForAllValues:StringEquals": { "sts:IdentityTokenAudience": audiences },
        "ForAnyValue:StringEquals": { "sts:IdentityTokenAudience": audiences },
        StringEquals: { "aws:CalledViaLast": [CLAUDE_SERVICE_PRINCIPAL] },
      },
    },
    { Sid: "ClaudeWebIdentityTokenTags", Effect: "Allow", Action: ["sts:TagGetWebIdentityToken"], Resource: ["*"] },
  ];
}

/** Short-term API keys and the console, where the team has them. Values are compared ignoring case, as the SCPs do. */
export function teamSettingStatements(team: Team): Statement[] {
  const out: Statement[] = [];
  if (team.apiKeys === "short-term") {
    out.push({
      Sid: "ApiKeysShortTerm",
      Effect: "Allow",
      Action: [`${CLAUDE_SERVICE}:CallWithBearerToken`],
      Resource: ["*"],
      Condition: { StringEqualsIgnoreCase: { [`${CLAUDE_SERVICE}:BearerTokenType`]: ["SHORT_TERM"] } },
    });
  }
  if (team.console !== "none") {
    out.push({
      Sid: consoleSid(team.console),
      Effect: "Allow",
      Action: [`${CLAUDE_SERVICE}:AssumeConsole`],
      Resource: ["*"],
      Condition: { StringEqualsIgnoreCase: { [`${CLAUDE_SERVICE}:Capability`]: [team.console] } },
    });
  }
  return out;
}

/** The Sid of the statement that lets a role open the console with `capability`: `ConsoleDeveloper`. */
export function consoleSid(capability: string): string {
  return `Console${capability[0].toUpperCase()}${capability.slice(1)}`;
}

/** The boundary: the access statements with every workspace-scoped grant merged into one statement. */
export function boundaryStatements(access: readonly Statement[], workspaceArns: readonly string[]): Statement[] {
  const scoped = access.filter((s) => !s.Resource?.includes("*"));
  const rest = access.filter((s) => s.Resource?.includes("*"));
  const merged: Statement[] =
    scoped.length > 0 ? [{ Sid: "TeamWorkspaceActions", Effect: "Allow", Action: scoped.flatMap((s) => s.Action ?? []), Resource: [...workspaceArns] }] : [];
  return [...merged, ...rest];
}

/**
 * Trusts the account (so no role ARN has to exist when the policy is written) and admits only the
 * team's permission-set role, with and without the region segment Identity Center adds outside
 * us-east-1. The suffix Identity Center appends has no underscore, so a role name with another
 * `_` after the permission set's name belongs to a different permission set whose name merely
 * starts the same (`ClaudePayments_Admin`); the second condition shuts those out.
 */
export function trustStatements(team: Team, account: string, partition: string, orgId: string): Statement[] {
  const base = `arn:${partition}:iam::${account}:role/${SSO_ROLE_PATH}`;
  const name = `AWSReservedSSO_${team.permissionSet}_`;
  const admitted = [`${base}/${name}*`, `${base}/*/${name}*`];
  const otherSets = admitted.map((pattern) => `${pattern}_*`);
  return [
    {
      Sid: "TrustTeamPermissionSet",
      Effect: "Allow",
      Principal: { AWS: [`arn:${partition}:iam::${account}:root`] },
      Action: ["sts:AssumeRole", ...(team.sourceIdentity ? ["sts:SetSourceIdentity"] : []), ...(team.sessionTags ? ["sts:TagSession"] : [])],
      Condition: {
        ArnLike: { "aws:PrincipalArn": admitted },
        ArnNotLike: { "aws:PrincipalArn": otherSets },
        StringEquals: { "aws:PrincipalOrgID": [orgId] },
      },
    },
  ];
}
