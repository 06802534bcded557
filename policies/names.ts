/**
 * Names of what the baseline creates, derived from the config in one place, so the controls that
 * protect a resource and the stacks that create it always agree.
 */
import { createHash } from "node:crypto";
import type { BaselineConfig } from "../config/schema";

type AuditTrailConfig = NonNullable<BaselineConfig["auditTrail"]>;

/** The log bucket: configured, or `<trail>-logs-<audit account>` (globally unique by account). */
export function trailBucketName(trail: AuditTrailConfig): string {
  return trail.bucketName ?? `${trail.name}-logs-${trail.account}`;
}

/** The Sid-safe form of a workspace id: `wrkspc_01PaymentsProd` → `01PaymentsProd`. */
export function workspaceSidSuffix(workspaceId: string): string {
  return workspaceId.replace(/^wrkspc_/, "");
}

/**
 * A workspace and anything under it (`workspace/<id>/…`, should the service ever authorize on
 * sub-resources), in any region and account: the id alone decides, so a wrong region in the
 * config cannot open a gap.
 */
export function workspaceArnPatterns(partition: string, workspaceId: string): string[] {
  const workspace = `arn:${partition}:aws-external-anthropic:*:*:workspace/${workspaceId}`;
  return [workspace, `${workspace}/*`];
}

/** Eight hex digits of the SHA-256 of `text`: a short key that stays the same for the same text on every machine. */
export function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 8);
}

/** Lowercase letters and digits, every other run of characters one hyphen: `Security Ops` → `security-ops`. */
export function slugify(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "unnamed"
  );
}
