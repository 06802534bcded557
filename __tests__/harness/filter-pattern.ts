/**
 * A small evaluator for CloudWatch Logs JSON filter patterns, test-only, so the alarms' metric
 * filters can be checked against sample CloudTrail events. No package on npm evaluates these
 * patterns (checked: the registry list has only clients and emitters), so this implements the part
 * of the syntax the audit alarms use, from AWS's "Filter and pattern syntax" page (CloudWatch Logs
 * User Guide, "Matching terms in JSON log events"):
 *
 * - `{ EXPR }`; `EXPR` combines comparisons with `&&` and `||`, `&&` binding tighter, and
 *   parentheses.
 * - Selectors start at `$` and continue with `.name` (letters, digits, `_`, `-`) or `[n]`.
 * - `SELECTOR = VALUE` / `!=`: VALUE is a quoted or unquoted string, or a number. A string may
 *   start and/or end with `*` ("*Event matches PutEvent", "Event* matches EventId"); a `*` inside
 *   is literal ("Ev*ent will only match the actual string Ev*ent"); a bare `*` matches any value.
 *   "Strings that consist entirely of alphanumeric characters do not need to be quoted".
 * - Numeric comparisons `< > <= >= = !=` against numbers.
 * - `SELECTOR IS NULL`, `IS TRUE`, `IS FALSE`, `SELECTOR NOT EXISTS`.
 * - The forms of the CIS patterns Security Hub's CloudWatch.1-14 check (policies/trail/cis.ts)
 *   are all in this subset: no spaces (`{($.eventName=CreateTrail) || …}`), unquoted values with
 *   dots (`kms.amazonaws.com`), `NOT EXISTS` beside `!="…"`; audit.filter-pattern.test.ts covers them.
 * - "The SELECTOR must point to a value node (string or number) … If it points to an array or
 *   object, the filter will not be applied": both `=` and `!=` are false there.
 *
 * Where the page is silent this evaluator is strict, so a pattern relying on it fails here rather
 * than silently passing: `=`/`!=` on a missing or null field are false (AWS's own examples pair
 * `!=` with a separate `NOT EXISTS` when absence matters). Anything outside this subset (regular
 * expressions `%…%`, `[*]`, space-delimited or term patterns) is a parse error.
 */

type Node =
  | { kind: "or" | "and"; terms: Node[] }
  | { kind: "compare"; path: Path; op: Operator; value: Value }
  | { kind: "is"; path: Path; what: "NULL" | "TRUE" | "FALSE" }
  | { kind: "notExists"; path: Path };

type Path = ReadonlyArray<string | number>;
type Operator = "=" | "!=" | "<" | ">" | "<=" | ">=";
type Value = { kind: "string"; text: string } | { kind: "number"; number: number; text: string };

export class FilterPatternError extends Error {}

