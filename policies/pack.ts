/**
 * Packs controls into SCP documents that fit the size quota, keys each document by what it is, and
 * checks that no target ends up with more attached SCPs than AWS allows. Controls that attach to
 * the same set of targets (a group) share documents; a control that fits one document is never
 * split, so each document can be read control by control, and only a control too large for any
 * document is split, at statement boundaries. Sizes are measured on the exact string Terraform
 * sends. Pure: the same controls always give the same documents; there is no memory of an
 * earlier layout, so stability has to come from the layout rule itself.
 *
 * The layout of a group, chosen so that a small config edit moves as little as it can:
 * - A control over half the size quota, and each part of a split control, has a document of its
 *   own, keyed by the control: `root-protectAuditTrail`, `root-protectAuditTrail-part-2`. Two such
 *   controls could never share a document anyway. Alone, it can grow (tamper protection lists every
 *   exempt principal, protectWorkspaces every protected workspace of its target) without pushing another control out,
 *   and enabling or disabling other controls never touches it; when it outgrows the quota its
 *   first part keeps the document and the further parts get new ones.
 * - The other controls fill the group's numbered documents (`root-1`, `root-2`) first-fit in the
 *   canonical control order. With every control on, the sample's root holds them in 4,827 characters,
 *   under half a document, so a group seldom needs a second one, and enabling one more control
 *   adds it to `-1` and moves nothing else.
 * Numbered documents are keyed by their place rather than by the first control they hold: that key
 * would change, destroying and re-creating the document that holds every other small control,
 * whenever a control earlier in the canonical order is enabled or the first one is disabled,
 * while the place changes only when the group needs another document.
 *
 * No pure packing keeps every document's members through every addition (with a, b and x where
 * any two fit one document but not all three, {a, b} + x and {a, x} + b are the same config and
 * must give the same layout), so some edits still move a control: a numbered document that
 * overflows pushes its later controls into the next one; a control that grows past half the
 * quota moves to a document of its own; a control given another target moves to the documents of
 * its new target set. Where this layout would put a target over the attachment quota, the groups
 * on that target are packed densely instead (first-fit, every control and part, the fewest
 * documents), trading that stability for the slots.
 */
import { appendTo } from "../config/collections";
import type { BaselineConfig, ControlId } from "../config/schema";
import { compareStrings, minified, policyDocument, type Statement } from "./document";
import { SynthesisError } from "./errors";
import { fewestBins, firstFit, lowerBound } from "./bin-packing";
import { shortHash } from "./names";
import { QUOTAS, withThousands } from "./quotas";
import type { BuiltControl } from "./scp";
import { shrinkHint, splitDeny, splitHint } from "./scp/overflow";

export interface PackedScp {
  /**
   * What the document is: its group (`root`, the OU or account id, or `<n>-targets-<hash>` for
   * several) and, in the group, the control it holds alone or its number (`root-1`,
   * `ou-a1b2-work0001-protectWorkspaces`, `3-targets-5f2c81d0-1`). Never a display name.
   */
  readonly key: string;
  /** The SCP's name in AWS Organizations: the prefix and the key, the same length however many targets. */
  readonly name: string;
  /** Terraform-safe identifier of the document: `scp-<key>`. */
  readonly logicalId: string;
  /** The controls it holds and every target it is attached to, within the quota. */
  readonly description: string;
  /** The minified canonical document: exactly what is sent. */
  readonly content: string;
  readonly size: number;
  /** The labels of the controls (or parts of one) it holds, in canonical order: what the summary and messages show. */
  readonly controls: readonly string[];
  /**
   * The same controls by their place in the config (`approvedWorkspacesOnly[0]`, never a rule's
   * name), for everything synthesized from the document, which must not change when a rule is named.
   */
  readonly controlRefs: readonly string[];
  /** The controls it holds, by id (a split control's parts and a list control's rules by their control). */
  readonly controlIds: readonly ControlId[];
  readonly targets: readonly string[];
}

export interface TargetLoad {
  readonly target: string;
  readonly label: string;
  readonly baselineScps: number;
  readonly reserved: number;
  readonly fullAwsAccess: boolean;
  readonly total: number;
}

export interface ScpPlan {
  readonly documents: readonly PackedScp[];
  readonly targets: readonly TargetLoad[];
  /**
   * The fewest documents any packing of these controls could use (per group of controls on the
   * same targets: their size over the quota, and one document for each part over half of it).
   * The stable layout uses more where it gives a large control a document of its own.
   */
  readonly documentsLowerBound: number;
}

interface TargetInfo {
  readonly label: string;
  readonly reserved: number;
}

/** The controls of one group and their place in it; `key` is the document's key in its group. */
interface Bin {
  readonly key: string;
  readonly parts: readonly BuiltControl[];
}

