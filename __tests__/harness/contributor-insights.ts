/**
 * A small evaluator for CloudWatch Contributor Insights rules on JSON logs, test-only, so the
 * per-principal detections can be checked against sample CloudTrail events. It implements what the
 * CloudWatch User Guide ("Contributor Insights rule syntax") says for the parts the audit rules use:
 *
 * - `Contribution.Keys`: JSON fields (`$.a.b`, `$.a[0].b`) whose values together name a
 *   contributor; an event without one of them contributes nothing.
 * - `Contribution.Filters`: all must hold; `In` (equals one of), `NotIn`, `StartsWith` (starts with
 *   one of), `IsPresent` (true/false). Matching is case-sensitive.
 * - `AggregateOn: Count`: each matching event counts 1.
 * - Statistics per period: `UniqueContributors` (distinct contributors) and `MaxContributorValue`
 *   (the top contributor's count).
 *
 * And an alarm over INSIGHT_RULE_METRIC queries whose expression is one query's id, `a - b`, or
 * `MAX([a, b, …])` (metric math: the largest of the series at each point).
 * Anything else (other operators, `ValueOf`, Sum, other expressions) throws, so a rule relying on
 * what this does not model fails here rather than passing silently.
 */
import type { AuditStackView } from "./audit";

export interface InsightRuleJson {
  readonly Schema: { Name: string; Version: number };
  readonly LogGroupNames: readonly string[];
  readonly LogFormat: string;
  readonly Contribution: { Keys: readonly string[]; Filters?: ReadonlyArray<Record<string, unknown>>; ValueOf?: string };
  readonly AggregateOn: string;
}

export interface TimedEvent {
  /** Seconds since the start of the test's clock. */
  readonly at: number;
  readonly record: Record<string, unknown>;
}

export function parseRule(definition: string): InsightRuleJson {
  const rule = JSON.parse(definition) as InsightRuleJson;
  if (rule.Schema?.Name !== "CloudWatchLogRule" || rule.Schema.Version !== 1) throw new Error("not a CloudWatch Logs rule");
  if (rule.LogFormat !== "JSON") throw new Error(`log format ${rule.LogFormat} is not modelled`);
  if (rule.AggregateOn !== "Count" || rule.Contribution.ValueOf !== undefined) throw new Error("only AggregateOn Count is modelled");
  const keys = rule.Contribution.Keys;
  if (keys.length < 1 || keys.length > 4) throw new Error(`a rule has one to four keys, not ${keys.length}`);
  return rule;
}

/** The value at a JSON path such as `$.userIdentity.arn` or `$.resources[0].type`. */
export function valueAt(record: unknown, path: string): unknown {
  if (!path.startsWith("$.")) throw new Error(`${path} is not a JSON path`);
  let node: unknown = record;
  for (const part of path.slice(2).split(".")) {
    const m = /^([A-Za-z0-9_-]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) throw new Error(`${path}: cannot read ${part}`);
    node = node !== null && typeof node === "object" ? (node as Record<string, unknown>)[m[1]] : undefined;
    for (const index of m[2].match(/\d+/g) ?? []) node = Array.isArray(node) ? node[Number(index)] : undefined;
  }
  return node;
}

function filterHolds(filter: Record<string, unknown>, record: unknown): boolean {
  const { Match, ...operator } = filter;
  const [[name, operand], ...more] = Object.entries(operator);
  if (typeof Match !== "string" || more.length > 0) throw new Error(`a filter has Match and one operator: ${JSON.stringify(filter)}`);
  const value = valueAt(record, Match);
  const scalar = typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : undefined;
  switch (name) {
    case "In":
      return scalar !== undefined && (operand as string[]).includes(scalar);
    case "NotIn":
      return scalar !== undefined && !(operand as string[]).includes(scalar);
    case "StartsWith":
      return scalar !== undefined && (operand as string[]).some((p) => scalar.startsWith(p));
    case "IsPresent":
      return (value !== undefined) === operand;
    default:
      throw new Error(`filter operator ${name} is not modelled`);
  }
}

/** The contributor an event counts for, or undefined when a filter fails or a key is missing. */
export function contributorOf(rule: InsightRuleJson, record: unknown): string | undefined {
  if (!(rule.Contribution.Filters ?? []).every((f) => filterHolds(f, record))) return undefined;
  const values = rule.Contribution.Keys.map((k) => valueAt(record, k));
  if (values.some((v) => v === undefined || v === null || typeof v === "object")) return undefined;
  return JSON.stringify(values);
}

export type InsightStatistic = "UniqueContributors" | "MaxContributorValue";

