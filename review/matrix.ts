/**
 * The access matrix the diff evaluates: for every account of the config, the principals that
 * matter × the requests that matter. Requests are every Claude Platform action (from the IAM
 * reference data) on every workspace of the account and on one the config does not list, grouped
 * into the access profiles' capabilities; bearer tokens by token type; the console by capability;
 * long-term keys; and the calls that would take the baseline apart. Principals carry their own
 * policies for one side of the diff: team roles as synthesized, everyone else an administrator.
 */
import type { BaselineConfig } from "../config/schema";
import { partitionOf } from "../config/arns";
import { Catalog, CLAUDE_SERVICE, CLAUDE_SERVICE_PRINCIPAL } from "../policies/catalog";
import { ACCESS_PROFILES } from "../policies/roles";
import { auditNames } from "../policies/trail/names";
import { ADMINISTRATOR, principalArn, type Principal, type Request } from "./evaluate";
import type { TeamRoleView } from "./synthesized";

/** One request of the matrix, the same for every principal of an account. */
export interface Probe {
  readonly action: string;
  /** The action as the diff names it: `CreateInference`, `CallWithBearerToken (SHORT_TERM)`. */
  readonly label: string;
  /** The group the diff collapses to when every member changed alike. */
  readonly capability: string;
  readonly resource: string;
  /** The workspace id the resource is, or `*` for requests on no workspace. */
  readonly workspace: string;
  readonly context?: Record<string, string>;
  /**
   * What the resource carries on each side, merged into the context there: a team role's tags,
   * which tamper protection keys on, and none on a side where the role does not exist.
   */
  readonly resourceContext?: { readonly before?: Record<string, string>; readonly after?: Record<string, string> };
  /** Only principals of this kind make the request (long-term keys belong to IAM users). */
  readonly onlyFor?: PrincipalKind;
}

export type PrincipalKind =
  "team-role" | "administrator" | "iam-user" | "long-term-key-user" | "deployment-role" | "break-glass-role" | "look-alike-role" | "admitted-role";

export interface MatrixPrincipal {
  readonly kind: PrincipalKind;
  readonly principal: Principal;
  readonly arn: string;
  /** How the diff names it. */
  readonly label: string;
  readonly identityPolicies: ReadonlyArray<{ name: string; policy: unknown }>;
  readonly permissionsBoundary?: { name: string; policy: unknown };
}

/** A workspace id no config lists: what an approved-workspaces rule or a team scope must refuse. */
export const UNLISTED_WORKSPACE = "wrkspc_NotInTheConfig";

const CAPABILITY_BEARER = "bearer tokens (API keys)";
const CAPABILITY_CONSOLE = "Claude Console";
const CAPABILITY_KEYS = "long-term API keys";
const CAPABILITY_TAMPER = "tamper with the baseline";
const CONSOLE_CAPABILITIES = ["developer", "admin"] as const;
const TOKEN_TYPES = ["SHORT_TERM", "LONG_TERM"] as const;
const REQUESTED_REGION = "aws:RequestedRegion";

function short(action: string): string {
  return action.slice(action.indexOf(":") + 1);
}

/** Claude Platform action → the first access-profile capability that holds it, or its access level. */
function capabilityOf(catalog: Catalog): (action: string) => string {
  const byAction = new Map<string, string>();
  for (const profile of Object.values(ACCESS_PROFILES)) {
    for (const capability of profile.capabilities) {
      for (const action of capability.actions) if (!byAction.has(action)) byAction.set(action, capability.sid);
    }
  }
  return (action) => byAction.get(action) ?? `other ${catalog.action(action)?.accessLevels.join("/") ?? ""} actions`.replace("  ", " ");
}