export const SCP_NAME_PREFIX = "claude-platform-baseline";

export function describeTargets(config: BaselineConfig): Map<string, TargetInfo> {
  const org = config.organization;
  const out = new Map<string, TargetInfo>();
  out.set(org.root.id, { label: `${org.root.id} (root)`, reserved: org.root.reservedScpSlots });
  for (const ou of org.organizationalUnits) out.set(ou.id, { label: `${ou.id} (OU ${ou.name})`, reserved: ou.reservedScpSlots });
  for (const a of org.accounts) out.set(a.id, { label: `${a.id} (account ${a.name})`, reserved: a.reservedScpSlots });
  return out;
}

/**
 * A group's part of every key and name: `root`, the OU or account id, or for several targets
 * their count and a hash of their sorted ids, so a name stays within AWS's 128 characters however
 * many targets share it (the description lists them).
 */
export function groupKey(targets: readonly string[], rootId: string): string {
  if (targets.length === 1) return targets[0] === rootId ? "root" : targets[0];
  const sorted = [...targets].sort(compareStrings);
  return `${sorted.length}-targets-${shortHash(sorted.join(","))}`;
}

/** An attachment is the document on one target. */
export function attachmentLogicalId(scpLogicalId: string, target: string): string {
  return `${scpLogicalId}-${target}`;
}

/** Controls by the sorted list of their targets, in canonical order within each group. */
export function groupControls(controls: readonly BuiltControl[]): Map<string, BuiltControl[]> {
  const groups = new Map<string, BuiltControl[]>();
  for (const control of controls) {
    const key = [...control.attachTo].sort(compareStrings).join(",");
    appendTo(groups, key, control);
  }
  return groups;
}

function documentSize(parts: readonly BuiltControl[]): number {
  return minified(policyDocument(parts.flatMap((c) => c.statements))).length;
}

/**
 * A control that fits one SCP, as it is; one that does not (tamper protection lists every exempt
 * principal, protectWorkspaces every protected workspace of a target), split at statement boundaries,
 * in Sid order, into parts that each fit. Every SCP at a target must allow a request, so a Deny
 * statement denies the same wherever it sits. A single statement over the quota is cut along its
 * action or resource list where that denies the same (overflow.ts); one that cannot be cut is
 * reported, naming the config list that makes it large and how to shorten it.
 */
export function partsOf(control: BuiltControl, limit: number, where: string, problems: string[], config?: BaselineConfig): BuiltControl[] {
  if (documentSize([control]) <= limit) return [control];
  const parts: Statement[][] = [];
  for (const whole of policyDocument(control.statements).Statement) {
    const pieces = splitDeny(whole, limit);
    if (!pieces) {
      const alone = minified(policyDocument([whole])).length;
      const fix = config ? shrinkHint(control, whole.Sid, config) : "shorten the lists it is built from";
      problems.push(
        `controls.${control.label} (on ${where}): its statement ${whole.Sid} alone is ${withThousands(alone)} characters, over the SCP quota of ${withThousands(limit)}, and cannot be split without denying more; ${fix}`,
      );
      continue;
    }
    for (const statement of pieces) {
      const last = parts[parts.length - 1];
      if (last && minified(policyDocument([...last, statement])).length <= limit) last.push(statement);
      else parts.push([statement]);
    }
  }
  const part = (name: string, i: number) => `${name} (part ${i + 1} of ${parts.length})`;
  return parts.map((statements, i) => ({ ...control, ref: part(control.ref, i), label: part(control.label, i), statements }));
}

/** The length of a document with no statements: what every SCP pays before its first statement. */
const EMPTY_DOCUMENT = documentSize([]);

/**
 * A part's share of any document it is in: its statements and the comma before each. A document
 * of parts is exactly EMPTY_DOCUMENT - 1 + the sum of their weights (Sids never repeat in a
 * document, so nothing is merged), which makes packing plain bin packing.
 */
function weightOf(part: BuiltControl): number {
  return documentSize([part]) - EMPTY_DOCUMENT + 1;
}

/** What the parts of a group may weigh together in one document of `limit` characters. */
function capacityOf(limit: number): number {
  return limit - EMPTY_DOCUMENT + 1;
}

/**
 * The parts into as few documents as bin-packing.ts finds (first-fit in order when nothing packs
 * tighter, so the usual layout stays stable), members in their order, documents in the order of
 * their first member.
 */
export function fewestDocuments(parts: readonly BuiltControl[], limit: number): BuiltControl[][] {
  return fewestBins(parts.map(weightOf), capacityOf(limit)).map((bin) => bin.map((i) => parts[i]));
}

