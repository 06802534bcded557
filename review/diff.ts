/**
 * The effective-access diff: evaluates the access matrix (review/matrix.ts) on two synthesized
 * baselines and keeps what changed. Both sides are judged by the same evaluator on the same
 * requests; an (account, principal) whose SCP chain and policies are identical on both sides
 * cannot change and is not evaluated again.
 */
import * as path from "node:path";
import type { BaselineConfig } from "../config/schema";
import { compareStrings } from "../policies/document";
import type { Catalog } from "../policies/catalog";
import { chainFor, evaluate, type Evaluation } from "./evaluate";
import { principalsOf, probesOf, requestOf, type MatrixPrincipal, type PrincipalKind, type Probe } from "./matrix";
import { chainFromAttachments, scpsByTarget, stackAccount, teamRoles, type ChainLevel, type TeamRoleView, type TerraformJson } from "./synthesized";

/** One synthesized baseline: its config and its stacks, by name. */
export interface Side {
  readonly config: BaselineConfig;
  readonly stacks: ReadonlyMap<string, TerraformJson>;
}

export type Access = "Allowed" | "Denied";

export interface Change {
  readonly account: string;
  readonly principal: string;
  readonly principalLabel: string;
  readonly principalKind: PrincipalKind;
  readonly action: string;
  readonly actionLabel: string;
  readonly capability: string;
  readonly resource: string;
  readonly workspace: string;
  readonly before: Access;
  readonly after: Access;
  /** What decided the result after the change, and before it. */
  readonly decidedBy: string[];
  readonly decidedByBefore: string[];
}

export interface AccountNote {
  readonly account: string;
  readonly note: string;
}

export interface AccessDiff {
  readonly changes: Change[];
  /**
   * Every policy statement (SCPs, by Sid) and policy document (anything else, by address) that
   * differs between the sides, whether or not the matrix saw an effect: a reviewer reads these
   * where the verdict finds none.
   */
  readonly policyChanges: string[];
  /** Per account, every request label of each capability and workspace: what "all of it changed" means. */
  readonly probes: ReadonlyMap<string, readonly Probe[]>;
  readonly accountNames: ReadonlyMap<string, string>;
  /** Accounts the diff could not compare request by request (added to or removed from the config). */
  readonly notes: AccountNote[];
  readonly evaluated: number;
}

/** What one side knows of one account. */
interface AccountView {
  readonly organizationId: string;
  readonly chain: ChainLevel[];
  readonly principals: ReadonlyMap<string, MatrixPrincipal>;
  readonly teamRoles: readonly TeamRoleView[];
}

const ABSENT: Evaluation = { result: "ImplicitlyDenied", deniedBy: [], decidedBy: ["the role does not exist on this side"] };

function accountView(side: Side, account: string): AccountView | undefined {
  const config = side.config;
  if (!config.organization.accounts.some((a) => a.id === account)) return undefined;
  const organization = side.stacks.get("organization");
  if (!organization) throw new Error("the synthesized output has no organization stack");
  // SCPs do not apply to the management account. Without FullAWSAccess the organization allows
  // through SCPs of its own, which the baseline does not know: stand in for them with allow-all,
  // so the baseline's denies are what is compared.
  const chain =
    account === config.organization.managementAccount
      ? []
      : chainFromAttachments({ ...config, organization: { ...config.organization, fullAwsAccessAttached: true } }, scpsByTarget(organization), account);
  const roles = [...side.stacks.entries()]
    .filter(([name, stack]) => name.startsWith("roles-") && stackAccount(stack) === account)
    .flatMap(([, stack]) => teamRoles(stack));
  return { organizationId: config.organization.id, chain, teamRoles: roles, principals: new Map(principalsOf(config, account, roles).map((p) => [p.arn, p])) };
}

function access(e: Evaluation): Access {
  return e.result === "Allowed" ? "Allowed" : "Denied";
}

/**
 * Everything a principal's decisions depend on: the SCPs, its own policies, and the account's team
 * roles with their tags (the resources the tamper probes ask about, which tamper protection
 * recognizes by tag: adding a team changes what administrators may do to its role, not the SCPs).
 */
