/**
 * The addresses the organization and audit stacks had before every resource was keyed by what it
 * is (up to commit cb07986): SCPs `scp-<display-name slugs>-<n>`, numbered in first-fit order;
 * attachments `<document>-<target>`; alarm subscriptions `alarm-email-<i>`, by place in the list.
 * Computed from the current config, each is paired with the resource that holds what it held, and
 * the stacks emit a Terraform `moved` block for the pair, so an organization deployed with the
 * previous scheme plans updates in place (the new names and descriptions) instead of destroying
 * and re-creating its SCPs, attachments and subscriptions, which would leave its accounts
 * unguarded between the two. Terraform skips a `moved` block whose `from` is not in the state, so
 * a new organization plans the same with or without them. Remove this module once every
 * deployment has applied them.
 */
import type { BaselineConfig } from "../config/schema";
import { slugify } from "./names";
import { attachmentLogicalId, firstFitDocuments, groupControls, packScps, partsOf, type PackedScp } from "./pack";
import { QUOTAS } from "./quotas";
import type { BuiltControl } from "./scp";
import type { AlarmSubscription } from "./trail";

export type MovedResource = "policy" | "attachment" | "subscription";

/** What had the logical id `from` in the previous scheme has `to` now (both of the same resource type). */
export interface AddressMove {
  readonly resource: MovedResource;
  readonly from: string;
  readonly to: string;
}

/** The moves each stack emits. The role stacks' addresses did not change. */
export interface LegacyMoves {
  readonly organization: readonly AddressMove[];
  readonly audit: readonly AddressMove[];
}

interface LegacyDocument {
  readonly logicalId: string;
  readonly targets: readonly string[];
  readonly controls: readonly string[];
}

/** How the previous scheme named a target in document keys: by display name, which is what made a rename a replacement. */
function legacySlug(config: BaselineConfig, target: string): string {
  const org = config.organization;
  if (target === org.root.id) return "root";
  const ou = org.organizationalUnits.find((o) => o.id === target);
  if (ou) return `ou-${slugify(ou.name)}`;
  const account = org.accounts.find((a) => a.id === target);
  return account ? `account-${account.name}` : target;
}

/**
 * The previous scheme's documents for this config: every control and part of a group first-fit in
 * canonical order. Their controls are named by `ref` (their place in the config), as the previous
 * scheme named them, and as `successor` compares them with the current documents' `controlRefs`.
 */
function legacyDocuments(controls: readonly BuiltControl[], config: BaselineConfig): LegacyDocument[] {
  const limit = QUOTAS.scpSize.value;
  return [...groupControls(controls)].flatMap(([key, members]) => {
    const targets = key.split(",");
    const slug = targets.map((t) => legacySlug(config, t)).join("-");
    return firstFitDocuments(
      members.flatMap((c) => partsOf(c, limit, key, [])),
      limit,
    ).map((bin, i) => ({ logicalId: `scp-${slug}-${i + 1}`.replace(/[^A-Za-z0-9_-]/g, "_"), targets, controls: bin.map((c) => c.ref) }));
  });
}

/**
 * The documents of the whole-control layout (the default, and the only one up to commit 5fa39c9):
 * the same packing, with a per-target control (`splitByTarget`) whole on all its targets. A
 * protectWorkspaces on several targets has one document on all of them; split, each target has
 * its own. Empty when that layout
 * could not be synthesized (then nothing was deployed with it).
 */
function wholeControlDocuments(controls: readonly BuiltControl[], config: BaselineConfig): PackedScp[] {
  try {
    return [...packScps(controls, config).documents];
  } catch {
    return [];
  }
}

/**
 * The document that takes over a previous one: on the same targets, or else on some of them (a
 * per-target piece of what it held), holding its first control, or else the most of its
 * controls; none when no document there holds any (its controls left those targets, and the plan
 * deletes it).
 */