/** Each part into the first document it fits, in order: how documents were packed up to this packing (legacy-addresses.ts). */
export function firstFitDocuments(parts: readonly BuiltControl[], limit: number): BuiltControl[][] {
  return firstFit(parts.map(weightOf), capacityOf(limit)).map((bin) => bin.map((i) => parts[i]));
}

/** The fewest documents any packing of these parts could use. */
export function documentsLowerBoundOf(parts: readonly BuiltControl[], limit: number): number {
  return lowerBound(parts.map(weightOf), capacityOf(limit));
}

/**
 * Each member's key in its group, by its `ref`: the control id, and where several rules of one
 * list control share the group (the same targets), their order among those rules
 * (`approvedWorkspacesOnly-2`), so a rule's key does not depend on rules attached elsewhere. A
 * rule's name is never part of it (see BuiltControl): naming a rule moves nothing.
 */
function controlKeys(members: readonly BuiltControl[]): Map<string, string> {
  const rules = new Map<ControlId, number>();
  for (const c of members) rules.set(c.id, (rules.get(c.id) ?? 0) + 1);
  const seen = new Map<ControlId, number>();
  return new Map(
    members.map((c) => {
      const n = (seen.get(c.id) ?? 0) + 1;
      seen.set(c.id, n);
      return [c.ref, rules.get(c.id)! > 1 ? `${c.id}-${n}` : c.id];
    }),
  );
}

/**
 * The stable layout (see the file comment): a large or split control alone, the rest first-fit
 * into numbered documents; documents in the order of the first control each holds, as the summary
 * and the docs read them.
 */
function stableBins(members: readonly BuiltControl[], parts: (c: BuiltControl) => BuiltControl[], limit: number): Bin[] {
  const keys = controlKeys(members);
  const alone: Array<Bin & { at: number }> = [];
  const small: BuiltControl[] = [];
  members.forEach((control, at) => {
    const split = parts(control);
    if (split.length === 1 && documentSize([control]) <= limit / 2) small.push(control);
    else split.forEach((part, i) => alone.push({ key: i === 0 ? keys.get(control.ref)! : `${keys.get(control.ref)}-part-${i + 1}`, parts: [part], at }));
  });
  const packed = numbered(fewestDocuments(small, limit)).map((bin) => ({ ...bin, at: members.indexOf(bin.parts[0]) }));
  return [...packed, ...alone].sort((a, b) => a.at - b.at).map(({ key, parts: held }) => ({ key, parts: held }));
}

/** The dense layout, for groups on a target the stable one would overload: every part, in the fewest documents. */
function denseBins(members: readonly BuiltControl[], parts: (c: BuiltControl) => BuiltControl[], limit: number): Bin[] {
  return numbered(fewestDocuments(members.flatMap(parts), limit));
}

function numbered(bins: readonly BuiltControl[][]): Bin[] {
  return bins.map((parts, i) => ({ key: String(i + 1), parts }));
}

/**
 * The description: every target (the name of a document on several only carries their hash),
 * then the controls' titles; over AWS's 512 characters the titles are cut first, as the content
 * shows the controls, then the list of targets ends with how many more there are.
 */
export function describeDocument(titles: readonly string[], targets: readonly string[]): string {
  const limit = QUOTAS.scpDescription.value;
  const what = [...new Set(titles)].join("; ");
  for (let shown = targets.length; shown >= 1; shown--) {
    const where = shown === targets.length ? targets.join(", ") : `${targets.slice(0, shown).join(", ")} and ${targets.length - shown} more`;
    const head = `Claude Platform baseline on ${where}: `;
    if (head.length + what.length <= limit) return head + what;
    if (head.length + 40 <= limit) return `${head}${what.slice(0, limit - head.length - 3)}...`;
  }
  return `Claude Platform baseline on ${targets.length} targets: ${what}`.slice(0, limit);
}

function documentsOf(targets: readonly string[], bins: readonly Bin[], rootId: string): PackedScp[] {
  const group = groupKey(targets, rootId);
  return bins.map((bin) => {
    const key = `${group}-${bin.key}`;
    const content = minified(policyDocument(bin.parts.flatMap((c) => c.statements)));
    return {
      key,
      name: `${SCP_NAME_PREFIX}-${key}`,
      logicalId: `scp-${key}`,
      description: describeDocument(
        bin.parts.map((c) => c.title),
        targets,
      ),
      content,
      size: content.length,
      controls: bin.parts.map((c) => c.label),
      controlRefs: bin.parts.map((c) => c.ref),
      controlIds: [...new Set(bin.parts.map((c) => c.id))],
      targets,
    };
  });
}

