/**
 * Meaning checks on a config whose shape is already valid: every reference resolves, the OU
 * placement forms a tree, names are unique, and what a team is granted agrees with what the
 * workspaces admit. Every problem is collected; nothing stops at the first.
 */
import { partitionOf, teamRoleArn } from "./arns";
import { appendTo } from "./collections";
import { coverage, type Coverage } from "./coverage";
import { arnSegments, globMatches } from "./glob";
import { snakeCase } from "./identifiers";
import { knownRegions, nearestRegions, regionFields, regionPartition } from "./regions";
import type { BaselineConfig, ControlsConfig } from "./schema";

export interface Problem {
  /** Where in the config, as `teams[1].workspaces[0]`. */
  readonly path: string;
  /** What is wrong and how to fix it, in one sentence. */
  readonly message: string;
}

export function validateMeaning(config: BaselineConfig): Problem[] {
  const problems: Problem[] = [];
  const report = (path: string, message: string) => problems.push({ path, message });
  checkOrganization(config, report);
  checkReferences(config, report);
  checkTeamsAgainstProtection(config, report);
  checkTeamRoles(config, report);
  checkControls(config.controls, targetIds(config), report);
  checkControlPrerequisites(config, report);
  checkRegions(config, report);
  checkProtectionAdmitsSomeone(config, report);
  // What a control reaches is read from the OU tree; with the tree itself wrong, those answers would be noise.
  if (!problems.some((p) => p.path.startsWith("organization."))) {
    const reach = coverage(config);
    checkApprovedWorkspaceGrants(config, reach, report);
    checkDisabledTeamAccounts(config, reach, report);
  }
  return problems;
}

type Report = (path: string, message: string) => void;

function targetIds(config: BaselineConfig): Set<string> {
  const org = config.organization;
  return new Set([org.root.id, ...org.organizationalUnits.map((ou) => ou.id), ...org.accounts.map((a) => a.id)]);
}

/** Each item whose key an earlier item already has, with that earlier item's index. */
function* repeatedKeys<T>(items: readonly T[], key: (item: T) => string): Generator<{ key: string; index: number; first: number }> {
  const seen = new Map<string, number>();
  for (const [index, item] of items.entries()) {
    const k = key(item);
    const first = seen.get(k);
    if (first === undefined) seen.set(k, index);
    else yield { key: k, index, first };
  }
}

function reportDuplicates<T>(items: readonly T[], key: (item: T) => string, path: (index: number) => string, what: string, report: Report) {
  for (const { key: k, index, first } of repeatedKeys(items, key)) {
    report(path(index), `${what} ${JSON.stringify(k)} is already used at ${path(first)}; give each one a unique value`);
  }
}

function checkOrganization(config: BaselineConfig, report: Report) {
  const org = config.organization;
  const rootSuffix = org.root.id.slice(2);
  const ouIds = new Set(org.organizationalUnits.map((ou) => ou.id));
  const parents = new Set([org.root.id, ...ouIds]);

  reportDuplicates(
    org.organizationalUnits,
    (ou) => ou.id,
    (i) => `organization.organizationalUnits[${i}].id`,
    "OU id",
    report,
  );
  reportDuplicates(
    org.organizationalUnits,
    (ou) => `${ou.parent}/${ou.name}`,
    (i) => `organization.organizationalUnits[${i}].name`,
    "OU name under the same parent",
    report,
  );
  reportDuplicates(
    org.accounts,
    (a) => a.id,
    (i) => `organization.accounts[${i}].id`,
    "account id",
    report,
  );
  reportDuplicates(
    org.accounts,
    (a) => a.name,
    (i) => `organization.accounts[${i}].name`,
    "account name",
    report,
  );

  org.organizationalUnits.forEach((ou, i) => {
    if (!ou.id.startsWith(`ou-${rootSuffix}-`)) {
      report(
        `organization.organizationalUnits[${i}].id`,
        `${JSON.stringify(ou.id)} does not belong to root ${org.root.id}; OU ids of this organization start with ou-${rootSuffix}-`,
      );
    }
    if (!parents.has(ou.parent)) {
      report(
        `organization.organizationalUnits[${i}].parent`,
        `${JSON.stringify(ou.parent)} is neither the root (${org.root.id}) nor an OU listed in organization.organizationalUnits; use one of those ids`,
      );
    }
  });
  reportOuCycles(config, report);

  org.accounts.forEach((account, i) => {
    if (!parents.has(account.parent)) {
      report(
        `organization.accounts[${i}].parent`,
        `${JSON.stringify(account.parent)} is neither the root (${org.root.id}) nor an OU listed in organization.organizationalUnits; use one of those ids`,
      );
    }
  });
  if (!org.accounts.some((a) => a.id === org.managementAccount)) {
    report("organization.managementAccount", `account ${org.managementAccount} is not listed in organization.accounts; add it there (usually under the root)`);
  }
}

