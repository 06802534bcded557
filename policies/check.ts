/**
 * Checks every document against the reference data before anything is synthesized: each action
 * exists (a pattern matches at least one), each resource ARN pattern fits a resource type that one
 * of the statement's actions takes, each condition key exists and applies to the statement's
 * actions, each operator is one IAM knows. A statement that would silently match nothing is an
 * error, not a dead line in an SCP.
 */
import { arnSegments, globsIntersect, globToRegExp } from "../config/glob";
import { Catalog, conditionKeyExists, conditionKeySupported, splitAction, type CatalogAction, type CatalogResourceType } from "./catalog";
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
  return checkPreparedDocument(document, await prepareToCheck([document], catalog));
}

/**
 * The catalogue that holds every service `documents` name, with every condition key they use
 * looked up: what checkPreparedDocument needs to check them without waiting. An organization's
 * thousands of role documents are prepared once, not awaited one by one.
 */
export async function prepareToCheck(documents: readonly PolicyDocument[], catalog: Catalog): Promise<Catalog> {
  const services = new Set<string>();
  const conditionKeys = new Set<string>();
  // Thousands of role documents repeat a few dozen actions: each is split once.
  const seenActions = new Set<string>();
  for (const document of documents) {
    for (const statement of document.Statement) {
      for (const actions of [statement.Action, statement.NotAction]) {
        for (const action of actions ?? []) {
          if (action === "*" || seenActions.has(action)) continue;
          seenActions.add(action);
          services.add(splitAction(action)[0]);
        }
      }
      for (const keys of Object.values(statement.Condition ?? {})) for (const key in keys) conditionKeys.add(key);
    }
  }
  const full = [...services].every((service) => catalog.hasService(service)) ? catalog : await catalog.including(services);
  await learnConditionKeys([...conditionKeys]);
  return full;
}

/** Problems in one document, checked against a catalogue prepareToCheck returned for it. */
export function checkPreparedDocument(document: PolicyDocument, catalog: Catalog): string[] {
  return document.Statement.flatMap((s) => checkedStatement(s, catalog));
}

/**
 * Each statement on Resource "*" has its problems memoized, per catalogue, by its text: those
 * statements (STS, API keys, the console, actions that take no resource) recur in every role of
 * an organization with the same profiles, and the answer is a function of the text.
 */
const statementProblems = new WeakMap<Catalog, Map<string, string[]>>();

function checkedStatement(statement: Statement, catalog: Catalog): string[] {
  // A statement on named resources or principals is an account's own: keying it would cost more than checking it.
  if (statement.Principal || statement.Resource?.length !== 1 || statement.Resource[0] !== "*") return checkStatement(statement, catalog);
  return remembered(cacheOf(statementProblems, catalog), JSON.stringify(statement), () => checkStatement(statement, catalog));
}

/** The value `cache` holds for `key`, computed the first time it is asked. */
function remembered<K, V>(cache: Map<K, V>, key: K, compute: () => V): V {
  if (cache.has(key)) return cache.get(key)!;
  const value = compute();
  cache.set(key, value);
  return value;
}

/** One catalogue's cache among `caches`: a catalogue only ever gains services, so what it answered stays true. */
function cacheOf<K, V>(caches: WeakMap<Catalog, Map<K, V>>, catalog: Catalog): Map<K, V> {
  let cache = caches.get(catalog);
  if (!cache) caches.set(catalog, (cache = new Map()));
  return cache;
}

/**
 * Whether each condition key is in the reference data, asked once per key and process: the
 * answer never changes, and an organization's role documents ask about the same few keys
 * thousands of times, which then costs no await per statement.
 */
const conditionKeysKnown = new Map<string, boolean>();

async function learnConditionKeys(keys: readonly string[]): Promise<void> {
  const unknown = [...new Set(keys)].filter((key) => !conditionKeysKnown.has(key));
  const exists = await Promise.all(unknown.map((key) => conditionKeyExists(key)));
  unknown.forEach((key, i) => conditionKeysKnown.set(key, exists[i]));
}

