/**
 * Renders an access diff for people (Markdown for a pull-request comment: a verdict line, then one
 * table per account with capabilities and workspaces collapsed where every member changed alike)
 * and for tools (JSON: one entry per changed request, sorted, never collapsed).
 */
import { appendTo } from "../config/collections";
import { compareStrings } from "../policies/document";
import type { AccessDiff, Change } from "./diff";
import type { Probe } from "./matrix";

export interface JsonChange {
  readonly account: string;
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly context?: string;
  readonly before: "Allowed" | "Denied";
  readonly after: "Allowed" | "Denied";
  readonly decidedBy: string[];
  readonly decidedByBefore: string[];
}

function byKeys<T>(...keys: Array<(x: T) => string>): (a: T, b: T) => number {
  return (a, b) => {
    for (const key of keys) {
      const order = compareStrings(key(a), key(b));
      if (order !== 0) return order;
    }
    return 0;
  };
}

const changeOrder = byKeys<Change>(
  (c) => c.account,
  (c) => c.principal,
  (c) => c.action,
  (c) => c.resource,
  (c) => c.actionLabel,
);

/** The request's context, for the JSON: `CallWithBearerToken (SHORT_TERM)` → `SHORT_TERM`. */
function contextOf(change: Change): string | undefined {
  return /\(([^)]+)\)$/.exec(change.actionLabel)?.[1];
}

export function diffJson(diff: AccessDiff, base: string): { base: string; changes: JsonChange[]; policyChanges: string[] } {
  return {
    base,
    changes: [...diff.changes].sort(changeOrder).map((c) => {
      const context = contextOf(c);
      return {
        account: c.account,
        principal: c.principal,
        action: c.action,
        resource: c.resource,
        ...(context ? { context } : {}),
        before: c.before,
        after: c.after,
        decidedBy: c.decidedBy,
        decidedByBefore: c.decidedByBefore,
      };
    }),
    policyChanges: diff.policyChanges,
  };
}

export function verdict(diff: AccessDiff): string {
  const gained = diff.changes.filter((c) => c.after === "Allowed").length;
  const lost = diff.changes.length - gained;
  if (diff.changes.length > 0) return `${gained} ${gained === 1 ? "grant" : "grants"} gained, ${lost} lost`;
  if (diff.policyChanges.length === 0 && diff.notes.length === 0) return "no change in effective access";
  const unseen = [
    diff.policyChanges.length > 0 ? `${diff.policyChanges.length} policy ${diff.policyChanges.length === 1 ? "change" : "changes"}` : "",
    diff.notes.length > 0 ? `${diff.notes.length} ${diff.notes.length === 1 ? "account" : "accounts"} not compared` : "",
  ]
    .filter(Boolean)
    .join(" and ");
  return `no change found in effective access, but ${unseen} to review by hand (below)`;
}

/** A row of an account's table, before collapsing workspaces. */
interface Row {
  readonly principal: string;
  readonly what: string;
  readonly workspace: string;
  readonly before: string;
  readonly after: string;
  readonly decidedBefore: string;
  readonly decidedAfter: string;
}

function sidList(sids: readonly string[]): string {
  return sids.map((s) => (/^[A-Za-z0-9]+$/.test(s) ? `\`${s}\`` : s)).join(", ") || "—";
}