function reportOuCycles(config: BaselineConfig, report: Report) {
  const org = config.organization;
  const parentOf = new Map(org.organizationalUnits.map((ou) => [ou.id, ou.parent]));
  org.organizationalUnits.forEach((ou, i) => {
    const seen = new Set<string>([ou.id]);
    for (let at = parentOf.get(ou.id); at !== undefined && at !== org.root.id; at = parentOf.get(at)) {
      if (seen.has(at)) {
        report(`organization.organizationalUnits[${i}].parent`, `OU ${ou.id} is its own ancestor; OU parents must form a tree under ${org.root.id}`);
        return;
      }
      seen.add(at);
    }
  });
}

function checkReferences(config: BaselineConfig, report: Report) {
  const accounts = new Set(config.organization.accounts.map((a) => a.id));
  const accountRef = (path: string, account: string) => {
    if (!accounts.has(account)) report(path, `account ${account} is not in organization.accounts; add it there or use an account of this organization`);
  };
  const workspaces = new Map(config.workspaces.map((w) => [w.id, w]));
  const teams = new Map(config.teams.map((t) => [t.name, t]));
  const workspaceRef = (path: string, workspace: string) => {
    if (!workspaces.has(workspace)) report(path, `workspace ${workspace} is not in workspaces; declare it there with its account and region`);
  };

  accountRef("deployment.breakGlassRoleArn", config.deployment.breakGlassRoleArn.split(":")[4]);
  reportDuplicates(
    config.workspaces,
    (w) => w.id,
    (i) => `workspaces[${i}].id`,
    "workspace id",
    report,
  );
  config.workspaces.forEach((w, i) => {
    accountRef(`workspaces[${i}].account`, w.account);
    w.protection?.allowedTeams.forEach((name, j) => {
      const team = teams.get(name);
      const path = `workspaces[${i}].protection.allowedTeams[${j}]`;
      if (!team) report(path, `team ${JSON.stringify(name)} is not in teams; use the name of a team`);
      else if (!team.accounts.includes(w.account))
        report(path, `team ${name} has no role in account ${w.account}, where ${w.id} lives; add the account to the team or remove the team here`);
    });
  });

  reportDuplicates(
    config.teams,
    (t) => t.name,
    (i) => `teams[${i}].name`,
    "team name",
    report,
  );
  // Each team's role ARN is an output named after the team, snake_case: `payments-` would take `payments`'s.
  for (const { key: output, index: i, first } of repeatedKeys(config.teams, (t) => `team_role_arn_${snakeCase(t.name)}`)) {
    const [name, other] = [config.teams[i].name, config.teams[first].name];
    if (name === other) continue; // the same name, reported above
    report(
      `teams[${i}].name`,
      `team ${JSON.stringify(name)} and team ${JSON.stringify(other)} (teams[${first}]) would share the output ${output}; rename one (no doubled or trailing hyphens)`,
    );
  }
  const roleOwners = new Map<string, string>();
  config.teams.forEach((team, i) => {
    team.accounts.forEach((account, j) => {
      accountRef(`teams[${i}].accounts[${j}]`, account);
      const arn = teamRoleArn(partitionOf(config.deployment.homeRegion), team.roleName, account);
      const owner = roleOwners.get(arn);
      if (owner) report(`teams[${i}].roleName`, `role ${team.roleName} in account ${account} is already team ${owner}'s; give each team its own role name`);
      else roleOwners.set(arn, team.name);
    });
    if (team.workspaces === "all") return;
    team.workspaces.forEach((wid, j) => {
      const path = `teams[${i}].workspaces[${j}]`;
      const workspace = workspaces.get(wid);
      if (!workspace) workspaceRef(path, wid);
      else if (!team.accounts.includes(workspace.account)) {
        report(
          path,
          `workspace ${wid} is in account ${workspace.account}, which is not one of team ${team.name}'s accounts; add the account to teams[${i}].accounts or drop the workspace`,
        );
      }
    });
  });

  config.controls.approvedWorkspacesOnly?.forEach((rule, i) =>
    rule.workspaces.forEach((wid, j) => workspaceRef(`controls.approvedWorkspacesOnly[${i}].workspaces[${j}]`, wid)),
  );
  const trail = config.auditTrail;
  if (trail) {
    accountRef("auditTrail.account", trail.account);
    if (trail.dataEvents.workspaces !== "all") {
      trail.dataEvents.workspaces.forEach((wid, j) => workspaceRef(`auditTrail.dataEvents.workspaces[${j}]`, wid));
    }
    trail.keyAdministrators.forEach((arn, j) => accountRef(`auditTrail.keyAdministrators[${j}]`, arn.split(":")[4]));
    checkReplication(trail, report);
  }
}

