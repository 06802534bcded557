/**
 * Mutants of the synthesized SCPs: each removes one statement, or one value from one of a
 * statement's lists (an action, a resource, a principal or another condition value). A mutant
 * is named by the statement's Sid, so it applies to whatever config a test synthesizes, and is
 * applied where the intent harness reads SCPs out of the organization stack.
 */

interface PolicyStatement {
  Sid?: string;
  [field: string]: unknown;
}

export interface PolicyDocumentJson {
  Version: string;
  Statement: PolicyStatement[];
}

export interface Mutant {
  /** Stable, readable name: `Sid`, or `Sid Field-=value` (`Sid Condition.ArnNotLike.aws:PrincipalArn-=…`). */
  readonly id: string;
  readonly sid: string;
  /** The list the value is removed from; absent when the whole statement is removed. */
  readonly list?: readonly string[];
  readonly value?: string;
}

/** The environment variable that carries the active mutant into the test processes. */
export const MUTANT_ENV = "BASELINE_MUTANT";
/**
 * Set by the mutation run: a directory where the test harness synthesizes each config once for the
 * whole run. The output does not depend on the mutant (the harness applies it when it reads the
 * SCPs), and synthesizing every config again for each of hundreds of mutants was most of the time.
 */
export const SYNTH_CACHE_ENV = "BASELINE_SYNTH_CACHE";

/** Every mutant of the statements in `documents`, in a stable order, each Sid once. */
export function mutantsOf(documents: readonly PolicyDocumentJson[]): Mutant[] {
  const mutants = new Map<string, Mutant>();
  const add = (mutant: Mutant) => mutants.set(mutant.id, mutant);
  for (const statement of documents.flatMap((d) => d.Statement)) {
    const sid = statement.Sid;
    if (!sid) continue;
    add({ id: sid, sid });
    for (const [list, values] of valueLists(statement)) {
      // A list of one is the statement itself: removing its only value is removing the statement.
      if (values.length < 2) continue;
      for (const value of values) add({ id: `${sid} ${list.join(".")}-=${value}`, sid, list, value });
    }
  }
  return [...mutants.values()];
}

/** `[path, values]` for every list of strings in a statement: Action, Resource, …, and each condition's values. */
function valueLists(statement: PolicyStatement): Array<[string[], string[]]> {
  const lists: Array<[string[], string[]]> = [];
  for (const field of ["Action", "NotAction", "Resource", "NotResource"]) {
    const value = statement[field];
    if (value !== undefined) lists.push([[field], asList(value)]);
  }
  const conditions = (statement.Condition ?? {}) as Record<string, Record<string, unknown>>;
  for (const [operator, keys] of Object.entries(conditions)) {
    for (const [key, value] of Object.entries(keys)) lists.push([["Condition", operator, key], asList(value)]);
  }
  return lists;
}

function asList(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** `document` with `mutant` applied: the statement gone, or the value gone from its list. */
export function applyMutant(document: PolicyDocumentJson, mutant: Mutant): PolicyDocumentJson {
  const statements = document.Statement.flatMap((statement): PolicyStatement[] => {
    if (statement.Sid !== mutant.sid) return [statement];
    if (!mutant.list) return [];
    return [withoutValue(statement, mutant.list, mutant.value!)];
  });
  return { ...document, Statement: statements };
}

function withoutValue(statement: PolicyStatement, list: readonly string[], value: string): PolicyStatement {
  const copy = JSON.parse(JSON.stringify(statement)) as PolicyStatement;
  const [field, operator, key] = list;
  if (field === "Condition") {
    const block = (copy.Condition as Record<string, Record<string, unknown>>)[operator];
    block[key] = asList(block[key]).filter((v) => v !== value);
  } else {
    copy[field] = asList(copy[field]).filter((v) => v !== value);
  }
  return copy;
}

/** The mutant the current process runs under, if any. */
export function activeMutant(): Mutant | undefined {
  const raw = process.env[MUTANT_ENV];
  return raw ? (JSON.parse(raw) as Mutant) : undefined;
}