/** Workspace id → its region, for the account, across both sides' configs. */
function workspacesIn(configs: readonly BaselineConfig[], account: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const config of configs) for (const w of config.workspaces) if (w.account === account) out.set(w.id, w.region);
  out.set(UNLISTED_WORKSPACE, configs[configs.length - 1].deployment.homeRegion);
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Every Claude Platform request of the matrix in one account. */
function claudeProbes(catalog: Catalog, configs: readonly BaselineConfig[], account: string): Probe[] {
  const partition = partitionOf(configs[configs.length - 1].deployment.homeRegion);
  const capability = capabilityOf(catalog);
  const workspaces = workspacesIn(configs, account);
  // A condition on a key the request does not carry reads as absent, which a negated operator matches: set the region every call has.
  const homeRegion = { [REQUESTED_REGION]: configs[configs.length - 1].deployment.homeRegion };
  const probes: Probe[] = [];
  for (const action of catalog.actionsOf(CLAUDE_SERVICE)) {
    const name = action.name;
    if (name === `${CLAUDE_SERVICE}:CallWithBearerToken`) {
      for (const type of TOKEN_TYPES) {
        probes.push({
          action: name,
          label: `${short(name)} (${type})`,
          capability: CAPABILITY_BEARER,
          resource: "*",
          workspace: "*",
          context: { [`${CLAUDE_SERVICE}:BearerTokenType`]: type, ...homeRegion },
          ...(type === "LONG_TERM" ? { onlyFor: "long-term-key-user" as const } : {}),
        });
      }
    } else if (name === `${CLAUDE_SERVICE}:AssumeConsole`) {
      for (const c of CONSOLE_CAPABILITIES)
        probes.push({
          action: name,
          label: `${short(name)} (${c})`,
          capability: CAPABILITY_CONSOLE,
          resource: "*",
          workspace: "*",
          context: { [`${CLAUDE_SERVICE}:Capability`]: c, ...homeRegion },
        });
    } else if (action.resourceTypes.length === 0) {
      probes.push({ action: name, label: short(name), capability: capability(name), resource: "*", workspace: "*", context: homeRegion });
    } else {
      for (const [id, region] of workspaces) {
        probes.push({
          action: name,
          label: short(name),
          capability: capability(name),
          resource: `arn:${partition}:${CLAUDE_SERVICE}:${region}:${account}:workspace/${id}`,
          workspace: id,
          context: { [REQUESTED_REGION]: region },
        });
      }
    }
  }
  return probes;
}

function iamUser(partition: string, account: string, user: string): string {
  return `arn:${partition}:iam::${account}:user/${user}`;
}

/** Long-term keys: creating, resetting or re-activating a Claude Platform credential on an IAM user. */
function keyProbes(partition: string, account: string): Probe[] {
  const context = { "iam:ServiceSpecificCredentialServiceName": CLAUDE_SERVICE_PRINCIPAL, [REQUESTED_REGION]: "us-east-1" };
  return ["iam:CreateServiceSpecificCredential", "iam:ResetServiceSpecificCredential", "iam:UpdateServiceSpecificCredential"].map((action) => ({
    action,
    label: short(action),
    capability: CAPABILITY_KEYS,
    resource: iamUser(partition, account, IAM_USER),
    workspace: "*",
    context,
  }));
}

/**
 * Calls that would take the baseline apart from this account: its SCPs, leaving the organization,
 * the trail and its log group (where they live), and the roles it admits or creates here.
 */
