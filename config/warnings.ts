/**
 * Parts of a valid config that can have no effect: an alarm that can never fire, an SCP attached
 * where SCPs do not apply, a pattern that can never match. The config still means one thing and is
 * deployed as written; a warning says which part is dead weight and how to make it count. What
 * would make a config contradict itself or lock people out is an error instead, in validate.ts.
 *
 * Pure and linear in the size of the config: the OU tree, the workspaces and the rules are indexed
 * once, and each check reads those maps.
 */
import { partitionOf } from "./arns";
import { appendTo } from "./collections";
import { coverage, type Coverage } from "./coverage";
import { arnSegments } from "./glob";
import { knownRegions, regionFields, regionPartition } from "./regions";
import type { BaselineConfig, ControlsConfig } from "./schema";
import type { Problem } from "./validate";

/** Everything in `config` that cannot take effect, each with its path and the fix. `config` must have passed validation. */
export function findWarnings(config: BaselineConfig): Problem[] {
  const warnings: Problem[] = [];
  const warn = (path: string, message: string) => warnings.push({ path, message });
  const reach = coverage(config);
  warnAccountTrailBlindSpots(config, warn);
  warnApprovedWorkspaces(config, reach, warn);
  warnManagementAccountAttachments(config, warn);
  warnUnenforcedProtection(config, reach, warn);
  warnTeamsInManagementAccount(config, reach, warn);
  warnOtherPartitionRegions(config, warn);
  warnPatternsThatCannotMatch(config, warn);
  warnDuplicateAlarmEmails(config, warn);
  warnRedundantKeyAdministrators(config, warn);
  warnObjectLock(config, warn);
  return warnings;
}

type Warn = (path: string, message: string) => void;

/**
 * An account trail records only its own account's events. Data events it is asked for, and the
 * per-workspace alarms, for workspaces of other accounts can never arrive; Organizations policy
 * changes (the scp-changes alarm) are made, and recorded, in the management account, where the
 * organization stack applies them (a delegated policy administrator's own changes aside). Not an error:
 * an account trail is a legitimate choice, and it still covers its own account.
 */
function warnAccountTrailBlindSpots(config: BaselineConfig, warn: Warn) {
  const trail = config.auditTrail;
  if (!trail || trail.organizationTrail) return;
  const accountOf = new Map(config.workspaces.map((w) => [w.id, w.account]));
  const fix = `set auditTrail.organizationTrail: true`;
  if (trail.dataEvents.workspaces !== "all") {
    trail.dataEvents.workspaces.forEach((wid, j) => {
      const account = accountOf.get(wid);
      if (account !== undefined && account !== trail.account) {
        warn(
          `auditTrail.dataEvents.workspaces[${j}]`,
          `${wid} is in account ${account}, but the account trail of ${trail.account} records only its own account's events, so none of its data events are logged; ${fix}, or drop it from the list`,
        );
      }
    });
  }
  config.workspaces.forEach((w) => {
    if (!w.protection || w.account === trail.account) return;
    warn(
      "auditTrail.organizationTrail",
      `the alarms protected-workspace-access-denied and protected-workspace-changes of ${w.id} (account ${w.account}) can never fire: the account trail of ${trail.account} does not see that account's events; ${fix}`,
    );
  });
  if (trail.account !== config.organization.managementAccount) {
    warn(
      "auditTrail.organizationTrail",
      `the alarm scp-changes cannot see the policy changes made in the management account ${config.organization.managementAccount} (where the organization stack applies them): the account trail of ${trail.account} records only its own account; ${fix}`,
    );
  }
}

/**
 * approvedWorkspacesOnly rules that say more than they can do. A team granted `all` in an account
 * a rule covers loses every declared workspace the rule does not approve (`all` means "what the
 * account may use", so the rule narrowing it is by design, but the declared workspace is then of no
 * use to the team; a grant by id is an error in validate.ts). A rule approving a workspace that
 * lives in no account the rule covers approves nothing: the service has no resource policies, so
 * only principals of the workspace's own account ever act on it. And where two rules cover one
 * account, a workspace only one of them approves stays denied there.
 */
