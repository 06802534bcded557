/**
 * Checks every document against the reference data before anything is synthesized: each action
 * exists (a pattern matches at least one), each resource ARN pattern fits a resource type that one
 * of the statement's actions takes, each condition key exists and applies to the statement's
 * actions, each operator is one IAM knows. A statement that would silently match nothing is an
 * error, not a dead line in an SCP.
 */
import { arnPatternsIntersect, arnSegments } from "../config/glob";
import { Catalog, conditionKeyExists, conditionKeySupported, splitAction, type CatalogAction } from "./catalog";
import type { PolicyDocument, Statement } from "./document";

const BASE_OPERATORS = [
  "StringEquals",
  "StringNotEquals",
  "StringEqualsIgnoreCase",
  "StringNotEqualsIgnoreCase",
  "StringLike",
  "StringNotLike",
  "NumericEquals",
  "NumericNotEquals",
  "NumericLessThan",
  "NumericLessThanEquals",
  "NumericGreaterThan",
  "NumericGreaterThanEquals",
  "DateEquals",
  "DateNotEquals",
  "DateLessThan",
  "DateLessThanEquals",
  "DateGreaterThan",
  "DateGreaterThanEquals",
  "Bool",
  "BinaryEquals",
  "IpAddress",
  "NotIpAddress",
  "ArnEquals",
  "ArnLike",
  "ArnNotEquals",
  "ArnNotLike",
];

/** IAM condition operators: the base ones, their `…IfExists` forms, set qualifiers, and `Null`. */
export function isConditionOperator(operator: string): boolean {
  const unqualified = operator.replace(/^(ForAllValues|ForAnyValue):/, "");
  return unqualified === "Null" || BASE_OPERATORS.includes(unqualified.replace(/IfExists$/, ""));
}

/** Problems in one document, each naming the statement; empty when the document is sound. */
export async function checkDocument(document: PolicyDocument, catalog: Catalog): Promise<string[]> {
  const services = document.Statement.flatMap((s) => [...(s.Action ?? []), ...(s.NotAction ?? [])])
    .filter((a) => a !== "*")
    .map((a) => splitAction(a)[0]);
  const full = await catalog.including(services);
  const problems = await Promise.all(document.Statement.map((s) => checkStatement(s, full)));
  return problems.flat();
}

async function checkStatement(statement: Statement, catalog: Catalog): Promise<string[]> {
  const problems: string[] = [];
  const say = (message: string) => problems.push(`statement ${statement.Sid}: ${message}`);

  const actions = checkActions(statement.Action ?? [], catalog, say);
  checkActions(statement.NotAction ?? [], catalog, say);
  if (!statement.Action && !statement.NotAction) say("has neither Action nor NotAction");
  if (!statement.Resource && !statement.NotResource && !statement.Principal) say("has neither Resource nor NotResource");

  for (const pattern of [...(statement.Resource ?? []), ...(statement.NotResource ?? [])]) {
    checkResource(pattern, statement.Action ? actions : undefined, catalog, say);
  }
  if (statement.Action && statement.Resource && !statement.Resource.includes("*")) {
    for (const name of statement.Action.filter((a) => !/[*?]/.test(a))) {
      const action = catalog.action(name);
      if (action && action.resourceTypes.length === 0)
        say(`${action.name} takes only Resource "*", so the ARNs listed here never match it; give it its own statement with Resource "*"`);
    }
  }
  await checkConditions(statement, statement.Action ? actions : undefined, say);
  return problems;
}

function checkActions(patterns: readonly string[], catalog: Catalog, say: (m: string) => void): CatalogAction[] {
  const matched: CatalogAction[] = [];
  for (const pattern of patterns) {
    if (pattern === "*") {
      matched.push(...catalog.expand("*"));
      continue;
    }
    const [service] = splitAction(pattern);
    if (!pattern.includes(":")) say(`action ${JSON.stringify(pattern)} has no service prefix; write it as service:Action`);
    else if (!catalog.hasService(service)) say(`action ${pattern}: the IAM reference data has no service ${JSON.stringify(service)}`);
    else {
      const found = catalog.expand(pattern);
      if (found.length === 0) say(`action ${pattern} is not in the IAM reference data${/[*?]/.test(pattern) ? " (the pattern matches no action)" : ""}`);
      matched.push(...found);
    }
  }
  return matched;
}