function fingerprint(view: AccountView, principal: MatrixPrincipal | undefined): string {
  const teamRoles = view.teamRoles.map((role) => [role.roleArn, role.role.tags ?? null]);
  return JSON.stringify([view.organizationId, view.chain, teamRoles, principal?.identityPolicies ?? null, principal?.permissionsBoundary ?? null]);
}

/**
 * One principal of one account to evaluate on both sides: plain data, so a worker thread can take
 * it. `before`/`after` are absent where the principal is not on that side.
 */
export interface Task {
  readonly account: string;
  readonly defined: MatrixPrincipal;
  readonly before?: MatrixPrincipal;
  readonly after?: MatrixPrincipal;
  readonly beforeChain: ChainLevel[];
  readonly afterChain: ChainLevel[];
  readonly beforeOrg: string;
  readonly afterOrg: string;
  readonly probes: readonly Probe[];
}

async function evaluateOn(
  chain: ChainLevel[],
  principal: MatrixPrincipal | undefined,
  fallback: MatrixPrincipal,
  probe: Probe,
  orgId: string,
  side: "before" | "after",
): Promise<Evaluation> {
  if (!principal && fallback.kind === "team-role") return ABSENT;
  return evaluate(chain, requestOf(principal ?? fallback, probe, side), orgId);
}

/** `chainFor`, computed once per action: the probes ask each action on several workspaces. */
function prunedChains(chain: ChainLevel[]): (action: string) => ChainLevel[] {
  const byAction = new Map<string, ChainLevel[]>();
  return (action) => {
    let pruned = byAction.get(action);
    if (!pruned) {
      pruned = chainFor(chain, action);
      byAction.set(action, pruned);
    }
    return pruned;
  };
}

/** Every request of the task on both sides; the changes, in probe order. */
export async function evaluateTask(task: Task): Promise<{ changes: Change[]; evaluated: number }> {
  const changes: Change[] = [];
  let evaluated = 0;
  const { defined } = task;
  const [beforeChain, afterChain] = [prunedChains(task.beforeChain), prunedChains(task.afterChain)];
  for (const probe of task.probes) {
    if (probe.onlyFor && probe.onlyFor !== defined.kind) continue;
    const then = await evaluateOn(beforeChain(probe.action), task.before, defined, probe, task.beforeOrg, "before");
    const later = await evaluateOn(afterChain(probe.action), task.after, defined, probe, task.afterOrg, "after");
    evaluated += 2;
    if (access(then) === access(later)) continue;
    changes.push({
      account: task.account,
      principal: defined.arn,
      principalLabel: defined.label,
      principalKind: defined.kind,
      action: probe.action,
      actionLabel: probe.label,
      capability: probe.capability,
      resource: probe.resource,
      workspace: probe.workspace,
      before: access(then),
      after: access(later),
      decidedBy: later.decidedBy,
      decidedByBefore: then.decidedBy,
    });
  }
  return { changes, evaluated };
}

export interface DiffOptions {
  /** Worker threads to spread the evaluation over (compiled code only: dist/review/diff-worker.js); 1 evaluates inline. */
  readonly workers?: number;
  /** Below this many requests, starting worker threads costs more than it saves. */
  readonly parallelFromRequests?: number;
}

/**
 * Runs the tasks inline, or spread over `workers` threads (each loads the evaluator once) when
 * there is enough to do; results come back in task order either way, so the output is the same.
 */
async function runTasks(
  tasks: readonly Task[],
  { workers = 1, parallelFromRequests = 1500 }: DiffOptions,
): Promise<Array<{ changes: Change[]; evaluated: number }>> {
  const requests = tasks.reduce((n, t) => n + t.probes.length, 0);
  if (workers <= 1 || tasks.length < 2 || requests < parallelFromRequests) {
    const results = [];
    for (const task of tasks) results.push(await evaluateTask(task));
    return results;
  }
  const { Worker } = await import("node:worker_threads");
  const script = path.join(__dirname, "diff-worker.js");
  const results: Array<{ changes: Change[]; evaluated: number }> = new Array(tasks.length);
  let next = 0;
  const runWorker = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(script);
      const feed = () => {
        if (next >= tasks.length) {
          void worker.terminate().then(() => resolve());
          return;
        }
        const index = next++;
        worker.once("message", (result: { changes: Change[]; evaluated: number }) => {
          results[index] = result;
          feed();
        });
        worker.postMessage(tasks[index]);
      };
      worker.once("error", reject);
      feed();
    });
  await Promise.all(Array.from({ length: Math.min(workers, tasks.length) }, runWorker));
  return results;
}

