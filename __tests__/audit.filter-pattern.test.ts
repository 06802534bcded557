/**
 * The test-only CloudWatch Logs filter pattern evaluator (harness/filter-pattern.ts) against the
 * examples AWS gives in "Filter and pattern syntax" (CloudWatch Logs User Guide), with the results
 * AWS states for them, plus the strict choices the evaluator makes where the page is silent.
 */
import { FilterPatternError, filterMatches, parseFilterPattern, stringMatches } from "./harness/filter-pattern";

const SIMPLE = {
  eventType: "UpdateTrail",
  sourceIPAddress: "111.111.111.111",
  arrayKey: ["value", "another value"],
  objectList: [
    { name: "a", id: 1 },
    { name: "b", id: 2 },
  ],
  SomeObject: null,
  ThisFlag: true,
};

const COMPOUND = {
  user: { id: 1, email: "John.Stiles@example.com" },
  users: [
    { id: 2, email: "John.Doe@example.com" },
    { id: 3, email: "Jane.Doe@example.com" },
  ],
  actions: ["GET", "PUT", "DELETE"],
  coordinates: [
    [0, 1, 2],
    [4, 5, 6],
    [7, 8, 9],
  ],
};

describe("AWS's JSON filter examples", () => {
  test.each([
    '{ $.eventType = "UpdateTrail" }',
    "{ $.sourceIPAddress != 123.123.* }",
    '{ $.arrayKey[0] = "value" }',
    "{ $.objectList[1].id = 2 }",
    "{ $.SomeObject IS NULL }",
    "{ $.SomeOtherObject NOT EXISTS }",
    "{ $.ThisFlag IS TRUE }",
  ])("AWS: %s matches the example event", (pattern) => {
    expect(filterMatches(pattern, SIMPLE)).toBe(true);
  });

  test.each([
    ['{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }', true],
    ['{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }', false],
    ['{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }', true],
    ['{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch) && $.actions[2] = nomatch }', false],
  ])("AWS compound conditions (&& before ||, parentheses): %s → %s", (pattern, expected) => {
    expect(filterMatches(pattern, COMPOUND)).toBe(expected);
  });

  test("AWS: {$.foo = bar || $.foo = baz} matches both events, each single pattern only its own", () => {
    expect(filterMatches("{$.foo = bar || $.foo = baz }", { foo: "bar" })).toBe(true);
    expect(filterMatches("{$.foo = bar || $.foo = baz }", { foo: "baz" })).toBe(true);
    expect(filterMatches("{$.foo = bar}", { foo: "baz" })).toBe(false);
  });

  test("AWS: a selector that points to an array matches neither = nor !=", () => {
    expect(filterMatches("{$.users = 1}", { users: [1, 2, 3] })).toBe(false);
    expect(filterMatches("{$.users != 1}", { users: [1, 2, 3] })).toBe(false);
  });

  test.each([
    ["{ $.latency >= 500 }", { latency: 500 }, true],
    ["{ $.latency >= 500 }", { latency: 499 }, false],
    ["{ $.numbers[0] < 10e3 }", { numbers: [9999] }, true],
    ["{ $.processes[4].averageRuntime <= 55.5 }", { processes: [0, 0, 0, 0, { averageRuntime: 55.6 }] }, false],
    ["{ $.errorCode = 400 }", { errorCode: 400 }, true],
    ["{ $.errorCode != 500 }", { errorCode: 400 }, true],
    ["{ $.latency > +1000 }", { latency: 1001 }, true],
  ])("AWS numeric comparison %s on %j → %s", (pattern, event, expected) => {
    expect(filterMatches(pattern, event)).toBe(expected);
  });

  test("AWS wildcards: *Event matches PutEvent and GetEvent, Event* matches EventId and EventName, Ev*ent only the literal Ev*ent", () => {
    expect(["PutEvent", "GetEvent"].every((v) => stringMatches("*Event", v))).toBe(true);
    expect(["EventId", "EventName"].every((v) => stringMatches("Event*", v))).toBe(true);
    expect(stringMatches("Ev*ent", "Event")).toBe(false);
    expect(stringMatches("Ev*ent", "Ev*ent")).toBe(true);
  });

  test("a bare * matches any value of a field that exists (AWS: { $.latency = * })", () => {
    expect(filterMatches("{ $.latency = * }", { latency: 50 })).toBe(true);
    expect(filterMatches("{ $.errorCode = * }", { errorCode: "AccessDenied" })).toBe(true);
    expect(filterMatches("{ $.errorCode = * }", { eventName: "GetUser" })).toBe(false);
  });

  test("matching is case-sensitive (AWS: metric filters are case sensitive)", () => {
    expect(filterMatches('{ $.eventName = "AssumeConsole" }', { eventName: "assumeconsole" })).toBe(false);
  });
});

describe("where AWS's page is silent, the evaluator is strict", () => {
  test("= and != on a missing or null field are both false", () => {
    for (const event of [{}, { eventName: null }]) {
      expect(filterMatches('{ $.eventName = "X" }', event)).toBe(false);
      expect(filterMatches('{ $.eventName != "X" }', event)).toBe(false);
    }
  });

  test.each([
    ["no braces", '$.eventName = "X"'],
    ["a regular expression", "{ $.eventName = %Create.*% }"],
    ["an unquoted value with @", "{ $.user = someone@example.com }"],
    ["an unbalanced parenthesis", '{ ($.eventName = "X" }'],
    ["a numeric operator on a string", '{ $.eventName > "X" }'],
    ["trailing text", '{ $.eventName = "X" } extra'],
  ])("rejects %s", (_name, pattern) => {
    expect(() => parseFilterPattern(pattern)).toThrow(FilterPatternError);
  });
});
