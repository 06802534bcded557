/**
 * Config → the team role stacks: one per account that holds team roles, each role with its access
 * policy, permissions boundary and trust policy, every document checked against the IAM reference
 * data, the no-wildcard rule and the IAM size quotas. Pure: no cdktf import; stacks/roles-stack.ts
 * wires it.
 */
import { baselinePolicyArn, partitionOf, teamRoleArn, BASELINE_POLICY_PATH, TEAM_ROLE_TAG } from "../../config/arns";
import { appendTo } from "../../config/collections";
import type { AccessProfileId, BaselineConfig } from "../../config/schema";
import type { Catalog } from "../catalog";
import { checkPreparedDocument, prepareToCheck } from "../check";
import { minified, policyDocument, type PolicyDocument, type Statement } from "../document";
import { SynthesisError } from "../errors";
import { QUOTAS, withThousands, type Quota } from "../quotas";
import { boundaryStatements, profileStatements, teamSettingStatements, tokenStatements, trustStatements } from "./documents";
import { ACCESS_PROFILES } from "./profiles";

export { ACCESS_PROFILES } from "./profiles";
export type { AccessProfile, Capability } from "./profile";

type Team = BaselineConfig["teams"][number];
export type RoleDocumentKind = "access" | "boundary" | "trust";

/** The quota each kind of document meets: an inline policy (the role's only one), a managed policy, a trust policy. */
export const ROLE_DOCUMENT_QUOTAS: Readonly<Record<RoleDocumentKind, Quota>> = {
  access: QUOTAS.inlinePoliciesPerRole,
  boundary: QUOTAS.managedPolicySize,
  trust: QUOTAS.trustPolicySize,
};

const DOCUMENT_TITLES: Readonly<Record<RoleDocumentKind, string>> = { access: "access policy", boundary: "permissions boundary", trust: "trust policy" };

export interface TeamRolePlan {
  readonly team: string;
  readonly account: string;
  readonly roleName: string;
  readonly roleArn: string;
  readonly description: string;
  readonly maxSessionSeconds: number;
  readonly profiles: readonly AccessProfileId[];
  /** The workspace ARNs (or the account's `workspace/*`) the profiles are scoped to. */
  readonly workspaceArns: readonly string[];
  readonly boundaryName: string;
  readonly boundaryPath: string;
  readonly boundaryArn: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly documents: Readonly<Record<RoleDocumentKind, PolicyDocument>>;
  /** Each document minified: exactly the string Terraform sends, and the one the quotas count. */
  readonly policies: Readonly<Record<RoleDocumentKind, string>>;
  /** Managed policies attached to the role (the boundary is not an attachment). */
  readonly managedPoliciesAttached: number;
}

export interface RoleStackPlan {
  /** `roles-<account name>`: also its state key and its directory under cdktf.out/stacks. */
  readonly name: string;
  readonly account: string;
  readonly accountName: string;
  readonly roles: readonly TeamRolePlan[];
}

export interface RolesPlan {
  readonly stacks: readonly RoleStackPlan[];
}

function roleStackName(accountName: string): string {
  return `roles-${accountName}`;
}

/** The ARNs a team's profiles are scoped to in one account: its workspaces there, or every workspace of the account for `all`. */
export function teamWorkspaceArns(config: BaselineConfig, team: Team, account: string): string[] {
  const partition = partitionOf(config.deployment.homeRegion);
  if (team.workspaces === "all") return [`arn:${partition}:aws-external-anthropic:*:${account}:workspace/*`];
  const chosen = new Set(team.workspaces);
  return (workspacesByAccount(config).get(account) ?? [])
    .filter((w) => chosen.has(w.id))
    .map((w) => `arn:${partition}:aws-external-anthropic:${w.region}:${account}:workspace/${w.id}`);
}

const workspaceIndexes = new WeakMap<BaselineConfig, Map<string, Array<BaselineConfig["workspaces"][number]>>>();

/** Each account's workspaces in config order, indexed once per config: a team reads only its own accounts'. */
function workspacesByAccount(config: BaselineConfig): Map<string, Array<BaselineConfig["workspaces"][number]>> {
  let index = workspaceIndexes.get(config);
  if (!index) {
    index = new Map();
    for (const w of config.workspaces) {
      const inAccount = index.get(w.account);
      if (inAccount) inAccount.push(w);
      else index.set(w.account, [w]);
    }
    workspaceIndexes.set(config, index);
  }
  return index;
}

/** The three documents of a team's role in one account. Problems (a profile that mixes scopes) are pushed to `problems`. */
function teamRoleDocuments(
  config: BaselineConfig,
  team: Team,
  account: string,
  workspaceArns: readonly string[],
  catalog: Catalog,
  problems: string[],
): Record<RoleDocumentKind, PolicyDocument> {
  const profiles = team.access.map((id) => ACCESS_PROFILES[id]);
  const access: Statement[] = [...profileStatements(profiles, workspaceArns, catalog, problems), ...tokenStatements(), ...teamSettingStatements(team)];
  return {
    access: policyDocument(access),
    boundary: policyDocument(boundaryStatements(access, workspaceArns)),
    trust: policyDocument(trustStatements(team, account, partitionOf(config.deployment.homeRegion), config.organization.id)),
  };
}