function warnApprovedWorkspaces(config: BaselineConfig, reach: Coverage, warn: Warn) {
  const rules = config.controls.approvedWorkspacesOnly;
  if (!rules) return;
  const rulesOver = (account: string) => rules.flatMap((rule, k) => (reach.covers(rule.attachTo, account) ? [k] : []));
  const coveringRules = new Map(config.organization.accounts.map((a) => [a.id, rulesOver(a.id)]));
  const workspaceById = new Map(config.workspaces.map((w) => [w.id, w]));

  // The declared workspaces each account's rules deny, found once; a team granted `all` reads its accounts' entries.
  const blockedIn = new Map<string, Array<{ id: string; rule: number }>>();
  for (const w of config.workspaces) {
    const rule = (coveringRules.get(w.account) ?? []).find((k) => !rules[k].workspaces.includes(w.id));
    if (rule === undefined) continue;
    appendTo(blockedIn, w.account, { id: w.id, rule });
  }
  config.teams.forEach((team, i) => {
    if (team.workspaces !== "all") return;
    for (const account of new Set(team.accounts)) {
      for (const { id, rule } of blockedIn.get(account) ?? []) {
        warn(
          `teams[${i}].workspaces`,
          `team ${team.name} is granted all workspaces of account ${account}, but controls.approvedWorkspacesOnly[${rule}] does not approve ${id} there, so the team's role can never use it; add ${id} to controls.approvedWorkspacesOnly[${rule}].workspaces, or grant the team its workspaces by id`,
        );
      }
    }
  });

  rules.forEach((rule, k) =>
    rule.workspaces.forEach((wid, j) => {
      const workspace = workspaceById.get(wid);
      if (!workspace) return;
      const path = `controls.approvedWorkspacesOnly[${k}].workspaces[${j}]`;
      const covering = coveringRules.get(workspace.account) ?? [];
      if (!covering.includes(k)) {
        warn(
          path,
          `${wid} is in account ${workspace.account}, which this rule does not cover${workspace.account === reach.managementAccount ? " (SCPs never apply to the management account)" : ""}, so approving it here has no effect; attach the rule over account ${workspace.account}, or drop the workspace from the rule`,
        );
        return;
      }
      const denying = covering.find((other) => !rules[other].workspaces.includes(wid));
      if (denying !== undefined) {
        warn(
          path,
          `controls.approvedWorkspacesOnly[${denying}] also covers account ${workspace.account} and does not approve ${wid}, so it stays denied there; add it to that rule too, or merge the rules`,
        );
      }
    }),
  );
}

/** Each control as `[path, attachTo]`; a control that takes several rules yields one entry per rule. */
function attachments(controls: ControlsConfig): Array<[string, readonly string[]]> {
  return Object.entries(controls).flatMap(([id, options]): Array<[string, readonly string[]]> => {
    if (!options) return [];
    return Array.isArray(options) ? options.map((rule, i) => [`${id}[${i}]`, rule.attachTo]) : [[id, options.attachTo]];
  });
}

/**
 * An SCP attached to the management account by its id applies to nobody: SCPs never affect the
 * management account. Not an error: the attachment is harmless, and a control attached to the root
 * or an OU as well still works everywhere else.
 */
function warnManagementAccountAttachments(config: BaselineConfig, warn: Warn) {
  const management = config.organization.managementAccount;
  for (const [at, attachTo] of attachments(config.controls)) {
    attachTo.forEach((target, j) => {
      if (target !== management) return;
      warn(
        `controls.${at}.attachTo[${j}]`,
        `${management} is the management account, where SCPs have no effect, so this attachment does nothing; attach the control to the root or to OUs and member accounts, and keep workloads out of the management account`,
      );
    });
  }
}

/**
 * A protected workspace whose account controls.protectWorkspaces does not reach (the control is
 * absent, attached elsewhere, or the account is the management account) keeps its allow-list on
 * paper only: nothing denies anyone. Its alarms still fire, so it is a warning.
 */
