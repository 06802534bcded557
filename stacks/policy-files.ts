/**
 * Every policy document of the baseline also as a plain JSON file,
 * `<outdir>/policies/<stack>/<name>.json`, for tools that do not read Terraform (review bots,
 * policy linters, `aws accessanalyzer validate-policy`): one per SCP (by its name), per audit
 * trail key, bucket, topic and delivery role policy, and per team role's access policy,
 * permissions boundary and trust policy (by the role's name). Each is the very document the stack
 * sends, pretty-printed; the documents are canonical, so the files are byte-identical for the
 * same config.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { BaselinePlan } from "../policies/baseline";
import type { PolicyDocument } from "../policies/document";
import type { RoleDocumentKind } from "../policies/roles";
import type { AuditDocuments } from "../policies/trail";
import { AUDIT_STACK } from "./audit-stack";
import { ORGANIZATION_STACK } from "./organization-stack";

export const POLICY_FILES_DIR = "policies";

const AUDIT_FILES: Readonly<Record<keyof AuditDocuments, string>> = {
  deliveryRoleTrust: "delivery-role-trust-policy",
  deliveryRolePolicy: "delivery-role-policy",
  bucketPolicy: "log-bucket-policy",
  accessLogBucketPolicy: "access-log-bucket-policy",
  trailKeyPolicy: "trail-key-policy",
  alarmKeyPolicy: "alarm-key-policy",
  topicPolicy: "alarm-topic-policy",
};

const ROLE_FILES: Readonly<Record<RoleDocumentKind, string>> = { access: "access-policy", boundary: "permissions-boundary", trust: "trust-policy" };

export interface PolicyFile {
  /** Relative to the outdir: `policies/<stack>/<name>.json`. */
  readonly path: string;
  /**
   * The document the stack sends: as the minified string, or (a team role's, thousands of them in
   * a large organization) as the canonical document that string was minified from.
   */
  readonly document: string | PolicyDocument;
}

export function policyFiles(plan: BaselinePlan): PolicyFile[] {
  const file = (stack: string, name: string, document: string | PolicyDocument): PolicyFile => ({
    path: path.posix.join(POLICY_FILES_DIR, stack, `${name}.json`),
    document,
  });
  const audit = plan.audit;
  return [
    ...plan.scps.documents.map((scp) => file(ORGANIZATION_STACK, scp.name, scp.content)),
    ...(audit ? (Object.keys(AUDIT_FILES) as Array<keyof AuditDocuments>).map((key) => file(AUDIT_STACK, AUDIT_FILES[key], audit.policies[key])) : []),
    ...plan.roles.stacks.flatMap((stack) =>
      stack.roles.flatMap((role) =>
        (Object.keys(ROLE_FILES) as RoleDocumentKind[]).map((kind) => file(stack.name, `${role.roleName}-${ROLE_FILES[kind]}`, role.documents[kind])),
      ),
    ),
  ];
}

/** Pretty-printed, two-space indented, with a final newline: what a reviewer diffs. */
export function prettyPolicy(document: string | PolicyDocument): string {
  return `${JSON.stringify(typeof document === "string" ? JSON.parse(document) : document, null, 2)}\n`;
}

/**
 * Makes `<outdir>/policies` hold exactly this plan's files: a document the config dropped leaves
 * no file behind, and each file is written over the one already there rather than deleted and
 * created again. On ext4, creating files just after deleting many is slow (the inode allocator
 * steps over the recently deleted ones): re-creating a thousand-account organization's files on
 * every synth cost seconds of system time.
 */
export function writePolicyFiles(outdir: string, plan: BaselinePlan): void {
  const root = path.join(outdir, POLICY_FILES_DIR);
  const byDirectory = new Map<string, Map<string, PolicyFile["document"]>>();
  for (const f of policyFiles(plan)) {
    const target = path.join(outdir, f.path);
    const directory = path.dirname(target);
    let files = byDirectory.get(directory);
    if (!files) byDirectory.set(directory, (files = new Map()));
    files.set(path.basename(target), f.document);
  }
  removeUnwanted(root, byDirectory);
  for (const [directory, files] of byDirectory) {
    mkdirSync(directory, { recursive: true });
    for (const [name, document] of files) writeFileSync(path.join(directory, name), prettyPolicy(document));
  }
}

/** Removes from `root` every directory and file that `wanted` (files by directory) does not name as such. */
function removeUnwanted(root: string, wanted: ReadonlyMap<string, ReadonlyMap<string, unknown>>): void {
  if (!existsSync(root)) return;
  const remove = (target: string) => rmSync(target, { recursive: true, force: true });
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const directory = path.join(root, entry.name);
    const files = wanted.get(directory);
    if (!files || !entry.isDirectory()) {
      remove(directory);
      continue;
    }
    for (const file of readdirSync(directory, { withFileTypes: true })) {
      if (!files.has(file.name) || !file.isFile()) remove(path.join(directory, file.name));
    }
  }
}