/**
 * S3 encrypts each copy with a key of the destination bucket's region, and a bucket cannot be its
 * own replication destination: either would leave the archive with no copy at all.
 */
function checkReplication(trail: NonNullable<BaselineConfig["auditTrail"]>, report: Report) {
  const replication = trail.replication;
  if (!replication) return;
  const keyRegion = replication.destinationKeyArn.split(":")[3];
  if (keyRegion !== replication.destinationRegion) {
    report(
      "auditTrail.replication.destinationKeyArn",
      `the key is in ${keyRegion}, but the destination bucket is in ${replication.destinationRegion} (destinationRegion), and S3 encrypts copies only with a key of the bucket's region; use a key of ${replication.destinationRegion}`,
    );
  }
  const logBucket = trail.bucketName ?? `${trail.name}-logs-${trail.account}`;
  if (replication.destinationBucket === logBucket) {
    report("auditTrail.replication.destinationBucket", `${logBucket} is the log bucket itself; name a bucket in another account or region`);
  }
}

/** A team granted a protected workspace must be admitted by that workspace's allow-list. */
function checkTeamsAgainstProtection(config: BaselineConfig, report: Report) {
  const partition = partitionOf(config.deployment.homeRegion);
  const position = new Map(config.workspaces.map((w, k) => [w.id, k]));
  const protectedById = new Map(config.workspaces.filter((w) => w.protection).map((w) => [w.id, w]));
  // Indexed once, so a team granted `all` reads only its own accounts' protected workspaces.
  const protectedIn = new Map<string, string[]>();
  for (const w of protectedById.values()) appendTo(protectedIn, w.account, w.id);
  config.teams.forEach((team, i) => {
    const accounts = new Set(team.accounts);
    const granted =
      team.workspaces === "all"
        ? [...accounts].flatMap((account) => protectedIn.get(account) ?? []).sort((a, b) => position.get(a)! - position.get(b)!)
        : team.workspaces;
    granted.forEach((wid) => {
      const workspace = protectedById.get(wid);
      const protection = workspace?.protection;
      if (!workspace || !protection || !accounts.has(workspace.account)) return;
      const arn = teamRoleArn(partition, team.roleName, workspace.account);
      const admitted = protection.allowedTeams.includes(team.name) || protection.allowedPrincipals.some((p) => globMatches(p, arn));
      if (!admitted) {
        const where = team.workspaces === "all" ? `teams[${i}].workspaces` : `teams[${i}].workspaces[${team.workspaces.indexOf(wid)}]`;
        report(
          where,
          `team ${team.name} is granted protected workspace ${wid}, but its role ${arn} is not on the workspace's allow-list; add the team to workspaces[${position.get(wid)}].protection.allowedTeams or a matching pattern to allowedPrincipals`,
        );
      }
    });
  });
}

/**
 * What a team role could never do as configured: an account where none of its workspaces lives
 * (its profiles would apply to nothing there), a role named like the deployment or break-glass
 * role, or a console grant that limitConsoleFederation denies in one of its accounts.
 */
