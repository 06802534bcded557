/**
 * IAM-style wildcard matching (`*` any run of characters, `?` one character, case-sensitive as
 * ArnLike and StringLike are), and the question policies ask of two patterns: can any string
 * match both?
 */

/** Whether the concrete `value` matches the wildcard `pattern`. */
export function globMatches(pattern: string, value: string): boolean {
  return globToRegExp(pattern).test(value);
}

export function globToRegExp(pattern: string, flags = ""): RegExp {
  const body = pattern
    .split("")
    .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\/-]/g, "\\$&")))
    .join("");
  return new RegExp(`^${body}$`, `s${flags}`);
}

/**
 * Whether some string matches both wildcard patterns. State (i, j) asks whether a[i:] and b[j:]
 * can match a common string; a star either matches nothing or takes one more character.
 */
export function globsIntersect(a: string, b: string): boolean {
  const memo = new Map<number, boolean>();
  const walk = (i: number, j: number): boolean => {
    const key = i * (b.length + 1) + j;
    let result = memo.get(key);
    if (result !== undefined) return result;
    if (i === a.length && j === b.length) result = true;
    else if (a[i] === "*") result = walk(i + 1, j) || (j < b.length && walk(i, j + 1));
    else if (b[j] === "*") result = walk(i, j + 1) || (i < a.length && walk(i + 1, j));
    else if (i === a.length || j === b.length) result = false;
    else result = (a[i] === "?" || b[j] === "?" || a[i] === b[j]) && walk(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return walk(0, 0);
}

/** Splits an ARN into its six segments; the resource segment keeps any further colons. */
export function arnSegments(arn: string): string[] | undefined {
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(":")];
}

/** Whether two ARN patterns can match a common ARN; as in ArnLike, a wildcard stays within its segment. */
export function arnPatternsIntersect(a: string, b: string): boolean {
  const sa = arnSegments(a);
  const sb = arnSegments(b);
  if (!sa || !sb) return false;
  return sa.every((segment, i) => globsIntersect(segment, sb[i]));
}
