/**
 * Detections that count per principal, which a metric filter cannot: CloudWatch Contributor
 * Insights rules on the trail's log group, and alarms on their metrics (INSIGHT_RULE_METRIC).
 *
 * Rule syntax (CloudWatch User Guide, "Contributor Insights rule syntax"): `Keys` are up to four
 * JSON log fields whose values together name a contributor; `Filters` (all must hold) match a
 * field `In` a list or `StartsWith` a prefix; `AggregateOn: Count` counts matching events. An
 * alarm reads a rule's `UniqueContributors` (distinct contributors in the period) or
 * `MaxContributorValue` (the top contributor's count in the period).
 */
import type { BaselineConfig } from "../../config/schema";
import { CLAUDE_SERVICE, type Catalog } from "../catalog";
import type { AuditNames } from "./names";

export interface InsightRule {
  /** What the rule is, for its resource address: `<detection id>[-<part>]`. */
  readonly id: string;
  /** The rule's name: `<trail>-<detection id>[-<part>]`. */
  readonly name: string;
  /** Exactly the string PutInsightRule receives (JSON, keys in a fixed order). */
  readonly definition: string;
}

export interface InsightMetric {
  /** The id the alarm's expression uses. */
  readonly id: string;
  readonly rule: string;
  readonly statistic: "UniqueContributors" | "MaxContributorValue";
}

export interface InsightDetectionSpec {
  readonly id: string;
  readonly title: string;
  readonly catches: string;
  readonly response: string;
  readonly thirdPartyFields?: string;
}

export interface InsightDetection extends InsightDetectionSpec {
  /** The alarm's name, under the prefix the alarm topic admits. */
  readonly name: string;
  readonly rules: readonly InsightRule[];
  readonly metrics: readonly InsightMetric[];
  /** The metric math the alarm compares with its threshold. */
  readonly expression: string;
  readonly periodSeconds: number;
  /** The alarm fires when the expression is above this in one period. */
  readonly threshold: number;
}

interface Filter {
  readonly Match: string;
  readonly In?: readonly string[];
  readonly NotIn?: readonly string[];
  readonly StartsWith?: readonly string[];
}

/** The principal a CloudTrail record names: a role session, an IAM user, a federated user. */
const PRINCIPAL = "$.userIdentity.arn";
/**
 * The role behind a role session. A thief who can assume the role again gets a new session (a new
 * userIdentity.arn) per burst; counting by the role sees the sum. Records of other callers have no
 * sessionIssuer, and Contributor Insights skips a record without its key, so they are counted by
 * their own ARN in a second rule.
 */
const SESSION_ROLE = "$.userIdentity.sessionContext.sessionIssuer.arn";
const ROLE_SESSIONS: Filter = { Match: "$.userIdentity.type", In: ["AssumedRole"] };
const OTHER_CALLERS: Filter = { Match: "$.userIdentity.type", NotIn: ["AssumedRole"] };

/**
 * Claude Platform workspace data events. Contributor Insights filters can only all hold, so the
 * event is recognised by its eventSource (third-party, as the public detection sets match it) and
 * its category (AWS's).
 */
const CLAUDE_DATA_EVENTS: readonly Filter[] = [
  { Match: "$.eventSource", StartsWith: [CLAUDE_SERVICE] },
  { Match: "$.eventCategory", In: ["Data"] },
];

const THIRD_PARTY_SOURCE =
  "The eventSource value aws-external-anthropic.amazonaws.com is third-party (matched by its aws-external-anthropic prefix); Contributor Insights filters cannot offer the alternatives the metric filters do, since all of a rule's filters must hold.";

function ruleDefinition(names: AuditNames, keys: readonly string[], filters: readonly Filter[]): string {
  return JSON.stringify({
    Schema: { Name: "CloudWatchLogRule", Version: 1 },
    LogGroupNames: [names.logGroupName],
    LogFormat: "JSON",
    Contribution: { Keys: keys, Filters: filters },
    AggregateOn: "Count",
  });
}

/** Model calls: inference and batch inference, the calls a stolen key is resold for. */
function modelCallNames(catalog: Catalog): string[] {
  return ["CreateInference", "CreateBatchInference"].map((n) => catalog.requireAction(`${CLAUDE_SERVICE}:${n}`).name.slice(CLAUDE_SERVICE.length + 1));
}

