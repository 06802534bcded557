/**
 * Config → everything the audit stack needs: names, advanced event selectors (within CloudTrail's
 * value budget), the seven policy documents (each checked against the IAM reference data) and the
 * alarms with their metric filter patterns. Pure: no cdktf import; stacks/audit-stack.ts wires it.
 */
import type { BaselineConfig } from "../../config/schema";
import type { Catalog } from "../catalog";
import { checkDocument } from "../check";
import { minified } from "../document";
import { SynthesisError } from "../errors";
import { shortHash, slugify } from "../names";
import { QUOTAS, withThousands, type Quota } from "../quotas";
import { ALARMS, buildAlarms, type AlarmDefinition } from "./alarms";
import { planArchive, type ArchivePlan } from "./archive";
import { buildCisAlarms, CIS_SERVICES } from "./cis";
import { buildEventRules, EVENT_RULES, type EventRule } from "./events";
import { buildInsightDetections, INSIGHT_DETECTIONS, type InsightDetection } from "./insights";
import { buildDocuments, DOCUMENT_TITLES, type AuditDocuments } from "./documents";
import { auditNames, nameProblems, type AuditNames } from "./names";
import { buildSelectors, type AdvancedEventSelector, type SelectorPlan } from "./selectors";

export { ALARMS, type AlarmDefinition, type AlarmSpec } from "./alarms";
export type { AuditDocuments } from "./documents";
export type { AuditNames } from "./names";
export type { AdvancedEventSelector, FieldSelector } from "./selectors";

/** Services the audit documents and alarm filters pick actions from, beyond the baseline catalogue. */
const AUDIT_SERVICES = ["kms", "sns", "sts", "organizations"];

export interface AuditPlan {
  readonly names: AuditNames;
  readonly organizationTrail: boolean;
  readonly logRetentionDays: number;
  /** Days before log objects (and their noncurrent versions) expire in both buckets. */
  readonly logLifecycleDays: number;
  /** The alarm topic's email subscriptions, each address once. */
  readonly alarmSubscriptions: readonly AlarmSubscription[];
  readonly selectors: SelectorPlan;
  readonly documents: AuditDocuments;
  /** Each document minified: exactly the string Terraform sends. */
  readonly policies: Readonly<Record<keyof AuditDocuments, string>>;
  readonly alarms: readonly AlarmDefinition[];
  /** Object Lock and replication of the log bucket. */
  readonly archive: ArchivePlan;
  /** Per-principal detections: Contributor Insights rules and the alarms on their metrics. */
  readonly insights: readonly InsightDetection[];
  /** EventBridge rules that deliver the high-severity patterns to the topic within seconds; none when turned off. */
  readonly eventRules: readonly EventRule[];
}

export interface AlarmSubscription {
  /** What the subscription is: the address, as a slug (readable in a plan) and a hash (distinct for addresses whose slugs agree). */
  readonly key: string;
  readonly email: string;
}

/**
 * Each alarm address once (a second subscription of one address is the same subscription in SNS),
 * keyed by the address itself, so removing one leaves the others where they are.
 */
export function alarmSubscriptions(emails: readonly string[]): AlarmSubscription[] {
  return [...new Set(emails)].map((email) => ({ key: `alarm-email-${slugify(email)}-${shortHash(email)}`, email }));
}

/** The audit plan, or undefined when the config has no auditTrail. Every problem found is thrown at once. */
export async function planAudit(config: BaselineConfig, catalog: Catalog): Promise<AuditPlan | undefined> {
  const trail = config.auditTrail;
  if (!trail) return undefined;
  const full = await catalog.including([...AUDIT_SERVICES, ...(trail.cisAlarms ? CIS_SERVICES : [])]);
  const names = auditNames(config, trail);
  const problems = nameProblems(names);
  const selectors = buildSelectors(config, trail, names, full);
  const documents = buildDocuments(names, trail.organizationTrail, trail.logReaders, trail.detections.eventBridge, full);
  for (const key of Object.keys(documents) as Array<keyof AuditDocuments>) {
    for (const problem of await checkDocument(documents[key], full)) problems.push(`auditTrail: ${DOCUMENT_TITLES[key]}: ${problem}`);
  }
  const alarms = [...buildAlarms(config, names, full), ...(trail.cisAlarms ? buildCisAlarms(names, full) : [])];
  const insights = buildInsightDetections(config, names, full);
  const eventRules = trail.detections.eventBridge ? buildEventRules(names, full) : [];
  problems.push(...metricFilterCountProblems(config, names, alarms), ...detectionNameProblems(insights, eventRules));
  const policies = Object.fromEntries(Object.entries(documents).map(([key, doc]) => [key, minified(doc)])) as Record<keyof AuditDocuments, string>;
  problems.push(...documentSizeProblems(policies));
  const archive = await planArchive(config, names, full);
  problems.push(...archive.problems);
  if (problems.length > 0) throw new SynthesisError(problems);
  return {
    names,
    organizationTrail: trail.organizationTrail,
    logRetentionDays: trail.logGroup.retentionDays,
    logLifecycleDays: trail.logLifecycleDays,
    alarmSubscriptions: alarmSubscriptions(trail.alarms.email),
    selectors,
    documents,
    policies,
    alarms,
    archive: archive.plan,
    insights,
    eventRules,
  };
}

