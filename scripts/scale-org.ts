/**
 * A generated organization of any size, for the scale bench (`npm run bench -- --scale`) and the
 * scale tests. Per 1,000 teams: 1,000 team accounts (one each), 3,000 workspaces, 100 OUs, with
 * the sample's deployment settings, audit trail and controls (config/sample-org.yaml) re-targeted
 * so that every control and every stack type has work proportional to the organization: protected
 * workspaces admitting teams and workload roles, sandbox OUs under approvedWorkspacesOnly rules,
 * teams of every access profile, some granted `all` and some a list, console developers, and one
 * auditor team per ten with a role in each of its group's accounts. Deterministic: the same size
 * always gives the same config, byte for byte, so a measurement or a failure can be replayed.
 */
import { readFileSync } from "node:fs";
import { dump, load } from "js-yaml";
import { SAMPLE_CONFIG_PATH } from "../config/load";

/** A config as plain data, as the YAML holds it. */
type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface ScaleOptions {
  /** Tamper protection over the team roles; the sample's default (true) unless set. */
  readonly protectTeamRoles?: boolean;
}

interface Ou {
  readonly id: string;
  readonly name: string;
  readonly parent: string;
}

interface TeamAccount {
  readonly team: number;
  readonly id: string;
  readonly ou: number;
}

const ROOT = "r-a1b2";
const MANAGEMENT = "111111111111";
const AUDIT = "222222222222";
/** Each group of ten teams shares an auditor, the last of the group. */
const GROUP = 10;
const PLATFORM_OU = 0;
/** OUs under the root beside Platform; the rest nest one level below them. */
const TOP_LEVEL_WORKLOAD_OUS = 9;
const WORKSPACE_SUFFIXES = ["A", "B", "C"] as const;
const REGIONS = ["us-east-1", "us-west-2"] as const;

const pad = (n: number, width: number) => String(n).padStart(width, "0");
const teamName = (i: number) => `team-${pad(i, 5)}`;
const ouId = (k: number) => `ou-a1b2-${pad(k, 8)}`;
const accountId = (i: number) => String(300_000_000_000 + i);
const workspaceId = (i: number, suffix: string) => `wrkspc_T${pad(i, 5)}${suffix}`;
const isAuditor = (i: number) => i % GROUP === GROUP - 1;

function organizationalUnits(count: number): Ou[] {
  return Array.from({ length: count }, (_, k) => {
    if (k === PLATFORM_OU) return { id: ouId(k), name: "Platform", parent: ROOT };
    if (k <= TOP_LEVEL_WORKLOAD_OUS) return { id: ouId(k), name: `workloads-${pad(k, 4)}`, parent: ROOT };
    return { id: ouId(k), name: `unit-${pad(k, 4)}`, parent: ouId(1 + (k % TOP_LEVEL_WORKLOAD_OUS)) };
  });
}

/**
 * The OUs that hold team accounts: the nested ones when there are any, so each account sits two
 * levels down (root, workload OU, unit) and every attachment on its way applies to it.
 */
function leafOus(ouCount: number): number[] {
  const first = ouCount > TOP_LEVEL_WORKLOAD_OUS + 1 ? TOP_LEVEL_WORKLOAD_OUS + 1 : 1;
  return Array.from({ length: ouCount - first }, (_, j) => first + j);
}

/**
 * Sandbox OUs (under an approvedWorkspacesOnly rule) are leaves, so no rule covers an account
 * whose team was granted workspaces by another rule's approval: every tenth nested OU, or, with no
 * nested OUs, the last top-level one.
 */
function isSandbox(k: number, ouCount: number): boolean {
  if (ouCount <= TOP_LEVEL_WORKLOAD_OUS + 1) return k === ouCount - 1 && k !== PLATFORM_OU;
  return k > TOP_LEVEL_WORKLOAD_OUS && k % GROUP === GROUP - 1;
}