function tamperProbes(config: BaselineConfig, account: string, teamRoles: TeamRolesBySide): Probe[] {
  const partition = partitionOf(config.deployment.homeRegion);
  const org = config.organization;
  const probe = (action: string, resource: string, context?: Record<string, string>): Probe => ({
    action,
    label: `${short(action)} ${resourceName(resource)}`,
    capability: CAPABILITY_TAMPER,
    resource,
    workspace: "*",
    ...(context ? { context } : {}),
  });
  const scp = `arn:${partition}:organizations::${org.managementAccount}:policy/${org.id}/service_control_policy/p-baseline`;
  const scpContext = { "organizations:PolicyType": "SERVICE_CONTROL_POLICY" };
  const probes = [
    probe("organizations:DetachPolicy", scp, scpContext),
    probe("organizations:UpdatePolicy", scp, scpContext),
    probe("organizations:DeletePolicy", scp, scpContext),
    probe("organizations:LeaveOrganization", "*"),
  ];
  if (config.auditTrail && config.auditTrail.account === account) {
    const names = auditNames(config, config.auditTrail);
    // An organization trail belongs to the management account, where no SCP applies; the audit account's calls on a trail of its own name are what the SCP can refuse.
    const trail = `arn:${partition}:cloudtrail:${names.region}:${account}:trail/${names.trailName}`;
    probes.push(probe("cloudtrail:StopLogging", trail), probe("cloudtrail:DeleteTrail", trail), probe("cloudtrail:PutEventSelectors", trail));
    probes.push(probe("logs:DeleteLogGroup", names.logGroupArn));
  }
  probes.push(...roleTamperProbes(`arn:${partition}:iam::${account}:role/${config.deployment.roleName}`, probe));
  const teamRoleArns = [...new Set([...teamRoles.before, ...teamRoles.after].map((role) => role.roleArn))].sort();
  for (const arn of teamRoleArns) {
    const tagsOn = (roles: readonly TeamRoleView[]) => resourceTags(roles.find((role) => role.roleArn === arn));
    const resourceContext = { before: tagsOn(teamRoles.before), after: tagsOn(teamRoles.after) };
    probes.push(...roleTamperProbes(arn, probe).map((p) => ({ ...p, resourceContext })));
  }
  return probes;
}

/** The team roles of one account on each side of the diff. */
export interface TeamRolesBySide {
  readonly before: readonly TeamRoleView[];
  readonly after: readonly TeamRoleView[];
}

function roleTamperProbes(arn: string, probe: (action: string, resource: string) => Probe): Probe[] {
  return [probe("iam:UpdateAssumeRolePolicy", arn), probe("iam:PutRolePolicy", arn), probe("iam:PassRole", arn)];
}

/** A role's tags as the request context carries them (`aws:ResourceTag/<key>`); none for a role that does not exist. */
function resourceTags(role: TeamRoleView | undefined): Record<string, string> {
  const tags = Object.entries((role?.role.tags ?? {}) as Record<string, string>);
  return Object.fromEntries(tags.map(([key, value]) => [`aws:ResourceTag/${key}`, value]));
}

function resourceName(arn: string): string {
  if (arn === "*") return "";
  const name = arn.slice(arn.lastIndexOf(":") + 1);
  return `on ${name.startsWith("policy/") ? "a baseline SCP" : name}`;
}

export const ADMIN_ROLE = "Administrator";
export const IAM_USER = "developer";
export const LONG_TERM_KEY_USER = "claude-api-key-user";
export const LOOK_ALIKE_PATH = "/lookalike/";

function administrator(kind: PrincipalKind, principal: Principal, label: string): MatrixPrincipal {
  return { kind, principal, arn: principalArn(principal), label, identityPolicies: [ADMINISTRATOR] };
}

/**
 * The principals of one account on one side: its team roles (as synthesized on that side), and
 * administrators the baseline must hold back or let through.
 */