/** Parses a JSON filter pattern; throws FilterPatternError naming the position of the first problem. */
export function parseFilterPattern(pattern: string): Node {
  let at = 0;
  const fail = (what: string): never => {
    throw new FilterPatternError(`${what} at character ${at} of ${pattern}`);
  };
  const skip = () => {
    while (at < pattern.length && /\s/.test(pattern[at])) at++;
  };
  const peek = (text: string) => {
    skip();
    return pattern.startsWith(text, at);
  };
  const expect = (text: string) => {
    if (!peek(text)) fail(`expected ${JSON.stringify(text)}`);
    at += text.length;
  };

  /** One or more `operand`s joined by `operator`: `||` over `&&` over unary terms gives && its precedence. */
  const chain = (operator: "||" | "&&", kind: "or" | "and", operand: () => Node): Node => {
    const terms = [operand()];
    while (peek(operator)) {
      at += 2;
      terms.push(operand());
    }
    return terms.length === 1 ? terms[0] : { kind, terms };
  };
  const parseOr = (): Node => chain("||", "or", parseAnd);
  const parseAnd = (): Node => chain("&&", "and", parseUnary);
  const parseUnary = (): Node => {
    if (peek("(")) {
      at++;
      const inner = parseOr();
      expect(")");
      return inner;
    }
    return parseComparison();
  };
  const parsePath = (): Path => {
    expect("$");
    const path: Array<string | number> = [];
    for (;;) {
      if (pattern[at] === ".") {
        const name = /^[A-Za-z0-9_-]+/.exec(pattern.slice(at + 1));
        if (!name) fail("expected a property name after '.'");
        path.push(name![0]);
        at += 1 + name![0].length;
      } else if (pattern[at] === "[") {
        const index = /^\[(\d+)\]/.exec(pattern.slice(at));
        if (!index) fail("expected [number]");
        path.push(Number(index![1]));
        at += index![0].length;
      } else break;
    }
    if (path.length === 0) fail("a selector needs at least one property");
    return path;
  };
  const parseValue = (): Value => {
    skip();
    if (pattern[at] === '"') {
      const end = pattern.indexOf('"', at + 1);
      if (end < 0) fail("unterminated string");
      const text = pattern.slice(at + 1, end);
      at = end + 1;
      return { kind: "string", text };
    }
    const token = /^[^\s()&|}]+/.exec(pattern.slice(at));
    if (!token) fail("expected a value");
    at += token![0].length;
    const text = token![0];
    if (/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(text)) return { kind: "number", number: Number(text), text };
    if (!/^[A-Za-z0-9_*.:\-/]+$/.test(text)) fail(`unquoted value ${text} has characters that need double quotes`);
    return { kind: "string", text };
  };
  const parseComparison = (): Node => {
    skip();
    const path = parsePath();
    skip();
    for (const what of ["NULL", "TRUE", "FALSE"] as const) {
      if (pattern.startsWith(`IS ${what}`, at)) {
        at += 3 + what.length;
        return { kind: "is", path, what };
      }
    }
    if (pattern.startsWith("NOT EXISTS", at)) {
      at += "NOT EXISTS".length;
      return { kind: "notExists", path };
    }
    const op = /^(!=|<=|>=|=|<|>)/.exec(pattern.slice(at));
    if (!op) fail("expected an operator");
    at += op![0].length;
    const value = parseValue();
    if (!["=", "!="].includes(op![0]) && value.kind !== "number") fail(`${op![0]} compares numbers only`);
    return { kind: "compare", path, op: op![0] as Operator, value };
  };

  expect("{");
  const root = parseOr();
  expect("}");
  skip();
  if (at !== pattern.length) fail("unexpected text after the closing brace");
  return root;
}

const MISSING = Symbol("missing");

function resolve(event: unknown, path: Path): unknown {
  let node: unknown = event;
  for (const step of path) {
    if (typeof step === "number") {
      if (!Array.isArray(node) || step >= node.length) return MISSING;
      node = node[step];
    } else {
      if (node === null || typeof node !== "object" || Array.isArray(node) || !(step in node)) return MISSING;
      node = (node as Record<string, unknown>)[step];
    }
  }
  return node;
}

/** `*` at the start and/or end is a wildcard; a bare `*` matches anything; any other `*` is literal. */
export function stringMatches(pattern: string, text: string): boolean {
  if (pattern === "*") return true;
  const leading = pattern.startsWith("*");
  const trailing = pattern.length > 1 && pattern.endsWith("*");
  const core = pattern.slice(leading ? 1 : 0, trailing ? -1 : undefined);
  if (leading && trailing) return text.includes(core);
  if (leading) return text.endsWith(core);
  if (trailing) return text.startsWith(core);
  return text === core;
}

function compare(node: unknown, op: Operator, value: Value): boolean {
  // Only value nodes (strings and numbers) are compared; arrays, objects, null, booleans and
  // missing fields make the comparison false whatever the operator.
  if (typeof node !== "string" && typeof node !== "number") return false;
  if (value.kind === "number" && typeof node === "number") {
    const n = value.number;
    return { "=": node === n, "!=": node !== n, "<": node < n, ">": node > n, "<=": node <= n, ">=": node >= n }[op];
  }
  if (op !== "=" && op !== "!=") return false;
  const matches = stringMatches(value.text, String(node));
  return op === "=" ? matches : !matches;
}

function evaluate(node: Node, event: unknown): boolean {
  switch (node.kind) {
    case "or":
      return node.terms.some((t) => evaluate(t, event));
    case "and":
      return node.terms.every((t) => evaluate(t, event));
    case "compare":
      return compare(resolve(event, node.path), node.op, node.value);
    case "is": {
      const value = resolve(event, node.path);
      return node.what === "NULL" ? value === null : value === (node.what === "TRUE");
    }
    case "notExists":
      return resolve(event, node.path) === MISSING;
  }
}

/** Whether a JSON log event (an object, or its JSON text) matches the pattern. */
export function filterMatches(pattern: string, event: unknown): boolean {
  const parsed = parseFilterPattern(pattern);
  const value = typeof event === "string" ? JSON.parse(event) : event;
  return evaluate(parsed, value);
}