/** Every metric filter (the baseline's, per protected workspace, and CIS) shares the log group's quota. */
function metricFilterCountProblems(config: BaselineConfig, names: AuditNames, alarms: readonly AlarmDefinition[]): string[] {
  const quota = QUOTAS.metricFiltersPerLogGroup.value;
  if (alarms.length <= quota) return [];
  const perWorkspace = alarms.filter((a) => a.workspace).length;
  const protectedCount = config.workspaces.filter((w) => w.protection).length;
  const fixed = alarms.length - perWorkspace;
  const each = protectedCount === 0 ? 0 : perWorkspace / protectedCount;
  const room =
    each === 0 ? "" : `; protect at most ${Math.max(0, Math.floor((quota - fixed) / each))} workspaces (remove protection from the others in workspaces[])`;
  return [
    `workspaces: ${protectedCount} protected workspaces need ${alarms.length} metric filters on ${names.logGroupName} (${each} per protected workspace, ${fixed} for the trail${config.auditTrail?.cisAlarms ? ", CIS alarms included" : ""}), over CloudWatch Logs' ${quota} per log group${room}`,
  ];
}

/** EventBridge and Contributor Insights take the trail's name as a prefix, and have shorter name quotas than alarms. */
function detectionNameProblems(insights: readonly InsightDetection[], eventRules: readonly EventRule[]): string[] {
  const problems: string[] = [];
  const longest = (items: readonly string[]) => items.reduce((a, b) => (b.length > a.length ? b : a), "");
  const eventName = longest(eventRules.map((r) => r.name));
  if (eventName.length > QUOTAS.eventRuleName.value) {
    problems.push(
      `auditTrail.name: the EventBridge rule name ${eventName} is ${eventName.length} characters, over EventBridge's ${QUOTAS.eventRuleName.value}; shorten auditTrail.name, or set auditTrail.detections.eventBridge: false`,
    );
  }
  const rules = insights.flatMap((d) => d.rules);
  const ruleName = longest(rules.map((r) => r.name));
  if (ruleName.length > QUOTAS.insightRuleName.value) {
    problems.push(
      `auditTrail.name: the Contributor Insights rule name ${ruleName} is ${ruleName.length} characters, over CloudWatch's ${QUOTAS.insightRuleName.value}; shorten auditTrail.name`,
    );
  }
  for (const r of rules.filter((x) => x.definition.length > QUOTAS.insightRuleDefinition.value)) {
    problems.push(
      `auditTrail.logGroup.name: the Contributor Insights rule ${r.name} is ${r.definition.length} characters, over CloudWatch's ${QUOTAS.insightRuleDefinition.value}; shorten the log group name`,
    );
  }
  return problems;
}

/**
 * Each audit document's size quota, and what makes it grow: only the log readers are a list the
 * config can grow (in the bucket and trail key policies); the others are the same size for every
 * config, so one over its quota is the baseline's bug.
 */
const AUDIT_DOCUMENT_QUOTAS: Readonly<Record<keyof AuditDocuments, { quota: Quota; fix: string }>> = {
  bucketPolicy: { quota: QUOTAS.s3BucketPolicySize, fix: "list fewer roles in auditTrail.logReaders (give investigators one reader role to assume)" },
  trailKeyPolicy: { quota: QUOTAS.kmsKeyPolicySize, fix: "list fewer roles in auditTrail.logReaders (give investigators one reader role to assume)" },
  accessLogBucketPolicy: { quota: QUOTAS.s3BucketPolicySize, fix: "report it as a bug" },
  alarmKeyPolicy: { quota: QUOTAS.kmsKeyPolicySize, fix: "report it as a bug" },
  topicPolicy: { quota: QUOTAS.snsTopicPolicySize, fix: "report it as a bug" },
  deliveryRoleTrust: { quota: QUOTAS.trustPolicySize, fix: "report it as a bug" },
  deliveryRolePolicy: { quota: QUOTAS.inlinePoliciesPerRole, fix: "report it as a bug" },
};

function documentSizeProblems(policies: Readonly<Record<keyof AuditDocuments, string>>): string[] {
  return (Object.keys(AUDIT_DOCUMENT_QUOTAS) as Array<keyof AuditDocuments>).flatMap((key) => {
    const { quota, fix } = AUDIT_DOCUMENT_QUOTAS[key];
    const size = Buffer.byteLength(policies[key], "utf8");
    return size > quota.value
      ? [
          `auditTrail: the ${DOCUMENT_TITLES[key]} is ${withThousands(size)} ${quota.unit}, over the quota of ${withThousands(quota.value)} (${quota.counts}); ${fix}`,
        ]
      : [];
  });
}

