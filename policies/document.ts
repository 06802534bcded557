/**
 * IAM policy statements and documents as plain values, and their one canonical form: keys in a
 * fixed order, every array sorted and de-duplicated, statements ordered by Sid, minified. The same
 * input always gives the same bytes, so Terraform shows no drift and a size measured here is the
 * size AWS counts.
 */

export type Effect = "Allow" | "Deny";
/** `{ operator: { key: values } }`, e.g. `{ ArnNotLike: { "aws:PrincipalArn": [...] } }`. */
export type Conditions = Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
export type Principal = "*" | Readonly<Record<string, readonly string[]>>;

export interface Statement {
  /** Stable name of the statement: also its name in docs and tests. Letters and digits only. */
  readonly Sid: string;
  readonly Effect: Effect;
  readonly Principal?: Principal;
  readonly Action?: readonly string[];
  readonly NotAction?: readonly string[];
  readonly Resource?: readonly string[];
  readonly NotResource?: readonly string[];
  readonly Condition?: Conditions;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly Statement[];
}

const STATEMENT_KEYS = ["Sid", "Effect", "Principal", "Action", "NotAction", "Resource", "NotResource", "Condition"] as const;

export function sortedUnique(values: Iterable<string>): string[] {
  // Most lists arrive in order already (a workspace's ARNs, a canonical document's values): one pass says so.
  if (Array.isArray(values) && isStrictlyAscending(values)) return values.slice();
  return [...new Set(values)].sort(compareStrings);
}

function isStrictlyAscending(values: readonly string[]): boolean {
  for (let i = 1; i < values.length; i++) if (!(values[i - 1] < values[i])) return false;
  return true;
}

/** Code-unit order, independent of locale, so output is identical on every machine. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortedRecord<T, U>(record: Readonly<Record<string, T>>, map: (value: T) => U): Record<string, U> {
  const out: Record<string, U> = {};
  for (const key of Object.keys(record).sort(compareStrings)) out[key] = map(record[key]);
  return out;
}

export function canonicalStatement(statement: Statement): Statement {
  const out: Record<string, unknown> = {};
  for (const key of STATEMENT_KEYS) {
    const value = statement[key];
    if (value === undefined) continue;
    if (key === "Condition") out[key] = sortedRecord(value as Conditions, (keys) => sortedRecord(keys, sortedUnique));
    else if (key === "Principal") out[key] = value === "*" ? "*" : sortedRecord(value as Record<string, readonly string[]>, sortedUnique);
    else if (Array.isArray(value)) out[key] = sortedUnique(value);
    else out[key] = value;
  }
  return out as unknown as Statement;
}

/** A document in canonical form. Sids must be unique: they name statements in docs and tests. */
export function policyDocument(statements: readonly Statement[]): PolicyDocument {
  const sids = new Set<string>();
  for (const s of statements) {
    if (!/^[A-Za-z0-9]+$/.test(s.Sid)) throw new Error(`statement Sid ${JSON.stringify(s.Sid)} must be letters and digits only`);
    if (sids.has(s.Sid)) throw new Error(`statement Sid ${s.Sid} appears twice in one document`);
    sids.add(s.Sid);
  }
  const ordered = [...statements].map(canonicalStatement).sort((a, b) => compareStrings(a.Sid, b.Sid));
  return { Version: "2012-10-17", Statement: ordered };
}

/** The exact string sent to AWS, and the one whose length the quotas count. */
export function minified(document: PolicyDocument): string {
  return JSON.stringify(document);
}

/** A statement with `extra` conditions added (operator by operator, key by key; values united). */
export function withConditions(statement: Statement, extra: Conditions): Statement {
  const merged: Record<string, Record<string, readonly string[]>> = {};
  for (const source of [statement.Condition ?? {}, extra]) {
    for (const [operator, keys] of Object.entries(source)) {
      const target = (merged[operator] ??= {});
      for (const [key, values] of Object.entries(keys)) target[key] = sortedUnique([...(target[key] ?? []), ...values]);
    }
  }
  return { ...statement, Condition: merged };
}