/** Changes of one principal on one workspace, with a capability collapsed to one row when every one of its requests there changed alike. */
function collapseCapabilities(changes: readonly Change[], probes: readonly Probe[]): Row[] {
  const rows: Row[] = [];
  const groups = new Map<string, Change[]>();
  for (const c of changes) {
    const key = JSON.stringify([c.principal, c.workspace, c.capability, c.before, c.after, c.decidedBy, c.decidedByBefore]);
    appendTo(groups, key, c);
  }
  for (const group of groups.values()) {
    const first = group[0];
    const members = new Set(
      probes
        .filter((p) => p.capability === first.capability && p.workspace === first.workspace && (!p.onlyFor || p.onlyFor === first.principalKind))
        .map((p) => p.label),
    );
    const changed = new Set(group.map((c) => c.actionLabel));
    const whole = members.size > 1 && [...members].every((m) => changed.has(m));
    const base = {
      principal: first.principalLabel,
      workspace: first.workspace,
      before: first.before,
      after: first.after,
      decidedBefore: sidList(first.decidedByBefore),
      decidedAfter: sidList(first.decidedBy),
    };
    if (whole) rows.push({ ...base, what: `${first.capability} (all ${members.size})` });
    else for (const c of group) rows.push({ ...base, what: c.actionLabel });
  }
  return rows;
}

/** Rows identical but for the workspace, covering every workspace of the account, become one. */
function collapseWorkspaces(rows: readonly Row[], workspaces: readonly string[]): Row[] {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const key = JSON.stringify({ ...row, workspace: row.workspace === "*" ? "*" : "" });
    appendTo(groups, key, row);
  }
  const out: Row[] = [];
  for (const group of groups.values()) {
    const seen = new Set(group.map((r) => r.workspace));
    if (group[0].workspace !== "*" && workspaces.length > 1 && workspaces.every((w) => seen.has(w)))
      out.push({ ...group[0], workspace: `every workspace (${workspaces.length})` });
    else out.push(...group);
  }
  return out;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|");
}

function arrow(row: Row): string {
  const after = row.after === "Allowed" ? "**Allowed**" : "**Denied**";
  return `${row.before} → ${after}`;
}

export function diffMarkdown(diff: AccessDiff, base: string): string {
  const lines = [`### Access diff: ${verdict(diff)}`, ""];
  const accounts = [...diff.probes.keys()].length;
  lines.push(
    `Compared with \`${base}\`: SCPs, identity policies and permissions boundaries as synthesized on each side, evaluated with iam-simulate over ${accounts} ${accounts === 1 ? "account" : "accounts"} (${diff.evaluated.toLocaleString("en-US")} requests re-evaluated for the principals whose policies differ).`,
  );
  for (const note of diff.notes) lines.push("", `- Account ${note.account} (${diff.accountNames.get(note.account) ?? "?"}): ${note.note}.`);
  if (diff.policyChanges.length > 0) {
    lines.push("", "<details><summary>Policy statements and documents that changed (" + diff.policyChanges.length + ")</summary>", "");
    for (const change of diff.policyChanges) lines.push(`- ${cell(change)}`);
    lines.push("", "</details>");
  }
  const changesByAccount = new Map<string, Change[]>();
  for (const c of diff.changes) appendTo(changesByAccount, c.account, c);
  for (const account of [...changesByAccount.keys()].sort(compareStrings)) {
    const probes = diff.probes.get(account) ?? [];
    const workspaces = [...new Set(probes.map((p) => p.workspace).filter((w) => w !== "*"))];
    const changes = changesByAccount.get(account)!.sort(changeOrder);
    const byPrincipal = new Map<string, Change[]>();
    for (const c of changes) appendTo(byPrincipal, c.principal, c);
    const rows = [...byPrincipal.values()].flatMap((group) => collapseWorkspaces(collapseCapabilities(group, probes), workspaces));
    lines.push(
      "",
      `#### Account ${account} (${diff.accountNames.get(account) ?? "?"})`,
      "",
      "| Principal | Capability or action | Workspace | Before → after | Decided by (before → after) |",
      "|---|---|---|---|---|",
    );
    for (const row of rows)
      lines.push(
        `| ${cell(row.principal)} | ${cell(row.what)} | ${cell(row.workspace === "*" ? "—" : row.workspace)} | ${arrow(row)} | ${cell(`${row.decidedBefore} → ${row.decidedAfter}`)} |`,
      );
  }
  return lines.join("\n") + "\n";
}