/** A statistic of the rule for each period that has events, keyed by the period's start. */
export function ruleStatistic(rule: InsightRuleJson, events: readonly TimedEvent[], period: number, statistic: InsightStatistic): Map<number, number> {
  const counts = new Map<number, Map<string, number>>();
  for (const { at, record } of events) {
    const contributor = contributorOf(rule, record);
    if (contributor === undefined) continue;
    const start = Math.floor(at / period) * period;
    const bucket = counts.get(start) ?? new Map<string, number>();
    bucket.set(contributor, (bucket.get(contributor) ?? 0) + 1);
    counts.set(start, bucket);
  }
  return new Map([...counts].map(([start, bucket]) => [start, statistic === "UniqueContributors" ? bucket.size : Math.max(...bucket.values())]));
}

export interface AlarmQuery {
  readonly id: string;
  readonly expression: string;
  readonly period?: number;
  readonly return_data?: boolean;
}

/**
 * Whether an alarm over Contributor Insights metrics is in ALARM for some period of the events:
 * each INSIGHT_RULE_METRIC query is computed from its rule, the returned query's expression over them.
 */
export function insightAlarmFires(
  alarm: { metric_query: readonly AlarmQuery[]; threshold: number; comparison_operator: string },
  rules: ReadonlyMap<string, InsightRuleJson>,
  events: readonly TimedEvent[],
): boolean {
  const series = new Map<string, Map<number, number>>();
  for (const q of alarm.metric_query) {
    const m = /^INSIGHT_RULE_METRIC\("([^"]+)", "(UniqueContributors|MaxContributorValue)"\)$/.exec(q.expression);
    if (!m) continue;
    const rule = rules.get(m[1]);
    if (!rule) throw new Error(`the alarm reads rule ${m[1]}, which the stack does not define`);
    if (!q.period) throw new Error(`query ${q.id} has no period`);
    series.set(q.id, ruleStatistic(rule, events, q.period, m[2] as InsightStatistic));
  }
  const returned = alarm.metric_query.filter((q) => q.return_data);
  if (returned.length !== 1) throw new Error("an alarm returns exactly one query");
  const { id: returnedId, expression } = returned[0];
  const valueIn = (id: string, start: number) => series.get(id)?.get(start) ?? 0;
  const starts = new Set([...series.values()].flatMap((s) => [...s.keys()]));
  const evaluate = (start: number): number => {
    if (series.has(returnedId)) return valueIn(returnedId, start);
    const minus = /^(\w+) - (\w+)$/.exec(expression);
    if (minus) return valueIn(minus[1], start) - valueIn(minus[2], start);
    const max = /^MAX\(\[(\w+(?:, \w+)*)\]\)$/.exec(expression);
    if (max) return Math.max(...max[1].split(", ").map((id) => valueIn(id, start)));
    if (series.has(expression)) return valueIn(expression, start);
    throw new Error(`expression ${expression} is not modelled`);
  };
  const compare: Record<string, (v: number) => boolean> = {
    GreaterThanThreshold: (v) => v > alarm.threshold,
    GreaterThanOrEqualToThreshold: (v) => v >= alarm.threshold,
  };
  const test = compare[alarm.comparison_operator];
  if (!test) throw new Error(`comparison ${alarm.comparison_operator} is not modelled`);
  return [...starts].some((start) => test(evaluate(start)));
}

/** What an alarm over Contributor Insights metrics carries in cdk.tf.json. */
export interface InsightAlarmJson {
  readonly metric_query: AlarmQuery[];
  readonly threshold: number;
  readonly comparison_operator: string;
  readonly alarm_name: string;
  readonly alarm_actions: string[];
}

/** A synthesized audit stack's Contributor Insights rules, by name. */
export function insightRulesOf(view: AuditStackView): Map<string, InsightRuleJson> {
  return new Map(
    Object.values(view.resources("aws_cloudwatch_contributor_insight_rule")).map((r) => [String(r.rule_name), parseRule(String(r.rule_definition))]),
  );
}

/** The alarm of the per-principal detection `id` in a synthesized audit stack. */
export function insightAlarmOf(view: AuditStackView, id: string): InsightAlarmJson {
  return view.resource("aws_cloudwatch_metric_alarm", `alarm-${id}`) as unknown as InsightAlarmJson;
}

/** Whether the synthesized detection `id` fires over these events. */
export function detectionFires(view: AuditStackView, id: string, events: readonly TimedEvent[]): boolean {
  return insightAlarmFires(insightAlarmOf(view, id), insightRulesOf(view), events);
}