export function principalsOf(config: BaselineConfig, account: string, teamRoles: readonly TeamRoleView[]): MatrixPrincipal[] {
  const deployer = config.deployment.roleName;
  const out: MatrixPrincipal[] = teamRoles.map((role) => ({
    kind: "team-role",
    principal: { account, role: role.roleName, ...(rolePath(role) ? { path: rolePath(role) } : {}) },
    arn: role.roleArn,
    label: `team role ${role.roleName}`,
    identityPolicies: role.identityPolicies,
    permissionsBoundary: role.permissionsBoundary,
  }));
  out.push(administrator("administrator", { account, role: ADMIN_ROLE }, `administrator (role ${ADMIN_ROLE})`));
  out.push(administrator("iam-user", { account, user: IAM_USER }, `IAM user ${IAM_USER} (administrator)`));
  out.push(administrator("long-term-key-user", { account, user: LONG_TERM_KEY_USER }, `IAM user ${LONG_TERM_KEY_USER} with a long-term API key`));
  out.push(administrator("deployment-role", { account, role: deployer }, `deployment role ${deployer}`));
  const breakGlass = /^arn:[^:]+:iam::(\d{12}):role\/(.*\/)?([^/]+)$/.exec(config.deployment.breakGlassRoleArn ?? "");
  if (breakGlass && breakGlass[1] === account) {
    out.push(
      administrator(
        "break-glass-role",
        { account, role: breakGlass[3], ...(breakGlass[2] ? { path: `/${breakGlass[2]}` } : {}) },
        `break-glass role ${breakGlass[3]}`,
      ),
    );
  }
  out.push(administrator("look-alike-role", { account, role: deployer, path: LOOK_ALIKE_PATH }, `look-alike ${LOOK_ALIKE_PATH}${deployer} (administrator)`));
  const known = new Set(out.map((p) => p.arn));
  for (const principal of admittedRoles(config, account)) {
    const made = administrator(
      "admitted-role",
      principal,
      `role ${principalArn(principal).split(":role/")[1]} (administrator; matches a pattern of the config)`,
    );
    if (!known.has(made.arn)) {
      known.add(made.arn);
      out.push(made);
    }
  }
  return out;
}

function rolePath(role: TeamRoleView): string | undefined {
  const path = typeof role.role.path === "string" ? role.role.path : "/";
  return path === "/" ? undefined : path;
}

/**
 * A concrete role in `account` for every role ARN pattern anywhere in the config (exemptions,
 * allow-lists, allowed principals, key admins, bootstrap principals): an edit to any of them then
 * changes what some principal of the matrix may do. Wildcards become a letter; a pattern for
 * another account is skipped.
 */
function admittedRoles(config: BaselineConfig, account: string): Principal[] {
  const patterns = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === "string") {
      if (/^arn:[^:]+:iam::[^:]*:role\//.test(value)) patterns.add(value);
    } else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object") Object.values(value).forEach(walk);
  };
  walk(config);
  const roles: Principal[] = [];
  for (const pattern of [...patterns].sort()) {
    const [, , , , owner, resource] = pattern.split(":");
    if (owner !== "*" && owner !== account && !/[*?]/.test(owner)) continue;
    const name = resource.slice("role/".length).replace(/[*?]/g, "x");
    const at = name.lastIndexOf("/");
    roles.push(at < 0 ? { account, role: name } : { account, role: name.slice(at + 1), path: `/${name.slice(0, at + 1)}` });
  }
  return roles;
}

/** Every request of the matrix in one account; `configs` are both sides', so neither side's workspaces or roles are missed. */
export function probesOf(catalog: Catalog, configs: readonly BaselineConfig[], account: string, teamRoles: TeamRolesBySide): Probe[] {
  const head = configs[configs.length - 1];
  const tamper = new Map(configs.flatMap((config) => tamperProbes(config, account, teamRoles)).map((p) => [`${p.action} ${p.resource}`, p]));
  return [...claudeProbes(catalog, configs, account), ...keyProbes(partitionOf(head.deployment.homeRegion), account), ...tamper.values()];
}

/** The services the probes name, for the catalogue. */
export const MATRIX_SERVICES = [CLAUDE_SERVICE, "iam", "organizations", "cloudtrail", "logs"] as const;

/** The request `who` makes for `probe`, with its own policies. */
export function requestOf(who: MatrixPrincipal, probe: Probe, side: "before" | "after"): Request {
  const context = { ...probe.context, ...probe.resourceContext?.[side] };
  return {
    principal: who.principal,
    action: probe.action,
    resource: probe.resource,
    context: Object.keys(context).length > 0 ? context : undefined,
    identityPolicies: who.identityPolicies,
    permissionsBoundary: who.permissionsBoundary,
  };
}