function checkTeamRoles(config: BaselineConfig, report: Report) {
  const accountOf = new Map(config.workspaces.map((w) => [w.id, w.account]));
  const breakGlassName = config.deployment.breakGlassRoleArn.split("/").pop();
  const plan = config.deployment.planRoleName;
  if (plan !== undefined && (plan === config.deployment.roleName || plan === breakGlassName)) {
    report(
      "deployment.planRoleName",
      `${plan} is also the ${plan === config.deployment.roleName ? "deployment" : "break-glass"} role; pull-request plans need a read-only role of their own (README, Pull-request review)`,
    );
  }
  if (plan !== undefined && config.teams.some((t) => t.roleName === plan)) {
    report("deployment.planRoleName", `${plan} is a team role's name; pull-request plans need a read-only role of their own`);
  }
  // The OU tree indexed once, on first use, not once per team with the console.
  let tree: Coverage | undefined;
  const reach = () => (tree ??= coverage(config));
  config.teams.forEach((team, i) => {
    if (team.roleName === config.deployment.roleName || team.roleName === breakGlassName) {
      const which = team.roleName === config.deployment.roleName ? "deployment.roleName" : "deployment.breakGlassRoleArn";
      report(`teams[${i}].roleName`, `${team.roleName} is the name of the role in ${which}; give team ${team.name} a role of its own`);
    }
    if (team.workspaces !== "all") {
      if (team.workspaces.length === 0) {
        report(`teams[${i}].workspaces`, `lists no workspace, so team ${team.name}'s profiles would apply to nothing; list its workspaces or use all`);
      } else {
        const used = new Set(team.workspaces.map((w) => accountOf.get(w)));
        team.accounts.forEach((account, j) => {
          if (!used.has(account)) {
            report(
              `teams[${i}].accounts[${j}]`,
              `none of team ${team.name}'s workspaces is in account ${account}, so its role there could do nothing; add a workspace of that account to teams[${i}].workspaces, use all, or drop the account`,
            );
          }
        });
      }
    }
    checkTeamConsole(config, team, i, reach, report);
  });
}

/** A team given the console must be admitted, with that capability, wherever limitConsoleFederation covers its accounts. */
function checkTeamConsole(config: BaselineConfig, team: BaselineConfig["teams"][number], index: number, reach: () => Coverage, report: Report) {
  const limit = config.controls.limitConsoleFederation;
  const capability = team.console;
  if (!limit || capability === "none") return;
  const partition = partitionOf(config.deployment.homeRegion);
  for (const account of team.accounts) {
    // SCPs do not apply to the management account (covers() says so): a team role there is never denied the console.
    if (!reach().covers(limit.attachTo, account)) continue;
    const arn = teamRoleArn(partition, team.roleName, account);
    const admitted = limit.allow.some((entry) => entry.capabilities.includes(capability) && globMatches(entry.principal, arn));
    if (!admitted) {
      report(
        `teams[${index}].console`,
        `team ${team.name} is given the console as ${capability}, but controls.limitConsoleFederation denies ${arn} that capability; add the role to controls.limitConsoleFederation.allow with ${capability}, or set console: none`,
      );
      return;
    }
  }
}

/** Each control as `[path, options]`; a control that takes several rules yields one entry per rule. */
function controlInstances(controls: ControlsConfig): Array<[string, { attachTo: readonly string[] }]> {
  return Object.entries(controls).flatMap(([id, options]): Array<[string, { attachTo: readonly string[] }]> => {
    if (!options) return [];
    return Array.isArray(options) ? options.map((rule, i) => [`${id}[${i}]`, rule]) : [[id, options]];
  });
}

/**
 * A rule's name stands for it in messages and the synth summary (`approvedWorkspacesOnly[sandbox-only]`),
 * so two rules of one list may not share one.
 */
function checkRuleNames(controls: ControlsConfig, report: Report) {
  for (const [id, rules] of Object.entries(controls)) {
    if (!Array.isArray(rules)) continue;
    const named = (rules as ReadonlyArray<{ name?: string }>).flatMap((rule, i) => (rule.name === undefined ? [] : [{ name: rule.name, i }]));
    reportDuplicates(
      named,
      (rule) => rule.name,
      (j) => `controls.${id}[${named[j].i}].name`,
      "rule name",
      report,
    );
  }
}