function warnUnenforcedProtection(config: BaselineConfig, reach: Coverage, warn: Warn) {
  const control = config.controls.protectWorkspaces;
  config.workspaces.forEach((w, i) => {
    if (!w.protection || (control && reach.covers(control.attachTo, w.account))) return;
    const why = !control
      ? "there is no controls.protectWorkspaces"
      : w.account === reach.managementAccount
        ? `${w.account} is the management account, where SCPs have no effect`
        : `controls.protectWorkspaces is not attached over account ${w.account}`;
    const fix =
      w.account === reach.managementAccount
        ? "move the workspace to a member account"
        : control
          ? `attach controls.protectWorkspaces to account ${w.account} or an OU above it`
          : "add controls.protectWorkspaces attached over its account";
    warn(`workspaces[${i}].protection`, `${why}, so nothing enforces ${w.id}'s allow-list; ${fix}`);
  });
}

/**
 * A team role in the management account is created like any other, but none of the SCPs attached
 * above it applies there: not tamper protection of the role, not the protected-workspace
 * allow-lists, not the console or long-term-key limits. The role works; the guarantees do not.
 */
function warnTeamsInManagementAccount(config: BaselineConfig, reach: Coverage, warn: Warn) {
  const management = reach.managementAccount;
  const above = new Set(reach.ancestry(management));
  const controls = attachments(config.controls)
    .filter(([, attachTo]) => attachTo.some((t) => above.has(t)))
    .map(([at]) => at);
  if (controls.length === 0) return;
  config.teams.forEach((team, i) =>
    team.accounts.forEach((account, j) => {
      if (account !== management) return;
      warn(
        `teams[${i}].accounts[${j}]`,
        `${account} is the management account, where SCPs have no effect, so ${controls.join(", ")} do not hold for team ${team.name}'s role there; give the team a member account instead`,
      );
    }),
  );
}

/**
 * A region of another partition than deployment.homeRegion's: every ARN the baseline builds
 * (workspace ARNs in the trail's selectors, the SCPs' resources, the allow-lists) carries the home
 * partition, so it can never name anything there, and the organization's credentials do not reach
 * it. Unknown regions are errors in validate.ts and are skipped here.
 */
function warnOtherPartitionRegions(config: BaselineConfig, warn: Warn) {
  const known = knownRegions();
  const home = config.deployment.homeRegion;
  if (!known.has(home)) return;
  const partition = regionPartition(home);
  for (const [path, region] of regionFields(config)) {
    if (path === "deployment.homeRegion" || !known.has(region) || regionPartition(region) === partition) continue;
    warn(
      path,
      `${region} is in partition ${regionPartition(region)}, but deployment.homeRegion ${home} puts the organization in ${partition}, whose ARNs and credentials never reach it; use a region of ${partition}`,
    );
  }
}

/**
 * Principal patterns that can never match. A pattern of another partition than the organization's
 * names no principal the SCPs or policies ever see. An allowedPrincipals entry naming another
 * account than the workspace's admits nobody: Claude Platform has no resource policies, so only the
 * workspace's own account acts on it. (The break-glass role of allowBreakGlass is documented as
 * exactly that case and the default, so it is not repeated here.)
 */
function warnPatternsThatCannotMatch(config: BaselineConfig, warn: Warn) {
  const partition = partitionOf(config.deployment.homeRegion);
  const checkPartition = (path: string, pattern: string) => {
    const segments = arnSegments(pattern);
    if (segments && segments[1] !== partition) {
      warn(
        path,
        `${pattern} is in partition ${segments[1]}, but deployment.homeRegion puts the organization in ${partition}, so it can never match; write arn:${partition}:…`,
      );
    }
  };
  config.exemptions?.forEach((p, i) => checkPartition(`exemptions[${i}]`, p));
  config.deployment.bootstrapPrincipals.forEach((p, i) => checkPartition(`deployment.bootstrapPrincipals[${i}]`, p));
  checkPartition("deployment.breakGlassRoleArn", config.deployment.breakGlassRoleArn);
  config.controls.limitConsoleFederation?.allow.forEach((a, j) => checkPartition(`controls.limitConsoleFederation.allow[${j}].principal`, a.principal));
  config.controls.protectWorkspaces?.keyAdmins.forEach((p, j) => checkPartition(`controls.protectWorkspaces.keyAdmins[${j}]`, p));
  config.auditTrail?.logReaders.forEach((p, j) => checkPartition(`auditTrail.logReaders[${j}]`, p));
  config.auditTrail?.keyAdministrators.forEach((p, j) => checkPartition(`auditTrail.keyAdministrators[${j}]`, p));
  config.workspaces.forEach((w, i) =>
    w.protection?.allowedPrincipals.forEach((p, j) => {
      const path = `workspaces[${i}].protection.allowedPrincipals[${j}]`;
      checkPartition(path, p);
      const account = arnSegments(p)?.[4];
      if (account !== undefined && account !== "*" && account !== w.account) {
        warn(
          path,
          `${p} is a principal of account ${account}, but ${w.id} is in account ${w.account} and Claude Platform has no resource policies, so it can never act on the workspace; name the role it assumes in account ${w.account}`,
        );
      }
    }),
  );
}

