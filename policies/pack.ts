/**
 * Packs controls into as few SCP documents as fit the size quota, and checks that no target ends
 * up with more attached SCPs than AWS allows. Controls that attach to the same set of targets
 * share documents; a control that fits one document is never split, so each document can be read
 * control by control, and only a control too large for any document is split, at statement
 * boundaries. Sizes are measured on the exact string Terraform sends.
 */
import type { BaselineConfig } from "../config/schema";
import { compareStrings, minified, policyDocument, type Statement } from "./document";
import { SynthesisError } from "./errors";
import { QUOTAS, withThousands } from "./quotas";
import type { BuiltControl } from "./scp";

export interface PackedScp {
  /** The SCP's name in AWS Organizations; stable as long as its target set is. */
  readonly name: string;
  /** Terraform-safe identifier of the document. */
  readonly logicalId: string;
  readonly description: string;
  /** The minified canonical document: exactly what is sent. */
  readonly content: string;
  readonly size: number;
  readonly controls: readonly string[];
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
}

interface TargetInfo {
  readonly label: string;
  readonly slug: string;
  readonly reserved: number;
}

export const SCP_NAME_PREFIX = "claude-platform-baseline";

export function describeTargets(config: BaselineConfig): Map<string, TargetInfo> {
  const org = config.organization;
  const out = new Map<string, TargetInfo>();
  out.set(org.root.id, { label: `${org.root.id} (root)`, slug: "root", reserved: org.root.reservedScpSlots });
  for (const ou of org.organizationalUnits) out.set(ou.id, { label: `${ou.id} (OU ${ou.name})`, slug: `ou-${slugify(ou.name)}`, reserved: ou.reservedScpSlots });
  for (const a of org.accounts) out.set(a.id, { label: `${a.id} (account ${a.name})`, slug: `account-${a.name}`, reserved: a.reservedScpSlots });
  return out;
}

function slugify(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "unnamed";
}

function controlSize(control: BuiltControl): number {
  return minified(policyDocument(control.statements)).length;
}

/**
 * A control that fits one SCP, as it is; one that does not (tamper protection lists every team
 * role, protectWorkspaces every protected workspace), split at statement boundaries, in Sid order,
 * into parts that each fit. Every SCP at a target must allow a request, so a Deny statement
 * denies the same wherever it sits. A single statement over the quota cannot be split: that is
 * reported, naming it.
 */
function partsOf(control: BuiltControl, limit: number, where: string, problems: string[]): BuiltControl[] {
  if (controlSize(control) <= limit) return [control];
  const parts: Statement[][] = [];
  for (const statement of policyDocument(control.statements).Statement) {
    const alone = minified(policyDocument([statement])).length;
    if (alone > limit) {
      problems.push(
        `controls.${control.label} (on ${where}): its statement ${statement.Sid} alone is ${withThousands(alone)} characters, over the SCP quota of ${withThousands(limit)}; list fewer workspaces or principals in it, or split its rules across targets`,
      );
      continue;
    }
    const last = parts[parts.length - 1];
    if (last && minified(policyDocument([...last, statement])).length <= limit) last.push(statement);
    else parts.push([statement]);
  }
  return parts.map((statements, i) => ({ ...control, label: `${control.label} (part ${i + 1} of ${parts.length})`, statements }));
}

export function packScps(controls: readonly BuiltControl[], config: BaselineConfig): ScpPlan {
  const targets = describeTargets(config);
  const problems: string[] = [];
  const limit = QUOTAS.scpSize.value;

  const groups = new Map<string, BuiltControl[]>();
  for (const control of controls) {
    const key = [...control.attachTo].sort(compareStrings).join(",");
    groups.set(key, [...(groups.get(key) ?? []), control]);
  }

  const documents: PackedScp[] = [];
  const packed: BuiltControl[] = [];
  for (const [key, members] of groups) {
    const groupTargets = key.split(",");
    const bins: BuiltControl[][] = [];
    const where = groupTargets.map((t) => targets.get(t)?.label ?? t).join(", ");
    for (const part of members.flatMap((control) => partsOf(control, limit, where, problems))) {
      packed.push(part);
      const bin = bins.find((b) => minified(policyDocument([...b, part].flatMap((c) => c.statements))).length <= limit);
      if (bin) bin.push(part);
      else bins.push([part]);
    }
    const slug = groupTargets.map((t) => targets.get(t)?.slug ?? t).join("-");
    bins.forEach((bin, index) => {
      const content = minified(policyDocument(bin.flatMap((c) => c.statements)));
      const name = `${SCP_NAME_PREFIX}-${slug}-${index + 1}`;
      documents.push({
        name,
        logicalId: `scp-${slug}-${index + 1}`.replace(/[^A-Za-z0-9_-]/g, "_"),
        description: `Claude Platform baseline: ${bin.map((c) => c.title).join("; ")}`.slice(0, 512),
        content,
        size: content.length,
        controls: bin.map((c) => c.label),
        targets: groupTargets,
      });
    });
  }

  const loads = [...targets.entries()]
    .map(([target, info]) => loadOf(target, info, documents, config.organization.fullAwsAccessAttached))
    .filter((load) => load.baselineScps > 0);
  for (const load of loads) {
    if (load.total > QUOTAS.scpsPerTarget.value) problems.push(overloadMessage(load, documents, packed));
  }
  for (const doc of documents) {
    if (doc.name.length > 128) problems.push(`SCP ${doc.name}: the name is over 128 characters; attach the controls it holds to fewer targets`);
  }
  if (problems.length > 0) throw new SynthesisError(problems);
  return { documents, targets: loads };
}

function loadOf(target: string, info: TargetInfo, documents: readonly PackedScp[], fullAwsAccess: boolean): TargetLoad {
  const baselineScps = documents.filter((d) => d.targets.includes(target)).length;
  return { target, label: info.label, baselineScps, reserved: info.reserved, fullAwsAccess, total: baselineScps + info.reserved + (fullAwsAccess ? 1 : 0) };
}

function overloadMessage(load: TargetLoad, documents: readonly PackedScp[], controls: readonly BuiltControl[]): string {
  const sizes = new Map(controls.map((c) => [c.label, controlSize(c)]));
  const here = documents
    .filter((d) => d.targets.includes(load.target))
    .map((d) => `${d.name} [${d.controls.map((c) => `${c} ${withThousands(sizes.get(c) ?? 0)} chars`).join(", ")}]`);
  const others = [load.fullAwsAccess ? "FullAWSAccess" : "", load.reserved > 0 ? `${load.reserved} reserved` : ""].filter(Boolean).join(" + ");
  return `${load.label}: would carry ${load.total} SCPs (${[others, ...here].filter(Boolean).join(" + ")}), over the quota of ${QUOTAS.scpsPerTarget.value} per target; attach some of these controls to the same targets as others so they share a document, move some lower in the tree, or lower reservedScpSlots if those slots are free`;
}