function checkControls(controls: ControlsConfig, targets: Set<string>, report: Report) {
  checkRuleNames(controls, report);
  for (const [at, control] of controlInstances(controls)) {
    control.attachTo.forEach((target, j) => {
      if (!targets.has(target)) {
        report(`controls.${at}.attachTo[${j}]`, `${target} is not the root, an OU or an account of this organization; use an id from the organization section`);
      }
    });
    reportDuplicates(
      control.attachTo,
      (t) => t,
      (j) => `controls.${at}.attachTo[${j}]`,
      "target",
      report,
    );
  }
  const ruleOf = new Map<string, number>();
  controls.approvedWorkspacesOnly?.forEach((rule, i) =>
    rule.attachTo.forEach((target, j) => {
      const other = ruleOf.get(target);
      if (other !== undefined && other !== i) {
        report(
          `controls.approvedWorkspacesOnly[${i}].attachTo[${j}]`,
          `${target} already has approved workspaces from controls.approvedWorkspacesOnly[${other}]; two lists on one target would allow only the workspaces in both, so merge them into one rule`,
        );
      } else ruleOf.set(target, i);
    }),
  );
}

/** Controls that need something else in the config to mean anything. */
function checkControlPrerequisites(config: BaselineConfig, report: Report) {
  const { controls } = config;
  if (controls.protectWorkspaces && !config.workspaces.some((w) => w.protection)) {
    report(
      "controls.protectWorkspaces",
      "no workspace has protection, so the control would deny nothing; add protection to a workspace in workspaces, or remove the control",
    );
  }
  if (controls.protectAuditTrail && !config.auditTrail) {
    report(
      "controls.protectAuditTrail",
      "there is no auditTrail section naming the trail, log group and bucket to protect; add auditTrail, or remove the control",
    );
  }
  const rules = controls.workspaceCreationRules;
  if (rules && !rules.requireCustomerManagedKey && rules.requiredTags.length === 0 && !rules.allowedRegions) {
    report("controls.workspaceCreationRules", "sets no rule; set requireCustomerManagedKey, requiredTags or allowedRegions, or remove the control");
  }
  config.exemptions?.forEach((pattern, i) => {
    if (/[*?]/.test(arnSegments(pattern)?.[5] ?? "")) {
      report(
        `exemptions[${i}]`,
        `${pattern} has a wildcard in the role or user name, which would also exempt any role whose path starts with that text; list exact names (the account may stay *)`,
      );
    }
  });
  // An empty list is not "no rule": the SCP's StringNotEquals over no region denies every CreateWorkspace.
  if (rules?.allowedRegions?.length === 0) {
    report(
      "controls.workspaceCreationRules.allowedRegions",
      "lists no region, which would deny every CreateWorkspace; list the regions, remove allowedRegions, or to forbid creating workspaces set denyCreateWorkspace on a controls.approvedWorkspacesOnly rule",
    );
  }
  const trail = config.auditTrail;
  // CloudTrail refuses a field selector with no value; an empty list does not mean "every event".
  if (trail?.dataEvents.eventNames?.length === 0) {
    report("auditTrail.dataEvents.eventNames", "lists no event name; remove eventNames to record every event, or list the events to record");
  }
  if (trail && !trail.bucketName && `${trail.name}-logs-${trail.account}`.length > 63) {
    report(
      "auditTrail.bucketName",
      `the default bucket name ${trail.name}-logs-${trail.account} is over 63 characters; set bucketName, or shorten auditTrail.name`,
    );
  }
}

/**
 * A region no AWS list knows (`us-west-9`) is an error: every resource, ARN and condition built
 * from it would name a place that does not exist. Checked against @aws-cdk/region-info (regions.ts),
 * not a pattern, so a new region is accepted the day the pinned list has it. A home region whose
 * partition (`aws-iso`, …) this baseline does not build ARNs for is an error too: every ARN would
 * say `aws`.
 */
function checkRegions(config: BaselineConfig, report: Report) {
  const known = knownRegions();
  for (const [path, region] of regionFields(config)) {
    if (!known.has(region)) {
      report(path, `${region} is not an AWS region; use a real one (nearest: ${nearestRegions(region).join(", ")})`);
    }
  }
  const home = config.deployment.homeRegion;
  if (known.has(home) && regionPartition(home) !== partitionOf(home)) {
    report(
      "deployment.homeRegion",
      `${home} is in partition ${regionPartition(home)}, but this baseline builds ARNs only for aws, aws-cn and aws-us-gov; use a region of one of those partitions`,
    );
  }
}