/**
 * An alarm address listed twice is one SNS subscription (the audit plan keeps each address once),
 * so the second entry does nothing. Not an error: nothing is lost. Addresses that differ only in
 * letter case reach the same mailbox with two subscriptions, so every alarm arrives twice.
 */
function warnDuplicateAlarmEmails(config: BaselineConfig, warn: Warn) {
  const emails = config.auditTrail?.alarms.email ?? [];
  const seen = new Map<string, number>();
  emails.forEach((email, j) => {
    const key = email.toLowerCase();
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, j);
      return;
    }
    const same = emails[first] === email;
    warn(
      `auditTrail.alarms.email[${j}]`,
      same
        ? `${email} is already listed at auditTrail.alarms.email[${first}], and one address is one subscription; remove the repeat`
        : `${email} differs from auditTrail.alarms.email[${first}] (${emails[first]}) only in letter case, so the same mailbox gets every alarm twice; keep one`,
    );
  });
}

/**
 * A key administrator listed twice, or naming the deployment role or the break-glass role (which
 * always administer the trail and alarm keys), adds nobody: the key policy lists each role once.
 */
function warnRedundantKeyAdministrators(config: BaselineConfig, warn: Warn) {
  const trail = config.auditTrail;
  if (!trail) return;
  const always = new Map([
    [`arn:${partitionOf(config.deployment.homeRegion)}:iam::${trail.account}:role/${config.deployment.roleName}`, "the deployment role"],
    [config.deployment.breakGlassRoleArn, "deployment.breakGlassRoleArn"],
  ]);
  const seen = new Map<string, number>();
  trail.keyAdministrators.forEach((arn, j) => {
    const path = `auditTrail.keyAdministrators[${j}]`;
    const first = seen.get(arn);
    const role = always.get(arn);
    if (role) warn(path, `${arn} is ${role}, which always administers the trail and alarm keys; remove it here`);
    else if (first !== undefined) warn(path, `${arn} is already listed at auditTrail.keyAdministrators[${first}]; remove the repeat`);
    else seen.set(arn, j);
  });
}

/**
 * Object Lock settings that do more than they seem to. A lock longer than the lifecycle: S3
 * lifecycle cannot delete a locked version, so every log file is kept (and billed) until its lock
 * ends, and logLifecycleDays means nothing before then. Compliance mode cannot be undone by anyone.
 */
function warnObjectLock(config: BaselineConfig, warn: Warn) {
  const trail = config.auditTrail;
  const lock = trail?.objectLock;
  if (!trail || !lock) return;
  if (lock.retentionDays > trail.logLifecycleDays) {
    warn(
      "auditTrail.objectLock.retentionDays",
      `each log file is locked for ${lock.retentionDays} days, longer than auditTrail.logLifecycleDays (${trail.logLifecycleDays}), and S3 lifecycle cannot delete a locked version, so every log file is kept, and billed, for at least ${lock.retentionDays} days; lower retentionDays to ${trail.logLifecycleDays} or less, or raise logLifecycleDays to ${lock.retentionDays} to say what is kept`,
    );
  }
  if (lock.mode === "compliance") {
    warn(
      "auditTrail.objectLock.mode",
      `compliance mode is irreversible: for ${lock.retentionDays} days after it is written, nobody (not the deployment role, the break-glass role or the account's root user) can delete a log file version or shorten its lock, the bucket cannot be deleted before the last lock ends, and Object Lock stays on the bucket for good; use governance unless a regulation requires compliance`,
    );
  }
}