function checkStatement(statement: Statement, catalog: Catalog): string[] {
  const problems: string[] = [];
  const say = (message: string) => problems.push(`statement ${statement.Sid}: ${message}`);

  const allowed = statement.Action ? checkedActions(statement.Action, catalog) : undefined;
  allowed?.problems.forEach(say);
  if (statement.NotAction) checkedActions(statement.NotAction, catalog).problems.forEach(say);
  if (!statement.Action && !statement.NotAction) say("has neither Action nor NotAction");
  if (!statement.Resource && !statement.NotResource && !statement.Principal) say("has neither Resource nor NotResource");

  for (const pattern of [...(statement.Resource ?? []), ...(statement.NotResource ?? [])]) {
    checkResource(pattern, allowed?.matched, catalog, say);
  }
  if (allowed && statement.Resource && !statement.Resource.includes("*")) {
    for (const action of allowed.resourceless) {
      say(`${action.name} takes only Resource "*", so the ARNs listed here never match it; give it its own statement with Resource "*"`);
    }
  }
  checkConditions(statement, allowed?.matched, say);
  return problems;
}

/** What checking a list of action patterns found, the same object each time the list recurs. */
interface CheckedActions {
  /** Every action the patterns match. */
  readonly matched: readonly CatalogAction[];
  /** Each action named without a wildcard that takes no resource type. */
  readonly resourceless: readonly CatalogAction[];
  readonly problems: readonly string[];
}

/**
 * Each list of action patterns, checked once per catalogue: an organization's role documents
 * repeat a few lists (one per capability) thousands of times.
 */
const checkedActionLists = new WeakMap<Catalog, Map<string, CheckedActions>>();

function checkedActions(patterns: readonly string[], catalog: Catalog): CheckedActions {
  return remembered(cacheOf(checkedActionLists, catalog), patterns.join("\u0000"), () => {
    const problems: string[] = [];
    const matched = checkActions(patterns, catalog, (message) => problems.push(message));
    const resourceless = patterns
      .filter((name) => !/[*?]/.test(name))
      .map((name) => expand(catalog, name)[0])
      .filter((action) => action !== undefined && action.resourceTypes.length === 0);
    return { matched, resourceless, problems };
  });
}

/** What each action pattern expands to in each catalogue: the same patterns recur in every role document. */
const expansions = new WeakMap<Catalog, Map<string, CatalogAction[]>>();

function expand(catalog: Catalog, pattern: string): CatalogAction[] {
  return remembered(cacheOf(expansions, catalog), pattern, () => catalog.expand(pattern));
}