/** The workspaces a team is granted, by the kind of team it is (its place in its group). */
function grantedWorkspaces(i: number): "all" | string[] {
  const listed = (...suffixes: string[]) => suffixes.map((s) => workspaceId(i, s));
  switch (i % GROUP) {
    case 0:
      return listed("A", "B");
    case 2:
      return listed("C");
    case 3:
      return listed("B", "C");
    case 5:
      return listed("A");
    case 7:
      return listed("A", "B");
    case 8:
      return listed("A", "B", "C");
    default:
      return "all";
  }
}

const ACCESS_BY_KIND: readonly string[][] = [
  ["inference", "batch-inference"],
  ["inference", "agent-development"],
  ["content-read", "metadata-read"],
  ["agent-runtime", "inference"],
  ["workspace-admin"],
  ["inference"],
  ["batch-inference", "content-read"],
  ["agent-development"],
  ["inference", "agent-runtime"],
  ["metadata-read"],
];

/** Console developers carry the prefix the sample's limitConsoleFederation allows (research-ai-*). */
const CONSOLE_KINDS = new Set([1, 7]);
const SHORT_TERM_KEY_KINDS = new Set([1, 8]);

function team(i: number, accounts: readonly TeamAccount[]): Raw {
  const kind = i % GROUP;
  const group = accounts.slice(i - kind, i - kind + GROUP).map((a) => a.id);
  const consoleUser = CONSOLE_KINDS.has(kind);
  return {
    name: teamName(i),
    roleName: consoleUser ? `research-ai-${teamName(i)}` : `${teamName(i)}-ai-role`,
    accounts: isAuditor(i) ? [accounts[i].id, ...group.filter((id) => id !== accounts[i].id)] : [accounts[i].id],
    workspaces: isAuditor(i) ? "all" : grantedWorkspaces(i),
    access: ACCESS_BY_KIND[kind],
    ...(SHORT_TERM_KEY_KINDS.has(kind) ? { apiKeys: "short-term" } : {}),
    ...(consoleUser ? { console: "developer" } : {}),
    permissionSet: `Team${pad(i, 5)}`,
  };
}

/** The auditor of team i's group, when the group has one (the last group may be short). */
function auditorOf(i: number, teamCount: number): number | undefined {
  const auditor = i - (i % GROUP) + GROUP - 1;
  return auditor < teamCount ? auditor : undefined;
}

/**
 * The trail's alarms take two metric filters per protected workspace, and a log group holds 100,
 * so an organization of any size protects about forty: workspace A of two teams in each of
 * twenty groups spread evenly over the organization.
 */
const PROTECTED_GROUPS = 20;

function isProtectedGroup(i: number, teamCount: number): boolean {
  const stride = Math.ceil(Math.ceil(teamCount / GROUP) / PROTECTED_GROUPS);
  return Math.floor(i / GROUP) % stride === 0;
}

/**
 * Workspace A is protected for two kinds of team: admitting the team itself (kind 0, granted A)
 * or not (kind 3, granted B and C only); and always the workload roles of the team's application
 * and the group's auditor, whose `all` reaches it.
 */
function protection(i: number, account: string, teamCount: number): Raw | undefined {
  const kind = i % GROUP;
  if ((kind !== 0 && kind !== 3) || !isProtectedGroup(i, teamCount)) return undefined;
  const auditor = auditorOf(i, teamCount);
  const teams = [...(kind === 0 ? [teamName(i)] : []), ...(auditor !== undefined ? [teamName(auditor)] : [])];
  return { allowedPrincipals: [`arn:aws:iam::${account}:role/app-${teamName(i)}-*`], ...(teams.length ? { allowedTeams: teams } : {}), allowBreakGlass: true };
}

