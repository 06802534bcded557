/**
 * The AWS quotas a synthesized plan must meet, checked on the plan: a line per breach, each what
 * would fail only at `terraform apply`.
 */
import type { BaselinePlan } from "../../policies/baseline";
import { QUOTAS } from "../../policies/quotas";
import { ROLE_DOCUMENT_QUOTAS, type RoleDocumentKind } from "../../policies/roles";

/** Every quota the synthesized plan meets; a violation here is what would fail only at `terraform apply`. */
export function quotaViolations(plan: BaselinePlan): string[] {
  const out: string[] = [];
  const check = (what: string, value: number, limit: number) => value > limit && out.push(`${what}: ${value} > ${limit}`);
  for (const d of plan.scps.documents) {
    check(`${d.name} size`, d.size, QUOTAS.scpSize.value);
    check(`${d.name} name`, d.name.length, QUOTAS.scpName.value);
    check(`${d.name} description`, d.description.length, QUOTAS.scpDescription.value);
  }
  for (const t of plan.scps.targets) check(`${t.label} SCPs`, t.total, QUOTAS.scpsPerTarget.value);
  if (plan.audit) {
    check("selector values", plan.audit.selectors.valuesUsed, QUOTAS.advancedSelectorValuesPerTrail.value);
    check("metric filters", plan.audit.alarms.length, QUOTAS.metricFiltersPerLogGroup.value);
    const bytes = (text: string) => Buffer.byteLength(text, "utf8");
    check("log bucket policy", bytes(plan.audit.policies.bucketPolicy), QUOTAS.s3BucketPolicySize.value);
    check("trail key policy", bytes(plan.audit.policies.trailKeyPolicy), QUOTAS.kmsKeyPolicySize.value);
    for (const a of plan.audit.alarms) {
      check(`${a.name} pattern`, a.pattern.length, QUOTAS.metricFilterPatternLength.value);
      check(`${a.name} alarm name`, a.name.length, QUOTAS.alarmName.value);
      check(`${a.name} metric name`, a.metricName.length, QUOTAS.metricName.value);
    }
  }
  for (const stack of plan.roles.stacks) {
    for (const role of stack.roles) {
      for (const kind of Object.keys(ROLE_DOCUMENT_QUOTAS) as RoleDocumentKind[]) {
        check(`${role.roleName} ${kind}`, role.policies[kind].length, ROLE_DOCUMENT_QUOTAS[kind].value);
      }
    }
  }
  return out;
}