function successor(legacy: LegacyDocument, documents: readonly PackedScp[], taken: ReadonlySet<string>): PackedScp | undefined {
  const free = documents.filter((d) => !taken.has(d.logicalId) && d.targets.every((t) => legacy.targets.includes(t)));
  const shared = (d: PackedScp) => d.controlRefs.filter((c) => legacy.controls.includes(c)).length;
  const ranked = [...free].sort((a, b) => Number(b.targets.length === legacy.targets.length) - Number(a.targets.length === legacy.targets.length));
  return ranked.find((d) => d.controlRefs.includes(legacy.controls[0])) ?? [...ranked].sort((a, b) => shared(b) - shared(a)).find((d) => shared(d) > 0);
}

/**
 * A move for every previous SCP and attachment whose successor has another address, in two
 * steps, one per earlier scheme: the display-name scheme to the whole-control layout
 * (`controls` are built whole, `buildControls(…, { byTarget: false })`), then that layout to
 * today's. Terraform follows a chain of moves, so a state of either scheme finds today's
 * addresses, and where the two layouts agree (no control on several targets is built per target,
 * as in the sample) the second step moves nothing.
 */
export function scpMoves(
  controls: readonly BuiltControl[],
  config: BaselineConfig,
  documents: readonly PackedScp[],
  whole: readonly PackedScp[] = wholeControlDocuments(controls, config),
): AddressMove[] {
  // The whole-control layout's documents, as the second step's previous documents: named by their controls' refs.
  const previous = whole.map((d): LegacyDocument => ({ logicalId: d.logicalId, targets: d.targets, controls: d.controlRefs }));
  return [...movesBetween(legacyDocuments(controls, config), whole.length > 0 ? whole : documents), ...movesBetween(previous, documents)];
}

/**
 * Each previous document to its successor among `documents`. A previous address that is still a
 * document's is that document (Terraform refuses a move from a current address), whatever it
 * holds now, so it moves nowhere and is no other one's successor; nor does a previous address two
 * documents shared, which could never have been deployed (cdktf refuses the duplicate). A
 * document that was on several targets moves to its successor on some of them, with those
 * attachments; its attachments elsewhere are deleted, and the new documents there created.
 */
function movesBetween(previous: readonly LegacyDocument[], documents: readonly PackedScp[]): AddressMove[] {
  const policies = new Set(documents.map((d) => d.logicalId));
  const attachments = new Set(documents.flatMap((d) => d.targets.map((t) => attachmentLogicalId(d.logicalId, t))));
  const duplicated = new Set(previous.map((d) => d.logicalId).filter((id, i, all) => all.indexOf(id) !== i));
  const taken = new Set(previous.map((d) => d.logicalId).filter((id) => policies.has(id)));
  const moves: AddressMove[] = [];
  for (const old of previous.filter((d) => !duplicated.has(d.logicalId) && !policies.has(d.logicalId))) {
    const next = successor(old, documents, taken);
    if (!next) continue;
    taken.add(next.logicalId);
    moves.push({ resource: "policy", from: old.logicalId, to: next.logicalId });
    for (const target of next.targets) {
      const [from, to] = [attachmentLogicalId(old.logicalId, target), attachmentLogicalId(next.logicalId, target)];
      if (from !== to && !attachments.has(from)) moves.push({ resource: "attachment", from, to });
    }
  }
  return moves;
}

/** `alarm-email-<i>` → the subscription of that address; a repeated address had its first place's. */
export function subscriptionMoves(emails: readonly string[], subscriptions: readonly AlarmSubscription[]): AddressMove[] {
  const current = new Set(subscriptions.map((s) => s.key));
  const seen = new Set<string>();
  const moves: AddressMove[] = [];
  emails.forEach((email, i) => {
    const to = subscriptions.find((s) => s.email === email)?.key;
    if (!to || seen.has(email)) return;
    seen.add(email);
    const from = `alarm-email-${i}`;
    if (from !== to && !current.has(from)) moves.push({ resource: "subscription", from, to });
  });
  return moves;
}