function workspaces(accounts: readonly TeamAccount[]): Raw[] {
  return accounts.flatMap(({ team: i, id }) =>
    WORKSPACE_SUFFIXES.map((suffix, s) => {
      const guarded = s === 0 ? protection(i, id, accounts.length) : undefined;
      return { id: workspaceId(i, suffix), account: id, region: REGIONS[(i + s) % REGIONS.length], ...(guarded ? { protection: guarded } : {}) };
    }),
  );
}

/**
 * A sandbox OU approves every workspace of its accounts: its auditors, granted `all`, would
 * otherwise hold grants the rule voids (a warning). The rule still denies every other workspace,
 * declared elsewhere or not, and creating one.
 */
function approvedIn(accounts: readonly TeamAccount[]): string[] {
  return accounts.flatMap(({ team: i }) => WORKSPACE_SUFFIXES.map((suffix) => workspaceId(i, suffix)));
}

function approvedWorkspaceRules(ous: readonly Ou[], accounts: readonly TeamAccount[]): Raw[] {
  return ous.flatMap((ou, k) => {
    if (!isSandbox(k, ous.length)) return [];
    const inside = accounts.filter((a) => a.ou === k);
    if (inside.length === 0) return [];
    return [{ name: `sandbox-${pad(k, 4)}`, attachTo: [ou.id], workspaces: approvedIn(inside), denyCreateWorkspace: true }];
  });
}

/** The sample's controls, each attached where its counterpart in the sample is. */
function controls(sample: Raw, ous: readonly Ou[], accounts: readonly TeamAccount[], options: ScaleOptions): Raw {
  const { protectAuditTrail, disableClaudePlatform, protectWorkspaces, ...rest } = sample.controls as Raw;
  return {
    ...rest,
    protectAuditTrail: { ...protectAuditTrail, ...(options.protectTeamRoles === false ? { protectTeamRoles: false } : {}) },
    disableClaudePlatform: { ...disableClaudePlatform, attachTo: [ous[PLATFORM_OU].id] },
    protectWorkspaces: { ...protectWorkspaces, attachTo: ous.slice(1, TOP_LEVEL_WORKLOAD_OUS + 1).map((ou) => ou.id) },
    approvedWorkspacesOnly: approvedWorkspaceRules(ous, accounts),
  };
}

/** The generated organization of `teamCount` teams (at least 10), as plain config data. */
export function scaleOrg(teamCount: number, options: ScaleOptions = {}): Raw {
  if (!Number.isInteger(teamCount) || teamCount < GROUP) throw new Error(`a scale organization needs a whole number of at least ${GROUP} teams`);
  const sample = load(readFileSync(SAMPLE_CONFIG_PATH, "utf8")) as Raw;
  const ous = organizationalUnits(Math.max(TOP_LEVEL_WORKLOAD_OUS + 1, Math.floor(teamCount / GROUP)));
  const leaves = leafOus(ous.length);
  const teamAccounts: TeamAccount[] = Array.from({ length: teamCount }, (_, i) => ({ team: i, id: accountId(i), ou: leaves[i % leaves.length] }));
  return {
    organization: {
      ...sample.organization,
      organizationalUnits: ous,
      accounts: [
        { id: MANAGEMENT, name: "management", parent: ROOT },
        { id: AUDIT, name: "audit", parent: ous[PLATFORM_OU].id },
        ...teamAccounts.map((a) => ({ id: a.id, name: `acct-${pad(a.team, 5)}`, parent: ous[a.ou].id })),
      ],
    },
    deployment: sample.deployment,
    stateBackend: sample.stateBackend,
    workspaces: workspaces(teamAccounts),
    teams: teamAccounts.map((a) => team(a.team, teamAccounts)),
    controls: controls(sample, ous, teamAccounts, options),
    auditTrail: sample.auditTrail,
  };
}

/** The same organization as the YAML a user would write. */
export function scaleOrgYaml(teamCount: number, options: ScaleOptions = {}): string {
  return dump(scaleOrg(teamCount, options), { lineWidth: -1, noRefs: true });
}
