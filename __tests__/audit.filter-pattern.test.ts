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

describe("the forms the CIS patterns use (Security Hub CloudWatch.1-14)", () => {
  test("no spaces around operators and braces, and unquoted values with dots", () => {
    expect(
      filterMatches("{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}", {
        eventSource: "kms.amazonaws.com",
        eventName: "ScheduleKeyDeletion",
      }),
    ).toBe(true);
    expect(
      filterMatches("{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}", {
        eventSource: "kms.amazonaws.com",
        eventName: "DisableKeyRotation",
      }),
    ).toBe(false);
    expect(filterMatches("{($.eventName=CreateTrail) || ($.eventName=UpdateTrail)}", { eventName: "UpdateTrail" })).toBe(true);
  });

  test("an unquoted value is the whole token: CreateTrail does not match CreateTrailX", () => {
    expect(filterMatches("{($.eventName=CreateTrail)}", { eventName: "CreateTrailX" })).toBe(false);
  });

  test('NOT EXISTS beside = and != with no space before the quoted value ( !="AwsServiceEvent")', () => {
    const pattern = '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}';
    expect(filterMatches(pattern, { userIdentity: { type: "Root" }, eventType: "AwsApiCall" })).toBe(true);
    expect(filterMatches(pattern, { userIdentity: { type: "Root", invokedBy: "s3.amazonaws.com" }, eventType: "AwsApiCall" })).toBe(false);
    expect(filterMatches(pattern, { userIdentity: { type: "Root" }, eventType: "AwsServiceEvent" })).toBe(false);
  });

  test("NOT EXISTS is true for a missing field only: a null field exists", () => {
    expect(filterMatches("{ $.a.b NOT EXISTS }", { a: {} })).toBe(true);
    expect(filterMatches("{ $.a.b NOT EXISTS }", { a: { b: null } })).toBe(false);
    expect(filterMatches("{ $.a.b NOT EXISTS }", {})).toBe(true);
  });

  test("a quoted value may hold spaces; a leading and a trailing * in quotes are wildcards", () => {
    expect(
      filterMatches('{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}', {
        eventName: "ConsoleLogin",
        errorMessage: "Failed authentication",
      }),
    ).toBe(true);
    expect(
      filterMatches('{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}', { eventName: "ConsoleLogin", errorMessage: "Failed" }),
    ).toBe(false);
    expect(filterMatches('{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}', { errorCode: "Client.UnauthorizedOperation" })).toBe(
      true,
    );
    expect(filterMatches('{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}', { errorCode: "AccessDeniedException" })).toBe(true);
    expect(filterMatches('{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}', { errorCode: "UnauthorizedOperationX" })).toBe(false);
  });

  test("!= on a nested field that exists, combined with =", () => {
    const pattern =
      '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }';
    const event = {
      eventName: "ConsoleLogin",
      additionalEventData: { MFAUsed: "No" },
      userIdentity: { type: "IAMUser" },
      responseElements: { ConsoleLogin: "Success" },
    };
    expect(filterMatches(pattern, event)).toBe(true);
    expect(filterMatches(pattern, { ...event, additionalEventData: { MFAUsed: "Yes" } })).toBe(false);
  });
});
