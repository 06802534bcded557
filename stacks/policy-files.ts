/**
 * Every policy document of the baseline also as a plain JSON file,
 * `<outdir>/policies/<stack>/<name>.json`, for tools that do not read Terraform (review bots,
 * policy linters, `aws accessanalyzer validate-policy`): one per SCP (by its name), per audit
 * trail key, bucket, topic and delivery role policy, and per team role's access policy,
 * permissions boundary and trust policy (by the role's name). Each is the very document the stack
 * sends, pretty-printed; the documents are canonical, so the files are byte-identical for the
 * same config.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
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

/** Replaces `<outdir>/policies` with this plan's files, so a document the config dropped leaves no file behind. */
export function writePolicyFiles(outdir: string, plan: BaselinePlan): void {
  rmSync(path.join(outdir, POLICY_FILES_DIR), { recursive: true, force: true });
  // One directory per stack, created once rather than asked for again before each of its files.
  const made = new Set<string>();
  for (const f of policyFiles(plan)) {
    const target = path.join(outdir, f.path);
    const dir = path.dirname(target);
    if (!made.has(dir)) mkdirSync(dir, { recursive: true });
    made.add(dir);
    writeFileSync(target, prettyPolicy(f.document));
  }
}