/** Lines for `npm run synth`'s summary. */
export function auditSummary(plan: AuditPlan): string[] {
  const n = plan.names;
  const quota = QUOTAS.advancedSelectorValuesPerTrail.value;
  const emails = plan.alarmSubscriptions.length;
  return [
    `  stack audit (account ${n.account}, ${n.region}): ${plan.organizationTrail ? "organization" : "account"} trail ${n.trailName}`,
    `    advanced event selectors: ${plan.selectors.valuesUsed} / ${quota} values; ${dataEventScope(plan.selectors.selectors)}`,
    `    logs: bucket ${n.bucket} (access logs in ${n.accessLogBucket}), log group ${n.logGroupName} (${plan.logRetentionDays} days)`,
    `    ${archiveLine(plan)}`,
    `    ${alarmCount(plan)} alarms to SNS topic ${n.topicName} (${emails} email subscription${emails === 1 ? "" : "s"})${plan.eventRules.length > 0 ? `, ${plan.eventRules.length} EventBridge rules to the same topic` : ""}`,
  ];
}

/** Who administers the keys, and what keeps the log files: retention lock and copy. */
function archiveLine(plan: AuditPlan): string {
  const { objectLock, replication } = plan.archive;
  const admins = plan.names.keyAdministratorArns.length;
  return [
    `archive: ${admins} key administrator${admins === 1 ? "" : "s"}`,
    objectLock ? `Object Lock ${objectLock.mode.toLowerCase()} mode, ${objectLock.days} days` : "no Object Lock",
    replication ? `replicated to ${replication.destinationBucket} (account ${replication.destinationAccount})` : "not replicated",
  ].join("; ");
}

/** Alarms, not metric filters: a baseline metric has no alarm; each per-principal detection has one. */
function alarmCount(plan: AuditPlan): number {
  return plan.alarms.filter((a) => a.alarm !== "metric-only").length + plan.insights.length;
}

function dataEventScope(selectors: readonly AdvancedEventSelector[]): string {
  const data = selectors.find((s) => s.fieldSelectors.some((f) => f.field === "eventCategory" && f.equals?.includes("Data")));
  const arns = data?.fieldSelectors.find((f) => f.field === "resources.ARN")?.startsWith ?? [];
  return arns.length === 0
    ? "data events of every Claude Platform workspace"
    : `data events of ${arns.length} Claude Platform workspace${arns.length === 1 ? "" : "s"}`;
}

/** The CIS AWS Foundations / Security Hub expectations the audit stack meets by construction, and how. */
export const CIS_EXPECTATIONS = [
  {
    id: "CloudTrail.1",
    expectation: "A multi-Region trail records read and write management events",
    how: "is_multi_region_trail, include_global_service_events, and an advanced selector for every management event with no readOnly filter",
  },
  {
    id: "CloudTrail.2",
    expectation: "The trail is encrypted at rest with a KMS key",
    how: "kms_key_id is a customer-managed key with rotation on; the log bucket's default encryption is SSE-KMS with the same key",
  },
  { id: "CloudTrail.4", expectation: "Log file validation is on", how: "enable_log_file_validation (Terraform's default is off)" },
  {
    id: "CloudTrail.5",
    expectation: "The trail is integrated with CloudWatch Logs",
    how: "cloud_watch_logs_group_arn and a delivery role that may write only this group's streams",
  },
  {
    id: "CloudTrail.6",
    expectation: "The log bucket is not publicly accessible",
    how: "all four public access block settings, ACLs disabled (BucketOwnerEnforced), a bucket policy that admits only CloudTrail for this trail and denies non-TLS requests",
  },
  {
    id: "CloudTrail.7",
    expectation: "Server access logging is on for the log bucket",
    how: "aws_s3_bucket_logging into a separate access-log bucket, which does not log itself",
  },
] as const;

/** Plain data for `npm run docs`: the trail, its selectors, the CIS expectations, and every alarm with its pattern for this config. */
export function describeAudit(plan: AuditPlan) {
  return {
    trail: {
      name: plan.names.trailName,
      arn: plan.names.trailArn,
      account: plan.names.account,
      region: plan.names.region,
      organizationTrail: plan.organizationTrail,
      summary:
        "Records every management event and the data events of Claude Platform workspaces (model calls, files, skills, environments, agents, sessions, memory stores), which CloudTrail does not record unless a trail asks for them; delivers them to an encrypted S3 bucket and to a CloudWatch Logs group whose metric filters raise the alarms below.",
      selectors: plan.selectors.selectors,
      selectorValues: { used: plan.selectors.valuesUsed, quota: QUOTAS.advancedSelectorValuesPerTrail.value },
      bucket: plan.names.bucket,
      accessLogBucket: plan.names.accessLogBucket,
      logGroup: { name: plan.names.logGroupName, retentionDays: plan.logRetentionDays },
      cis: CIS_EXPECTATIONS,
      thirdParty:
        "The data-event resource type AWS::AWSExternalAnthropic::Workspace and the workspace ARN are AWS's; the eventSource aws-external-anthropic.amazonaws.com is third-party, so no selector depends on it.",
    },
    alarms: plan.alarms,
    alarmSpecs: ALARMS,
    insights: plan.insights,
    insightSpecs: INSIGHT_DETECTIONS,
    eventRules: plan.eventRules,
    eventRuleSpecs: EVENT_RULES,
  };
}