export async function planRoles(config: BaselineConfig, catalog: Catalog): Promise<RolesPlan> {
  const problems: string[] = [];
  const partition = partitionOf(config.deployment.homeRegion);
  const byAccount = new Map<string, TeamRolePlan[]>();
  const toCheck: Array<{ readonly where: string; readonly kind: RoleDocumentKind; readonly document: PolicyDocument }> = [];
  config.teams.forEach((team, index) => {
    for (const account of team.accounts) {
      const where = `teams[${index}] (${team.name}) in account ${account}`;
      const local: string[] = [];
      const workspaceArns = teamWorkspaceArns(config, team, account);
      const documents = teamRoleDocuments(config, team, account, workspaceArns, catalog, local);
      problems.push(...local.map((p) => `${where}: ${p}`));
      const policies = mapDocuments(documents, minified);
      for (const kind of Object.keys(documents) as RoleDocumentKind[]) {
        problems.push(...wildcardProblems(documents[kind]).map((p) => `${where}: ${DOCUMENT_TITLES[kind]}: ${p}`));
        problems.push(...sizeProblems(kind, policies[kind], team).map((p) => `${where}: ${p}`));
        toCheck.push({ where, kind, document: documents[kind] });
      }
      const boundaryName = `${team.roleName}-boundary`;
      const plan: TeamRolePlan = {
        team: team.name,
        account,
        roleName: team.roleName,
        roleArn: teamRoleArn(partition, team.roleName, account),
        description: roleDescription(team, workspaceArns.length),
        maxSessionSeconds: team.maxSessionSeconds,
        profiles: team.access,
        workspaceArns,
        boundaryName,
        boundaryPath: BASELINE_POLICY_PATH,
        boundaryArn: baselinePolicyArn(partition, account, boundaryName),
        tags: { team: team.name, [TEAM_ROLE_TAG.key]: TEAM_ROLE_TAG.value },
        documents,
        policies,
        managedPoliciesAttached: 0,
      };
      appendTo(byAccount, account, plan);
    }
  });
  const prepared = await prepareToCheck(
    toCheck.map((c) => c.document),
    catalog,
  );
  for (const { where, kind, document } of toCheck) {
    for (const problem of checkPreparedDocument(document, prepared)) problems.push(`${where}: ${DOCUMENT_TITLES[kind]}: ${problem}`);
  }
  if (problems.length > 0) throw new SynthesisError(problems);
  const stacks = config.organization.accounts
    .filter((a) => byAccount.has(a.id))
    .map((a): RoleStackPlan => ({ name: roleStackName(a.name), account: a.id, accountName: a.name, roles: byAccount.get(a.id)! }));
  return { stacks };
}

function mapDocuments<T>(documents: Record<RoleDocumentKind, PolicyDocument>, f: (d: PolicyDocument) => T): Record<RoleDocumentKind, T> {
  return { access: f(documents.access), boundary: f(documents.boundary), trust: f(documents.trust) };
}

/** An Allow never names actions by wildcard: `Get*` reads content, and a new action must not be granted the day AWS adds it. */
export function wildcardProblems(document: PolicyDocument): string[] {
  return document.Statement.filter((s) => s.Effect === "Allow").flatMap((s) => [
    ...(s.Action ?? []).filter((a) => /[*?]/.test(a)).map((a) => `statement ${s.Sid}: allows ${a} by wildcard; name each action`),
    // NotAction in an Allow grants every action but those listed: a wildcard by another name.
    ...(s.NotAction ?? []).map((a) => `statement ${s.Sid}: allows everything but ${a} by wildcard; name each action`),
  ]);
}

function sizeProblems(kind: RoleDocumentKind, text: string, team: Team): string[] {
  const quota = ROLE_DOCUMENT_QUOTAS[kind];
  if (text.length <= quota.value) return [];
  const fix =
    kind === "trust"
      ? `shorten teams[].permissionSet (${team.permissionSet}), whose role ARN patterns make up the trust policy`
      : `split team ${team.name} into teams with fewer workspaces or profiles each, or give it workspaces: all`;
  return [`the ${DOCUMENT_TITLES[kind]} is ${withThousands(text.length)} characters, over IAM's ${withThousands(quota.value)} (${quota.counts}); ${fix}`];
}

function roleDescription(team: Team, workspaces: number): string {
  const extras = [team.apiKeys === "short-term" ? "short-term API keys" : "", team.console !== "none" ? `console as ${team.console}` : ""].filter(Boolean);
  const scope = team.workspaces === "all" ? "every workspace of the account" : `${workspaces} workspace${workspaces === 1 ? "" : "s"}`;
  return `Claude Platform role of team ${team.name}: ${team.access.join(", ")} on ${scope}${extras.length ? `; ${extras.join(", ")}` : ""}. Managed by claude-platform-baseline.`;
}

/** Lines for `npm run synth`'s summary: each role stack, its roles and their documents against the quotas. */
export function rolesSummary(plan: RolesPlan): string[] {
  return plan.stacks.flatMap((stack) => [
    `  stack ${stack.name} (account ${stack.account}): ${stack.roles.length} team role${stack.roles.length === 1 ? "" : "s"}`,
    ...stack.roles.flatMap((role) => [
      `    ${role.roleName} (team ${role.team}): ${role.profiles.join(", ")}`,
      `      ${(Object.keys(ROLE_DOCUMENT_QUOTAS) as RoleDocumentKind[]).map((kind) => `${DOCUMENT_TITLES[kind]} ${withThousands(role.policies[kind].length)} / ${withThousands(ROLE_DOCUMENT_QUOTAS[kind].value)}`).join(", ")} characters; ${role.managedPoliciesAttached} / ${QUOTAS.managedPoliciesPerRole.value} managed policies attached`,
    ]),
  ]);
}