function checkActions(patterns: readonly string[], catalog: Catalog, say: (m: string) => void): CatalogAction[] {
  const matched: CatalogAction[] = [];
  for (const pattern of patterns) {
    if (pattern === "*") {
      matched.push(...expand(catalog, "*"));
      continue;
    }
    const [service] = splitAction(pattern);
    if (!pattern.includes(":")) say(`action ${JSON.stringify(pattern)} has no service prefix; write it as service:Action`);
    else if (!catalog.hasService(service)) say(`action ${pattern}: the IAM reference data has no service ${JSON.stringify(service)}`);
    else {
      const found = expand(catalog, pattern);
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
  return remembered(templateMatchers, template, () => {
    const segments = arnSegments(templatePattern(template)) ?? [];
    const escape = (text: string) => text.replace(/[.+?^${}()|[\]\\/-]/g, "\\$&");
    const body = segments.map((segment, i) => escape(segment).replace(/\*/g, i < 5 ? "[^:]*" : ".*")).join(":");
    return new RegExp(`^${body}$`, "s");
  });
}

/** Each wildcard segment, compiled once, to test a concrete segment against. */
const segmentMatchers = new Map<string, RegExp>();

function segmentMatcher(glob: string): RegExp {
  return remembered(segmentMatchers, glob, () => globToRegExp(glob));
}

/** Whether two segments of ARN patterns can match a common string: a walk over both only when both have wildcards. */
function segmentsIntersect(a: string, b: string): boolean {
  if (a === b || a === "*" || b === "*") return true;
  const aWild = /[*?]/.test(a);
  const bWild = /[*?]/.test(b);
  if (!aWild && !bWild) return false;
  if (!bWild) return segmentMatcher(a).test(b);
  if (!aWild) return segmentMatcher(b).test(a);
  return globsIntersect(a, b);
}

/**
 * Whether a resource type's ARN template and a resource pattern can name the same ARN: what
 * arnPatternsIntersect answers, with a pattern without wildcards (a workspace's ARN: most of what
 * an organization's role documents hold) matched against the compiled template, and a pattern
 * with wildcards compared segment by segment, walking both only where both have wildcards.
 */
function templateFits(template: string, pattern: string): boolean {
  if (!/[*?]/.test(pattern)) return templateMatcher(template).test(pattern);
  const sa = arnSegments(templatePattern(template));
  const sb = arnSegments(pattern);
  return sa !== undefined && sb !== undefined && sa.every((segment, i) => segmentsIntersect(segment, sb[i]));
}

/** Each service's resource types in each catalogue, listed once rather than for every action asked about. */
const resourceTypeLists = new WeakMap<Catalog, Map<string, CatalogResourceType[]>>();

function resourceTypesOf(catalog: Catalog, service: string): CatalogResourceType[] {
  return remembered(cacheOf(resourceTypeLists, catalog), service, () => catalog.resourceTypesOf(service));
}

/** The ARN templates of the resource types an action takes, per catalogue, listed once per action. */
const takenTemplates = new WeakMap<Catalog, Map<CatalogAction, string[]>>();

function templatesTakenBy(catalog: Catalog, action: CatalogAction): string[] {
  return remembered(cacheOf(takenTemplates, catalog), action, () => {
    const taken = new Set(action.resourceTypes.map((rt) => rt.toLowerCase()));
    return resourceTypesOf(catalog, action.service)
      .filter((t) => taken.has(t.key.toLowerCase()))
      .map((t) => t.arn);
  });
}

/** A resource pattern on its own, whatever the statement's actions. */
interface ResourcePattern {
  /** What is wrong with it alone: not an ARN, an unknown service, no resource type of its service. */
  readonly problem?: string;
  /** The resource types of its service it can name; none for "*" or a pattern over services, which no type check applies to. */
  readonly types: readonly CatalogResourceType[];
  /** Whether it can name an ARN of a resource type with this template, remembered per template. */
  readonly fits: (template: string) => boolean;
}

/**
 * Each resource pattern, worked out once per catalogue: an organization's role documents list
 * each workspace's ARN in every capability statement of its team's access policy and boundary.
 */
const resourcePatterns = new WeakMap<Catalog, Map<string, ResourcePattern>>();

function resourcePattern(pattern: string, catalog: Catalog): ResourcePattern {
  return remembered(cacheOf(resourcePatterns, catalog), pattern, (): ResourcePattern => {
    const answers = new Map<string, boolean>();
    const fits = (template: string) => remembered(answers, template, () => templateFits(template, pattern));
    if (pattern === "*") return { types: [], fits };
    const parts = arnSegments(pattern);
    if (!parts)
      return { problem: `resource ${JSON.stringify(pattern)} is not an ARN pattern (arn:partition:service:region:account:resource)`, types: [], fits };
    const service = parts[2];
    if (/[*?]/.test(service)) return { types: [], fits }; // a pattern over services is not tied to one resource type
    if (!catalog.hasService(service))
      return { problem: `resource ${pattern}: the IAM reference data has no service ${JSON.stringify(service)}`, types: [], fits };
    const types = resourceTypesOf(catalog, service).filter((t) => fits(t.arn));
    return types.length === 0 ? { problem: `resource ${pattern} matches no resource type of ${service}`, types, fits } : { types, fits };
  });
}

function checkResource(pattern: string, actions: readonly CatalogAction[] | undefined, catalog: Catalog, say: (m: string) => void) {
  const { problem, types, fits } = resourcePattern(pattern, catalog);
  if (problem) say(problem);
  else if (types.length > 0 && actions && actions.length > 0) {
    // By ARN, not by service: sts:AssumeRole takes STS's `role` type, whose ARN is IAM's.
    const takes = (action: CatalogAction) => templatesTakenBy(catalog, action).some(fits);
    if (!actions.some(takes)) say(`resource ${pattern} (${types.map((t) => t.key).join(", ")}) is taken by none of the statement's actions`);
  }
}

function checkConditions(statement: Statement, actions: readonly CatalogAction[] | undefined, say: (m: string) => void) {
  for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
    if (!isConditionOperator(operator)) say(`condition operator ${operator} is not an IAM operator`);
    for (const key of Object.keys(keys)) {
      const known = conditionKeysKnown.get(key);
      if (known === undefined) throw new Error(`condition key ${key} was never looked up: check the document through checkDocument or prepareToCheck`);
      if (!known) {
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
