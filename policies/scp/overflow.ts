/**
 * What to do with one SCP statement too large for a document: split it where a Deny allows it,
 * or else say which config list made it large and how to shorten that list. A Deny of a list of
 * actions or resources denies each of them on its own, so such a list may be cut into several
 * statements that deny the same together; a list that says who or what is *left out* (an
 * `ArnNotLike` allow-list, a `NotResource` of approved workspaces) must stay whole, since every
 * cut would deny more.
 */
import type { BaselineConfig } from "../../config/schema";
import { minified, policyDocument, type Statement } from "../document";
import { workspaceSidSuffix } from "../names";
import type { BuiltControl } from "./index";

function sizeOf(statements: readonly Statement[]): number {
  return minified(policyDocument(statements)).length;
}

/**
 * A Deny over `limit` as statements that each fit, its `Resource` (or else `Action`) list cut in
 * order: `Sid`, `SidPart2`, …; the statement as it is when it fits; none when no cut makes it fit.
 */
export function splitDeny(statement: Statement, limit: number): Statement[] | undefined {
  if (sizeOf([statement]) <= limit) return [statement];
  if (statement.Effect !== "Deny") return undefined;
  const field = (["Resource", "Action"] as const).find((f) => (statement[f]?.length ?? 0) > 1);
  if (!field) return undefined;
  const sid = (i: number) => (i === 0 ? statement.Sid : `${statement.Sid}Part${i + 1}`);
  // Measured with the Sid each piece will carry: the suffix counts too.
  const piece = (i: number, values: readonly string[]): Statement => ({ ...statement, Sid: sid(i), [field]: values });
  const chunks: string[][] = [];
  for (const value of [...statement[field]!].sort()) {
    const last = chunks[chunks.length - 1];
    if (last && sizeOf([piece(chunks.length - 1, [...last, value])]) <= limit) last.push(value);
    else if (sizeOf([piece(chunks.length, [value])]) <= limit) chunks.push([value]);
    else return undefined;
  }
  return chunks.map((values, i) => piece(i, values));
}

/**
 * The config list that makes a statement of `control` large, and how to shorten it: one clause
 * for an error line. Named by the statement, since a control's statements draw on different lists.
 */
export function shrinkHint(control: BuiltControl, sid: string, config: BaselineConfig): string {
  const patterns = "one pattern with a wildcard (arn:aws:iam::*:role/team-*) admits several roles";
  const exemptions = `list fewer principals in exemptions (${patterns}; names must be exact there) or set controls.${control.label}.exempt: false`;
  switch (control.id) {
    case "protectWorkspaces": {
      if (sid.startsWith("ProtectWorkspaceKey")) return `list fewer principals in controls.protectWorkspaces.keyAdmins or exemptions (${patterns})`;
      const index = config.workspaces.findIndex((w) => w.protection && sid.startsWith(`ProtectWorkspace${workspaceSidSuffix(w.id)}`));
      const where = index >= 0 ? `workspaces[${index}].protection` : "the workspace's protection";
      return `admit fewer principals in ${where}.allowedPrincipals and allowedTeams (${patterns})`;
    }
    case "approvedWorkspacesOnly":
      return `approve fewer workspaces in controls.${control.label}.workspaces (its list of approved workspaces cannot be split: each part would deny the others' workspaces); give the accounts that need other workspaces a rule of their own on their OU or account`;
    case "limitConsoleFederation":
      return `list fewer principals in controls.limitConsoleFederation.allow (${patterns})`;
    case "protectAuditTrail":
      if (sid.includes("Bootstrap")) return `list fewer principals in deployment.bootstrapPrincipals or exemptions (${patterns})`;
      return exemptions;
    default:
      return exemptions;
  }
}

/**
 * For a control split over several SCPs on a target that has run out of slots: how to make it
 * take fewer, in a clause for an error line. `label` is the control's label without its part.
 */
export function splitHint(id: BuiltControl["id"], label: string, target: string): string {
  switch (id) {
    case "protectWorkspaces":
      return `set controls.protectWorkspaces.splitByTarget: true and attach it to the OUs or accounts that hold the protected workspaces rather than ${target} (each target then carries only its own accounts' workspaces)`;
    case "protectAuditTrail":
      return "list fewer principals in exemptions, deployment.bootstrapPrincipals or auditTrail.keyAdministrators (tamper protection names each of them; the team roles take one tag however many there are)";
    case "approvedWorkspacesOnly":
      return `approve fewer workspaces in controls.${label}.workspaces (every SCP of the rule repeats the whole list)`;
    default:
      return `list fewer principals in exemptions, or set controls.${label}.exempt: false`;
  }
}