/**
 * A protected workspace with an empty allow-list is an error, not a way to lock a workspace: the
 * deny's `ArnNotLike` list would hold nobody (or only the exemptions), so every principal, the
 * deployment role and any break-glass procedure included, is refused for good. Locking a workspace
 * on purpose has tools that say so.
 */
function checkProtectionAdmitsSomeone(config: BaselineConfig, report: Report) {
  const exempt = config.controls.protectWorkspaces?.exempt === true;
  config.workspaces.forEach((w, i) => {
    const p = w.protection;
    if (!p || p.allowedPrincipals.length > 0 || p.allowedTeams.length > 0 || p.allowBreakGlass) return;
    report(
      `workspaces[${i}].protection`,
      `admits nobody (no allowedPrincipals, no allowedTeams, allowBreakGlass: false), so controls.protectWorkspaces would deny every action on ${w.id} to ${exempt ? "everyone but the exemptions" : "everyone, the deployment role included"}; list who may use it, or to make it unusable on purpose set allowBreakGlass: true (only the break-glass role) or leave it out of a controls.approvedWorkspacesOnly rule covering account ${w.account}`,
    );
  });
}

/** The principals `exempt: true` exempts (policies/scp/control.ts#exemptPrincipals says the same). */
function exemptionsOf(config: BaselineConfig): readonly string[] {
  return config.exemptions ?? [`arn:${partitionOf(config.deployment.homeRegion)}:iam::*:role/${config.deployment.roleName}`];
}

/**
 * A workspace granted to a team by id, in an account an approvedWorkspacesOnly rule covers, that
 * the rule does not approve, is an error: the config says both "this team uses it" and "nobody in
 * that account uses it", and the SCP wins, so the grant is a lie. (A grant by `all` is a warning,
 * in warnings.ts: `all` means "whatever the account may use", and the rule narrows it as designed.)
 */
function checkApprovedWorkspaceGrants(config: BaselineConfig, reach: Coverage, report: Report) {
  const rules = config.controls.approvedWorkspacesOnly;
  if (!rules) return;
  const accountOf = new Map(config.workspaces.map((w) => [w.id, w.account]));
  const partition = partitionOf(config.deployment.homeRegion);
  const exemptions = exemptionsOf(config);
  config.teams.forEach((team, i) => {
    if (team.workspaces === "all") return;
    team.workspaces.forEach((wid, j) => {
      const account = accountOf.get(wid);
      if (account === undefined) return;
      const role = teamRoleArn(partition, team.roleName, account);
      rules.forEach((rule, k) => {
        const target = reach.reachingTarget(rule.attachTo, account);
        if (target === undefined || rule.workspaces.includes(wid)) return;
        if (rule.exempt && exemptions.some((p) => globMatches(p, role))) return;
        report(
          `teams[${i}].workspaces[${j}]`,
          `team ${team.name} is granted ${wid}, but controls.approvedWorkspacesOnly[${k}] (attached to ${target}, over account ${account}) does not approve it, so ${role} is denied every action on it; add ${wid} to controls.approvedWorkspacesOnly[${k}].workspaces, or drop it from the team`,
        );
      });
    });
  });
}

/**
 * A team account that disableClaudePlatform covers is an error: the team's role there could call
 * nothing, which contradicts giving the team that account.
 */
function checkDisabledTeamAccounts(config: BaselineConfig, reach: Coverage, report: Report) {
  const disable = config.controls.disableClaudePlatform;
  if (!disable) return;
  const partition = partitionOf(config.deployment.homeRegion);
  const exemptions = exemptionsOf(config);
  config.teams.forEach((team, i) =>
    team.accounts.forEach((account, j) => {
      const target = reach.reachingTarget(disable.attachTo, account);
      if (target === undefined) return;
      const role = teamRoleArn(partition, team.roleName, account);
      if (disable.exempt && exemptions.some((p) => globMatches(p, role))) return;
      report(
        `teams[${i}].accounts[${j}]`,
        `controls.disableClaudePlatform (attached to ${target}) turns Claude Platform off in account ${account}, so team ${team.name}'s role there could do nothing; drop the account from the team, or attach disableClaudePlatform where the team has no role`,
      );
    }),
  );
}
