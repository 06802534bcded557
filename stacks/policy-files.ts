/**
 * Every policy document of the baseline also as a plain JSON file,
 * `<outdir>/policies/<stack>/<name>.json`, for tools that do not read Terraform (review bots,
 * policy linters, `aws accessanalyzer validate-policy`): one per SCP (by its name), per audit
 * trail key, bucket, topic and delivery role policy, and per team role's access policy,
 * permissions boundary and trust policy (by the role's name). Each is the very document the stack
 * sends, pretty-printed; the documents are canonical, so the files are byte-identical for the
 * same config.
 */
import { lstatSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
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

/** The documents of one stack, each under its file's name (without `.json`). */
export interface StackPolicyFiles {
  readonly stack: string;
  /**
   * Each document the stack sends: as the minified string, or (a team role's, thousands of them
   * in a large organization) as the canonical document that string was minified from.
   */
  readonly documents: ReadonlyMap<string, string | PolicyDocument>;
}

/** Every stack's policy files, stack by stack, in the order the stacks are written. */
export function policyFilesByStack(plan: BaselinePlan): StackPolicyFiles[] {
  const audit = plan.audit;
  return [
    { stack: ORGANIZATION_STACK, documents: new Map(plan.scps.documents.map((scp) => [scp.name, scp.content])) },
    ...(audit
      ? [
          {
            stack: AUDIT_STACK,
            documents: new Map((Object.keys(AUDIT_FILES) as Array<keyof AuditDocuments>).map((key) => [AUDIT_FILES[key], audit.policies[key]])),
          },
        ]
      : []),
    ...plan.roles.stacks.map((stack) => ({
      stack: stack.name,
      documents: new Map(
        stack.roles.flatMap((role) =>
          (Object.keys(ROLE_FILES) as RoleDocumentKind[]).map((kind) => [`${role.roleName}-${ROLE_FILES[kind]}`, role.documents[kind]] as const),
        ),
      ),
    })),
  ];
}

/** How many policy files the plan writes, counted without listing them. */
export function policyFileCount(plan: BaselinePlan): number {
  const perRole = Object.keys(ROLE_FILES).length;
  const roles = plan.roles.stacks.reduce((sum, stack) => sum + stack.roles.length, 0);
  return plan.scps.documents.length + (plan.audit ? Object.keys(AUDIT_FILES).length : 0) + roles * perRole;
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
  const stacks = policyFilesByStack(plan);
  removeUnwanted(root, new Map(stacks.map((s) => [s.stack, new Set([...s.documents.keys()].map((name) => `${name}.json`))])));
  for (const { stack, documents } of stacks) {
    const directory = path.join(root, stack);
    mkdirSync(directory, { recursive: true });
    for (const [name, document] of documents) writeOver(`${directory}${path.sep}${name}.json`, prettyPolicy(document));
  }
}

/** Writes `text` over the file, or (a file made read-only) in place of it. */
function writeOver(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EACCES" && code !== "EPERM") throw error;
    rmSync(file, { force: true });
    writeFileSync(file, text);
  }
}

/** Removes from `root` every directory and file that `wanted` (file names by directory name) does not name as such. */
function removeUnwanted(root: string, wanted: ReadonlyMap<string, ReadonlySet<string>>): void {
  const remove = (target: string) => rmSync(target, { recursive: true, force: true });
  // Only a real folder is entered: a symlink (followed, it would lead outside the outdir) or a file is removed itself.
  const found = lstatSync(root, { throwIfNoEntry: false });
  if (!found) return;
  if (!found.isDirectory()) {
    remove(root);
    return;
  }
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const directory = path.join(root, entry.name);
    const files = wanted.get(entry.name);
    if (!files || !entry.isDirectory()) {
      remove(directory);
      continue;
    }
    for (const file of readdirSync(directory, { withFileTypes: true })) {
      if (!files.has(file.name) || !file.isFile()) remove(path.join(directory, file.name));
    }
  }
}