export function packScps(controls: readonly BuiltControl[], config: BaselineConfig): ScpPlan {
  const targets = describeTargets(config);
  const problems: string[] = [];
  const limit = QUOTAS.scpSize.value;
  const groups = groupControls(controls);
  // By the control itself: a per-target control's pieces share their label.
  const split = new Map<BuiltControl, BuiltControl[]>();
  for (const [key, members] of groups) {
    const where = key
      .split(",")
      .map((t) => targets.get(t)?.label ?? t)
      .join(", ");
    for (const control of members) split.set(control, partsOf(control, limit, where, problems, config));
  }
  const parts = (control: BuiltControl) => split.get(control)!;
  const layout = (dense: ReadonlySet<string>) =>
    [...groups].flatMap(([key, members]) =>
      documentsOf(key.split(","), (dense.has(key) ? denseBins : stableBins)(members, parts, limit), config.organization.root.id),
    );
  const loadsOf = (documents: readonly PackedScp[]) => {
    const counts = documentsPerTarget(documents);
    return [...targets.entries()]
      .filter(([target]) => counts.has(target))
      .map(([target, info]) => loadOf(target, info, counts.get(target)!, config.organization.fullAwsAccessAttached));
  };

  let documents = layout(new Set());
  const crowded = new Set(
    loadsOf(documents)
      .filter((load) => load.total > QUOTAS.scpsPerTarget.value)
      .map((load) => load.target),
  );
  if (crowded.size > 0) documents = layout(new Set([...groups.keys()].filter((key) => key.split(",").some((t) => crowded.has(t)))));

  const loads = loadsOf(documents);
  for (const load of loads) {
    if (load.total > QUOTAS.scpsPerTarget.value) problems.push(overloadMessage(load, documents, [...split.values()].flat()));
  }
  for (const doc of documents) {
    if (doc.name.length > QUOTAS.scpName.value)
      problems.push(`SCP ${doc.name}: the name is over ${QUOTAS.scpName.value} characters, which no valid target id should make; report it as a bug`);
  }
  if (problems.length > 0) throw new SynthesisError(problems);
  const documentsLowerBound = [...groups.values()].reduce((sum, members) => sum + documentsLowerBoundOf(members.flatMap(parts), limit), 0);
  return { documents, targets: loads, documentsLowerBound };
}

/** How many documents each target carries, in one pass over the documents' targets (not targets × documents). */
function documentsPerTarget(documents: readonly PackedScp[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const d of documents) for (const target of d.targets) counts.set(target, (counts.get(target) ?? 0) + 1);
  return counts;
}

function loadOf(target: string, info: TargetInfo, baselineScps: number, fullAwsAccess: boolean): TargetLoad {
  return { target, label: info.label, baselineScps, reserved: info.reserved, fullAwsAccess, total: baselineScps + info.reserved + (fullAwsAccess ? 1 : 0) };
}

function overloadMessage(load: TargetLoad, documents: readonly PackedScp[], parts: readonly BuiltControl[]): string {
  const here = documents.filter((d) => d.targets.includes(load.target));
  const sizes = new Map(parts.filter((c) => c.attachTo.includes(load.target)).map((c) => [c.ref, documentSize([c])]));
  const listed = here.map((d) => `${d.name} [${d.controls.map((label, i) => `${label} ${withThousands(sizes.get(d.controlRefs[i]) ?? 0)} chars`).join(", ")}]`);
  const others = [load.fullAwsAccess ? "FullAWSAccess" : "", load.reserved > 0 ? `${load.reserved} reserved` : ""].filter(Boolean).join(" + ");
  return `${load.label}: would carry ${load.total} SCPs (${[others, ...listed].filter(Boolean).join(" + ")}), over the quota of ${QUOTAS.scpsPerTarget.value} per target; ${overloadFixes(load, here).join(", ")}`;
}

/** The fixes that apply to what is on an overloaded target, most specific first. */
function overloadFixes(load: TargetLoad, here: readonly PackedScp[]): string[] {
  const fixes: string[] = [];
  const split = new Map<string, ControlId>();
  for (const d of here) {
    d.controls.forEach((label) => {
      const part = / \(part \d+ of \d+\)$/.exec(label);
      if (part)
        split.set(
          label.slice(0, part.index),
          d.controlIds.find((id) => label.startsWith(id))!,
        );
    });
  }
  for (const [label, id] of split) fixes.push(splitHint(id, label, load.target));
  if (new Set(here.map((d) => d.targets.join(","))).size > 1)
    fixes.push("attach controls on this target to the same targets as each other so they share documents");
  fixes.push("attach some of these controls lower in the tree");
  if (load.reserved > 0) fixes.push(`lower reservedScpSlots of ${load.target} if those slots are free`);
  return fixes;
}