/** The ARN template as a wildcard pattern: every `${Variable}` becomes `*`. */
function templatePattern(template: string): string {
  return template.replace(/\$\{[^}]+\}/g, "*");
}

/** Each template, compiled once: ArnLike's wildcards stay within a segment, except in the last (the resource, which may hold colons). */
const templateMatchers = new Map<string, RegExp>();

function templateMatcher(template: string): RegExp {
  let matcher = templateMatchers.get(template);
  if (!matcher) {
    const segments = arnSegments(templatePattern(template)) ?? [];
    const escape = (text: string) => text.replace(/[.+?^${}()|[\]\\/-]/g, "\\$&");
    const body = segments.map((segment, i) => escape(segment).replace(/\*/g, i < 5 ? "[^:]*" : ".*")).join(":");
    matcher = new RegExp(`^${body}$`, "s");
    templateMatchers.set(template, matcher);
  }
  return matcher;
}

/**
 * Whether a resource type's ARN template and a resource pattern can name the same ARN. A pattern
 * without wildcards (a workspace's ARN: most of what an organization's role documents hold) is
 * matched against the compiled template; only a pattern with wildcards needs the intersection of
 * two patterns, which costs a walk over both.
 */
function templateFits(template: string, pattern: string): boolean {
  return /[*?]/.test(pattern) ? arnPatternsIntersect(templatePattern(template), pattern) : templateMatcher(template).test(pattern);
}

function checkResource(pattern: string, actions: readonly CatalogAction[] | undefined, catalog: Catalog, say: (m: string) => void) {
  if (pattern === "*") return;
  const parts = arnSegments(pattern);
  if (!parts) {
    say(`resource ${JSON.stringify(pattern)} is not an ARN pattern (arn:partition:service:region:account:resource)`);
    return;
  }
  const service = parts[2];
  if (/[*?]/.test(service)) return; // a pattern over services is not tied to one resource type
  const types = catalog.resourceTypesOf(service).filter((t) => templateFits(t.arn, pattern));
  if (!catalog.hasService(service)) {
    say(`resource ${pattern}: the IAM reference data has no service ${JSON.stringify(service)}`);
  } else if (types.length === 0) {
    say(`resource ${pattern} matches no resource type of ${service}`);
  } else if (actions && actions.length > 0) {
    // By ARN, not by service: sts:AssumeRole takes STS's `role` type, whose ARN is IAM's.
    const takes = (action: CatalogAction) =>
      catalog
        .resourceTypesOf(action.service)
        .some((t) => action.resourceTypes.some((rt) => rt.toLowerCase() === t.key.toLowerCase()) && templateFits(t.arn, pattern));
    if (!actions.some(takes)) say(`resource ${pattern} (${types.map((t) => t.key).join(", ")}) is taken by none of the statement's actions`);
  }
}

async function checkConditions(statement: Statement, actions: readonly CatalogAction[] | undefined, say: (m: string) => void) {
  for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
    if (!isConditionOperator(operator)) say(`condition operator ${operator} is not an IAM operator`);
    for (const key of Object.keys(keys)) {
      if (!(await conditionKeyExists(key))) {
        say(`condition key ${key} is not in the IAM reference data`);
        continue;
      }
      const global = key.toLowerCase().startsWith("aws:") && !/^aws:(requesttag|resourcetag|tagkeys)/i.test(key);
      if (!global && actions && !actions.some((a) => conditionKeySupported(key, a.conditionKeys))) {
        say(`condition key ${key} applies to none of the statement's actions, so the condition never holds as written`);
      }
    }
  }
}
