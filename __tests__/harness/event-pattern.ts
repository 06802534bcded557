/**
 * A small EventBridge event-pattern matcher, test-only, so the rules that deliver tamper events to
 * the alarm topic can be checked against sample events. From the EventBridge User Guide ("Event
 * patterns", "Content filtering"): a pattern is an object whose leaves are arrays; an event
 * matches when, for every field the pattern names, the event's value (or one element of an array
 * value) equals one of the array's values, or satisfies one of its filters (`prefix`, `suffix`,
 * `anything-but`, `exists`). A field the pattern names that the event lacks fails the match.
 * Other filters throw, so a pattern relying on one fails here rather than passing silently.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function leafMatches(allowed: readonly Json[], value: Json | undefined): boolean {
  const candidates = Array.isArray(value) ? value : [value];
  return allowed.some((option) => {
    if (option !== null && typeof option === "object" && !Array.isArray(option)) {
      const [[filter, operand], ...rest] = Object.entries(option);
      if (rest.length > 0) throw new Error(`one filter per object: ${JSON.stringify(option)}`);
      switch (filter) {
        case "exists":
          return (value !== undefined) === operand;
        case "prefix":
          return candidates.some((v) => typeof v === "string" && v.startsWith(String(operand)));
        case "suffix":
          return candidates.some((v) => typeof v === "string" && v.endsWith(String(operand)));
        case "anything-but":
          return value !== undefined && candidates.every((v) => !(Array.isArray(operand) ? operand : [operand]).includes(v as Json));
        default:
          throw new Error(`content filter ${filter} is not modelled`);
      }
    }
    return value !== undefined && candidates.some((v) => v === option);
  });
}

export function eventMatches(pattern: Record<string, Json>, event: Record<string, Json>): boolean {
  return Object.entries(pattern).every(([field, expected]) => {
    const value = event[field];
    if (Array.isArray(expected)) return leafMatches(expected, value);
    if (expected !== null && typeof expected === "object") {
      return value !== null && typeof value === "object" && !Array.isArray(value) && eventMatches(expected, value);
    }
    throw new Error(`pattern leaves are arrays: ${field}`);
  });
}

/** A CloudTrail record as EventBridge delivers it ("AWS API Call via CloudTrail"). */
export function apiCallEvent(record: Record<string, unknown>): Record<string, Json> {
  const source = String(record.eventSource)
    .replace(/\.amazonaws\.com$/, "")
    .replace(/^monitoring$/, "cloudwatch");
  return {
    version: "0",
    id: "00000000-0000-0000-0000-000000000000",
    "detail-type": "AWS API Call via CloudTrail",
    source: `aws.${source}`,
    account: String(record.recipientAccountId),
    time: String(record.eventTime),
    region: String(record.awsRegion),
    resources: [],
    detail: record as Record<string, Json>,
  };
}