/** SCP statements by Sid: packing may move a statement between documents without changing it. */
function scpStatements(side: Side): Map<string, string> {
  const out = new Map<string, string>();
  for (const policy of Object.values(side.stacks.get("organization")?.resource?.aws_organizations_policy ?? {})) {
    const document = JSON.parse(String(policy.content)) as { Statement: Array<Record<string, unknown>> };
    document.Statement.forEach((statement, i) => out.set(String(statement.Sid ?? `${String(policy.name)}#${i}`), JSON.stringify(statement)));
  }
  return out;
}

const POLICY_ATTRIBUTES = ["policy", "assume_role_policy"];

/** Every other policy document, by `<stack>: <type>.<name>.<attribute>`. */
function otherPolicies(side: Side): Map<string, string> {
  const out = new Map<string, string>();
  for (const [stack, json] of side.stacks) {
    for (const [type, resources] of Object.entries(json.resource ?? {})) {
      for (const [name, resource] of Object.entries(resources)) {
        for (const attribute of POLICY_ATTRIBUTES) {
          if (typeof resource[attribute] === "string") out.set(`${stack}: ${type}.${name}.${attribute}`, String(resource[attribute]));
        }
      }
    }
  }
  return out;
}

function differences(kind: string, before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort(compareStrings);
  return keys.flatMap((key) => {
    const [was, now] = [before.get(key), after.get(key)];
    if (was === now) return [];
    return [`${kind} ${key} ${was === undefined ? "added" : now === undefined ? "removed" : "changed"}`];
  });
}

function policyChanges(base: Side, head: Side): string[] {
  return [...differences("SCP statement", scpStatements(base), scpStatements(head)), ...differences("policy", otherPolicies(base), otherPolicies(head))];
}

/** Every account of either side, by id. */
function accountsOf(base: Side, head: Side): Map<string, string> {
  const names = new Map<string, string>();
  for (const side of [base, head]) for (const a of side.config.organization.accounts) names.set(a.id, a.name);
  return new Map([...names].sort(([a], [b]) => compareStrings(a, b)));
}

/** Evaluates both sides over the matrix and keeps what changed. */
export async function accessDiff(catalog: Catalog, base: Side, head: Side, options: DiffOptions = {}): Promise<AccessDiff> {
  const notes: AccountNote[] = [];
  const probesByAccount = new Map<string, Probe[]>();
  const accountNames = accountsOf(base, head);
  const tasks: Task[] = [];
  for (const account of accountNames.keys()) {
    const before = accountView(base, account);
    const after = accountView(head, account);
    if (!before || !after) {
      notes.push({
        account,
        note: before ? "removed from the config: no longer described, so not compared" : "added to the config: no earlier state to compare with",
      });
      continue;
    }
    const probes = probesOf(catalog, [base.config, head.config], account, { before: before.teamRoles, after: after.teamRoles });
    probesByAccount.set(account, probes);
    const principals = new Map([...before.principals, ...after.principals]);
    for (const [arn, defined] of [...principals].sort(([a], [b]) => compareStrings(a, b))) {
      const was = before.principals.get(arn);
      const now = after.principals.get(arn);
      if (was && now && fingerprint(before, was) === fingerprint(after, now)) continue;
      tasks.push({
        account,
        defined,
        before: was,
        after: now,
        beforeChain: before.chain,
        afterChain: after.chain,
        beforeOrg: before.organizationId,
        afterOrg: after.organizationId,
        probes,
      });
    }
  }
  const results = await runTasks(tasks, options);
  return {
    changes: results.flatMap((r) => r.changes),
    policyChanges: policyChanges(base, head),
    probes: probesByAccount,
    accountNames,
    notes,
    evaluated: results.reduce((n, r) => n + r.evaluated, 0),
  };
}
