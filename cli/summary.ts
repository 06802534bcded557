/**
 * What a run prints on success: each document against its quota and where it is attached, which
 * baseline SCPs govern each account, the warnings, and where the output went and what to run
 * next. Pure: it formats a plan, it writes nothing.
 */
import { appendTo } from "../config/collections";
import { coverage } from "../config/coverage";
import type { Problem } from "../config/validate";
import type { BaselinePlan } from "../policies/baseline";
import type { PackedScp } from "../policies/pack";
import { QUOTAS, withThousands } from "../policies/quotas";
import { rolesSummary } from "../policies/roles";
import { auditSummary } from "../policies/trail";

/** How many account ids one line of the account view names before it counts the rest. */
const ACCOUNTS_PER_LINE = 6;

export function planSummary(plan: BaselinePlan, configFile: string): string[] {
  return [
    `claude-platform-baseline: ${configFile}`,
    ...scpSummary(plan),
    ...accountView(plan),
    ...(plan.audit ? auditSummary(plan.audit) : []),
    ...rolesSummary(plan.roles),
  ];
}

function scpSummary(plan: BaselinePlan): string[] {
  const lines = [`  stack organization (account ${plan.config.organization.managementAccount}): service control policies`];
  for (const scp of plan.scps.documents) {
    const percent = Math.round((scp.size / QUOTAS.scpSize.value) * 100);
    lines.push(
      `    ${scp.name}: ${withThousands(scp.size)} / ${withThousands(QUOTAS.scpSize.value)} characters (${percent}%), controls ${scp.controls.join(", ")}`,
      `      attached to ${scp.targets.join(", ")}`,
    );
  }
  const documents = plan.scps.documents.length;
  lines.push(
    `    ${documents} SCP document${documents === 1 ? "" : "s"}; any packing needs at least ${plan.scps.documentsLowerBound} (a control over half the quota, or split, keeps documents of its own so the others do not move)`,
  );
  for (const load of plan.scps.targets) {
    const free = QUOTAS.scpsPerTarget.value - load.total;
    lines.push(
      `    ${load.label}: ${load.total} / ${QUOTAS.scpsPerTarget.value} SCPs attached (${load.baselineScps} baseline${load.fullAwsAccess ? ", FullAWSAccess" : ""}${load.reserved ? `, ${load.reserved} reserved` : ""}), ${free} free`,
    );
  }
  return lines;
}

/**
 * Which baseline SCPs reach each account, root first, and the controls they carry. Accounts that
 * inherit exactly the same documents share a line, so the view grows with the shapes of the
 * organization, not with its accounts.
 */
export function accountView(plan: BaselinePlan): string[] {
  const org = plan.config.organization;
  const tree = coverage(plan.config);
  const documentsOn = new Map<string, PackedScp[]>();
  for (const scp of plan.scps.documents) for (const target of scp.targets) appendTo(documentsOn, target, scp);
  const groups = new Map<string, string[]>();
  const lines = new Map<string, string>();
  for (const account of org.accounts) {
    if (account.id === org.managementAccount) continue;
    const chain = tree.ancestry(account.id);
    // Root first, and each target's documents in the plan's order.
    const documents = chain.flatMap((target) => documentsOn.get(target) ?? []);
    appendTo(groups, governance(documents, lines), `${account.id} (${account.name})`);
  }
  return [
    "  accounts, by the baseline SCPs that govern them (root first):",
    ...[...groups].map(([governance, accounts]) => `    ${namedAccounts(accounts)}: ${governance}`),
    `    ${org.managementAccount} (management): none apply; SCPs never restrict the management account`,
  ];
}

/**
 * `root-1 + ou-…-1 = <controls>` for the documents that reach an account, worked out once per
 * distinct list (in `lines`, by their keys): the accounts under one OU share it.
 */
function governance(documents: readonly PackedScp[], lines: Map<string, string>): string {
  if (documents.length === 0) return "no baseline SCP";
  const keys = documents.map((scp) => scp.key).join(" + ");
  let line = lines.get(keys);
  if (line === undefined) {
    const controls = [...new Set(documents.flatMap((scp) => scp.controls.map(withoutPart)))];
    line = `${keys} = ${controls.join(", ")}`;
    lines.set(keys, line);
  }
  return line;
}

function namedAccounts(accounts: readonly string[]): string {
  const shown = accounts.slice(0, ACCOUNTS_PER_LINE).join(", ");
  return accounts.length > ACCOUNTS_PER_LINE ? `${shown} and ${accounts.length - ACCOUNTS_PER_LINE} more` : shown;
}

/** `protectWorkspaces (part 1 of 2)` is one control, wherever its parts sit. */
function withoutPart(label: string): string {
  return label.replace(/ \(part \d+ of \d+\)$/, "");
}

export function warningLines(warnings: readonly Problem[]): string[] {
  if (warnings.length === 0) return [];
  return [
    `  ${warnings.length} warning${warnings.length === 1 ? "" : "s"} (valid, but part of the config can have no effect; --strict or BASELINE_STRICT=1 makes ${warnings.length === 1 ? "it an error" : "them errors"}):`,
    ...warnings.map((w) => `    warning: ${w.path ? `${w.path}: ` : ""}${w.message}`),
  ];
}