export const INSIGHT_DETECTIONS: readonly InsightDetectionSpec[] = [
  {
    id: "multi-region-principal",
    title: "One principal used Claude Platform in more than one region within an hour",
    catches:
      "A principal (userIdentity.arn: a role session, an IAM user, an API key's user) making workspace data calls in two or more regions in the same hour: the stolen-key pattern, where a leaked credential is used from wherever the buyer runs. Two rules count distinct principals and distinct principal-and-region pairs; their difference is above zero exactly when some principal was in two regions in the same clock hour (periods are aligned to the hour, so two calls minutes apart across the hour's turn are not compared). Known limit: a thief able to assume a role again, with a new session name per region, is several principals here; keying on the role instead would fire for every role legitimately used with workspaces in two regions.",
    response:
      "Find the principal in the multi-region-principal-pairs rule's top contributors (CloudWatch, Contributor Insights) for the hour. If its workload is not deliberately multi-region, revoke its sessions or delete its key, and compare sourceIPAddress and userAgent across the regions.",
    thirdPartyFields: THIRD_PARTY_SOURCE,
  },
  {
    id: "model-call-spike",
    title: "One principal made an unusual number of model calls",
    catches:
      "A principal making more model calls (CreateInference, CreateBatchInference) in five minutes than auditTrail.detections.modelCallsPerPrincipal: the LLM-jacking pattern, where a stolen credential is drained for inference. Role sessions are counted by their role, so calls spread over many sessions of one role add up; IAM users and other callers by their ARN. Not counted: Managed Agents sessions (CreateSession, UpdateSession), whose agent turns run the model on the service's side, and the requests inside one batch (a batch counts once).",
    response:
      "Find the role or caller in the top contributors of the model-call-spike-roles and model-call-spike-callers rules for the period. If the volume is not a known batch job, revoke its sessions or delete its key, check the cost, and look for the same principal in the multi-region and bearer-token alarms. If it is expected, raise modelCallsPerPrincipal.",
    thirdPartyFields: `${THIRD_PARTY_SOURCE} Event names are assumed equal to the IAM action names.`,
  },
];

const spec = (id: string) => INSIGHT_DETECTIONS.find((d) => d.id === id)!;

/** The Contributor Insights detections for one config. */
export function buildInsightDetections(config: BaselineConfig, names: AuditNames, catalog: Catalog): InsightDetection[] {
  const trail = config.auditTrail!;
  const rule = (id: string, keys: readonly string[], filters: readonly Filter[]): InsightRule => ({
    id,
    name: `${names.alarmNamePrefix}${id}`,
    definition: ruleDefinition(names, keys, filters),
  });
  const principals = rule("multi-region-principal-principals", [PRINCIPAL], CLAUDE_DATA_EVENTS);
  const pairs = rule("multi-region-principal-pairs", [PRINCIPAL, "$.awsRegion"], CLAUDE_DATA_EVENTS);
  const modelCalls = [...CLAUDE_DATA_EVENTS, { Match: "$.eventName", In: modelCallNames(catalog) }];
  const modelCallsByRole = rule("model-call-spike-roles", [SESSION_ROLE], [...modelCalls, ROLE_SESSIONS]);
  const modelCallsByCaller = rule("model-call-spike-callers", [PRINCIPAL], [...modelCalls, OTHER_CALLERS]);
  return [
    {
      ...spec("multi-region-principal"),
      name: `${names.alarmNamePrefix}multi-region-principal`,
      rules: [principals, pairs],
      metrics: [
        { id: "principals", rule: principals.name, statistic: "UniqueContributors" },
        { id: "pairs", rule: pairs.name, statistic: "UniqueContributors" },
      ],
      expression: "pairs - principals",
      periodSeconds: 3600,
      threshold: 0,
    },
    {
      ...spec("model-call-spike"),
      name: `${names.alarmNamePrefix}model-call-spike`,
      rules: [modelCallsByRole, modelCallsByCaller],
      metrics: [
        { id: "roles", rule: modelCallsByRole.name, statistic: "MaxContributorValue" },
        { id: "callers", rule: modelCallsByCaller.name, statistic: "MaxContributorValue" },
      ],
      expression: "MAX([roles, callers])",
      periodSeconds: 300,
      threshold: trail.detections.modelCallsPerPrincipal,
    },
  ];
}

/** The metric math of one insight metric, as the alarm's query carries it. */
export function insightRuleMetric(metric: InsightMetric): string {
  return `INSIGHT_RULE_METRIC("${metric.rule}", "${metric.statistic}")`;
}
