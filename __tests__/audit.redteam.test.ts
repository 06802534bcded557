/**
 * Red-team tests of the second round of detections (Contributor Insights rules, EventBridge rules,
 * the bearer-token anomaly alarm) and of their tamper protection, on the synthesized stacks.
 *
 * Two attackers:
 * - an administrator of the audit account (222222222222) or of a member account (333333333333)
 *   who is not the deployment role, trying to blind or silence the detections without being
 *   denied by an SCP or tripping an alarm;
 * - a holder of a stolen Claude Platform credential (a role session, or an API key), trying to use
 *   it without the per-principal detections or the bearer-token alarm seeing it.
 *
 * `test(...)`: an attack that is handled today (kept as a regression test).
 * `test.failing("known limit: …")`: a limit we keep, documented in docs/audit.md; the test states
 *   what a stronger detection would do, and fails while the limit stands (jest reports it if it
 *   starts passing). The gaps the red team found and the baseline closed are plain tests, "closed: …".
 * `limit: ...`: an accepted limit, asserted as it is, so a change in it is noticed.
 */
import { viewOf, type AuditStackView } from "./harness/audit";
import { claudeDataEvent, cloudTrailEvent, role, workspaceArn, type CloudTrailRecord, type Identity } from "./harness/cloudtrail-events";
import { detectionFires, type TimedEvent } from "./harness/contributor-insights";
import { apiCallEvent, eventMatches } from "./harness/event-pattern";
import { filterMatches } from "./harness/filter-pattern";
import { scpChain } from "./harness/organization";
import { decide, type Principal } from "./harness/simulate";
import { configFromYaml, sampleYaml, synthesize } from "./harness/synth";

const AUDIT = "222222222222";
const PAYMENTS = "333333333333";
const RESEARCH = "444444444444";
const TRAIL = "claude-platform-governance";
const NAMESPACE = `ClaudePlatformAudit/${TRAIL}`;
const LOG_GROUP = "/claude-platform/cloudtrail";
const TOPIC_ARN = `arn:aws:sns:us-east-1:${AUDIT}:${TRAIL}-alarms`;
const RESEARCH_DEV = workspaceArn("wrkspc_01ResearchDev", RESEARCH, "us-west-2");

const admin = (account: string): Principal => ({ account, role: "Administrator" });
const deployer = (account: string): Principal => ({ account, role: "platform-governance-deployer" });

let audit: AuditStackView;
let organization: Record<string, unknown>;
let config: ReturnType<typeof configFromYaml>;
let withAgents: AuditStackView;

beforeAll(async () => {
  const out = await synthesize(configFromYaml(sampleYaml()));
  try {
    audit = viewOf(out.stack("audit"));
    organization = out.stack("organization") as Record<string, unknown>;
    config = out.config;
  } finally {
    out.cleanup();
  }
  const yaml = sampleYaml().replace(
    "    email: [security@example.com]",
    ["    email: [security@example.com]", "  detections:", '    expectedUserAgents: ["anthropic-sdk-python/*", "*AnthropicAWS*"]'].join("\n"),
  );
  const agents = await synthesize(configFromYaml(yaml));
  try {
    withAgents = viewOf(agents.stack("audit"));
  } finally {
    agents.cleanup();
  }
});

const chain = (account: string) => scpChain(config, organization as never, account);
const filterOf = (view: AuditStackView, id: string) => String(view.resource("aws_cloudwatch_log_metric_filter", `filter-${id}`).pattern);
const eventPatternOf = (id: string) => JSON.parse(String(audit.resource("aws_cloudwatch_event_rule", `event-rule-${id}`).event_pattern));

/** A management call made by the audit account's administrator, as the trail records it. */
const auditCall = (source: string, name: string, requestParameters: Record<string, unknown>, errorCode?: string) =>
  cloudTrailEvent({ source, name, identity: role(AUDIT, "Administrator"), requestParameters, recipientAccount: AUDIT, ...(errorCode ? { errorCode } : {}) });

const fires = (id: string, events: TimedEvent[]) => detectionFires(audit, id, events);
const at = (seconds: number, record: CloudTrailRecord): TimedEvent => ({ at: seconds, record });

/** The same role as `role(account, name)`, but a session of its own: what `aws sts assume-role --role-session-name` gives. */
function inSession(record: CloudTrailRecord, account: string, roleName: string, session: string): CloudTrailRecord {
  const identity = record.userIdentity as Record<string, unknown>;
  return {
    ...record,
    userIdentity: { ...identity, arn: `arn:aws:sts::${account}:assumed-role/${roleName}/${session}`, principalId: `AROAEXAMPLE:${session}` },
  };
}
const developer: Identity = role(RESEARCH, "research-ai-developer");
const dataCall = (name: string, region = "us-west-2", identity = developer) =>
  claudeDataEvent(name, identity, workspaceArn("wrkspc_01ResearchDev", RESEARCH, region), { region });

// -------------------------------------------------------------------------------------------------
describe("(a) blinding the detections from the audit account: what the SCPs deny", () => {
  const ruleArn = (name: string, region = "us-east-1") => `arn:aws:cloudwatch:${region}:${AUDIT}:insight-rule/${TRAIL}-${name}`;
  const eventRuleArn = (name: string, region = "us-east-1") => `arn:aws:events:${region}:${AUDIT}:rule/${TRAIL}-${name}`;
  const alarmArn = (name: string) => `arn:aws:cloudwatch:us-east-1:${AUDIT}:alarm:${TRAIL}-${name}`;

  const HANDLED: Array<[string, string]> = [
    ...["multi-region-principal-principals", "multi-region-principal-pairs", "model-call-spike"].flatMap((rule) =>
      ["cloudwatch:DeleteInsightRules", "cloudwatch:DisableInsightRules", "cloudwatch:PutInsightRule"].map((a): [string, string] => [a, ruleArn(rule)]),
    ),
    // Another region: the rule names are per region, the SCP is not.
    ["cloudwatch:PutInsightRule", ruleArn("model-call-spike", "eu-west-1")],
    ...["trail-changes-now", "alarm-silencing-now", "alarm-delivery-changes-now"].flatMap((rule) =>
      ["events:DeleteRule", "events:DisableRule", "events:PutRule", "events:PutTargets", "events:RemoveTargets"].map((a): [string, string] => [
        a,
        eventRuleArn(rule),
      ]),
    ),
    ...["bearer-token-use", "multi-region-principal", "model-call-spike"].flatMap((alarm) =>
      ["cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:DisableAlarmActions", "cloudwatch:SetAlarmState", "cloudwatch:PutAlarmMuteRule"].map(
        (a): [string, string] => [a, alarmArn(alarm)],
      ),
    ),
    ["cloudwatch:DeleteAnomalyDetector", "*"],
  ];

  test.each(HANDLED)("%s on %s is denied to the audit account's administrator", async (action, resource) => {
    expect((await decide(chain(AUDIT), { principal: admin(AUDIT), action, resource })).result).toBe("ExplicitlyDenied");
  });

  test("pushing data points into the bearer-token metric (to pin or flatten its band) is denied to everyone", async () => {
    for (const principal of [admin(AUDIT), admin(PAYMENTS)]) {
      const decision = await decide(chain(principal.account), {
        principal,
        action: "cloudwatch:PutMetricData",
        resource: "*",
        context: { "cloudwatch:namespace": NAMESPACE },
      });
      expect(decision.result).toBe("ExplicitlyDenied");
    }
  });

  test("a mute rule is authorized on each alarm it names, and names at most 100 alarms (no wildcard): muting a governance alarm is denied", async () => {
    // PutAlarmMuteRule needs the permission on the mute rule and on every targeted alarm (CloudWatch API Reference).
    const decision = await decide(chain(AUDIT), { principal: admin(AUDIT), action: "cloudwatch:PutAlarmMuteRule", resource: alarmArn("bearer-token-use") });
    expect(decision.deniedBy).toContain("ProtectGovernanceAlarms");
  });

  test("known limit: PutAnomalyDetector (ExcludedTimeRanges over the whole history, or a new MetricTimezone) retrains the bearer-token-use band; it is denied to the audit account's administrator", async () => {
    // No resource type: the action is authorized on "*". DeleteAnomalyDetector is denied; its sibling is not.
    const decision = await decide(chain(AUDIT), { principal: admin(AUDIT), action: "cloudwatch:PutAnomalyDetector", resource: "*" });
    expect(decision.result).toBe("ExplicitlyDenied");
  });

  test("PutAnomalyDetector stays allowed to the deployment role and to other accounts (the fix must keep that)", async () => {
    expect((await decide(chain(AUDIT), { principal: deployer(AUDIT), action: "cloudwatch:PutAnomalyDetector", resource: "*" })).result).toBe("Allowed");
    expect((await decide(chain(PAYMENTS), { principal: admin(PAYMENTS), action: "cloudwatch:PutAnomalyDetector", resource: "*" })).result).toBe("Allowed");
  });

  test("closed: UpdateEventBus on the audit account's default bus (a customer managed key the attacker controls encrypts every rule's pattern and targets there) is denied", async () => {
    // "When you specify a customer managed key for an event bus, EventBridge uses that key to encrypt ... for each rule on the
    // bus: the rule event pattern, target information" (EventBridge User Guide). A key whose policy lets EventBridge in only
    // until a DateLessThan, or that is later disabled, leaves the governance rules unreadable to EventBridge.
    for (const region of ["us-east-1", "eu-west-1"]) {
      const decision = await decide(chain(AUDIT), {
        principal: admin(AUDIT),
        action: "events:UpdateEventBus",
        resource: `arn:aws:events:${region}:${AUDIT}:event-bus/default`,
      });
      expect({ region, result: decision.result }).toEqual({ region, result: "ExplicitlyDenied" });
    }
  });

  test("closed (defence in depth): PutCompositeAlarm and PutLogAlarm under the governance prefix are denied, like PutMetricAlarm (the topic admits every alarm under the prefix)", async () => {
    for (const action of ["cloudwatch:PutCompositeAlarm", "cloudwatch:PutLogAlarm"]) {
      const decision = await decide(chain(AUDIT), { principal: admin(AUDIT), action, resource: alarmArn("bearer-token-use") });
      expect({ action, result: decision.result }).toEqual({ action, result: "ExplicitlyDenied" });
    }
  });

  test("a member account's administrator cannot reach the detections: they live in the audit account, and its metric namespace is denied to everyone", async () => {
    // Identity-based access to another account's CloudWatch/EventBridge does not exist without a role there; the SCP still denies the namespace.
    const decision = await decide(chain(PAYMENTS), {
      principal: admin(PAYMENTS),
      action: "cloudwatch:PutMetricData",
      resource: "*",
      context: { "cloudwatch:namespace": NAMESPACE },
    });
    expect(decision.deniedBy).toContain("ProtectGovernanceMetrics");
  });
});

// -------------------------------------------------------------------------------------------------
describe("(a) blinding the detections from the audit account: what the alarms and EventBridge rules see", () => {
  const silencing = () => filterOf(audit, "alarm-silencing");
  const delivery = () => filterOf(audit, "alarm-delivery-changes");
  const logGroup = () => filterOf(audit, "log-group-changes");

  test.each([
    [
      "DisableInsightRules naming the model-call-spike rule",
      auditCall("monitoring.amazonaws.com", "DisableInsightRules", { ruleNames: [`${TRAIL}-model-call-spike`] }),
    ],
    [
      "DeleteInsightRules naming another rule first",
      auditCall("monitoring.amazonaws.com", "DeleteInsightRules", { ruleNames: ["x", `${TRAIL}-model-call-spike`] }),
    ],
    [
      "PutInsightRule redefining the pairs rule, denied",
      auditCall("monitoring.amazonaws.com", "PutInsightRule", { ruleName: `${TRAIL}-multi-region-principal-pairs` }, "AccessDenied"),
    ],
    [
      "DeleteAnomalyDetector, denied",
      auditCall("monitoring.amazonaws.com", "DeleteAnomalyDetector", { namespace: NAMESPACE, metricName: "bearer-token-use" }, "AccessDenied"),
    ],
    [
      "a mute rule",
      auditCall("monitoring.amazonaws.com", "PutAlarmMuteRule", { name: "maintenance", muteTargets: { alarmNames: [`${TRAIL}-bearer-token-use`] } }),
    ],
    [
      "PutMetricAlarm on the model-call-spike alarm (raising its threshold)",
      auditCall("monitoring.amazonaws.com", "PutMetricAlarm", { alarmName: `${TRAIL}-model-call-spike`, threshold: 1e9 }, "AccessDenied"),
    ],
    ["PutCompositeAlarm under the prefix", auditCall("monitoring.amazonaws.com", "PutCompositeAlarm", { alarmName: `${TRAIL}-quiet` })],
  ])("alarm-silencing sees: %s", (_name, event) => {
    expect(filterMatches(silencing(), event)).toBe(true);
  });

  test.each([
    [
      "PutRule on a governance rule (a pattern that never matches), denied",
      auditCall("events.amazonaws.com", "PutRule", { name: `${TRAIL}-trail-changes-now`, eventPattern: "{}" }, "AccessDenied"),
    ],
    [
      "PutTargets re-pointing a governance rule, denied",
      auditCall("events.amazonaws.com", "PutTargets", { rule: `${TRAIL}-alarm-silencing-now` }, "AccessDenied"),
    ],
    [
      "RemoveTargets on a governance rule",
      auditCall("events.amazonaws.com", "RemoveTargets", { rule: `${TRAIL}-log-group-changes-now`, ids: ["alarm-topic"] }),
    ],
    [
      "a subscription's filter policy changed",
      auditCall("sns.amazonaws.com", "SetSubscriptionAttributes", { subscriptionArn: `${TOPIC_ARN}:0000`, attributeName: "FilterPolicy" }),
    ],
  ])("alarm-delivery-changes sees: %s", (_name, event) => {
    expect(filterMatches(delivery(), event)).toBe(true);
  });

  test("closed: alarm-silencing sees PutAnomalyDetector on the bearer-token-use metric (ExcludedTimeRanges blind the band)", () => {
    const event = auditCall("monitoring.amazonaws.com", "PutAnomalyDetector", {
      singleMetricAnomalyDetector: { namespace: NAMESPACE, metricName: "bearer-token-use", stat: "Sum" },
      configuration: { excludedTimeRanges: [{ startTime: "2026-01-01T00:00:00", endTime: "2026-11-20T00:00:00" }] },
    });
    expect(filterMatches(silencing(), event)).toBe(true);
  });

  test("closed: alarm-silencing-now (EventBridge) sees PutAnomalyDetector", () => {
    const event = apiCallEvent(
      auditCall("monitoring.amazonaws.com", "PutAnomalyDetector", { namespace: NAMESPACE, metricName: "bearer-token-use", stat: "Sum" }),
    );
    expect(eventMatches(eventPatternOf("alarm-silencing-now"), event)).toBe(true);
  });

  test("closed: alarm-delivery-changes sees UpdateEventBus on the audit account's default bus (a key of the attacker's on every rule)", () => {
    const event = auditCall("events.amazonaws.com", "UpdateEventBus", { name: "default", kmsKeyIdentifier: `arn:aws:kms:us-east-1:${AUDIT}:key/attacker` });
    expect(filterMatches(delivery(), event)).toBe(true);
  });

  test("closed: alarm-delivery-changes sees sns:PutDataProtectionPolicy on the topic, which names it by resourceArn, not topicArn", () => {
    // The alarm's own description lists "data protection"; the API's parameter is ResourceArn.
    const event = auditCall("sns.amazonaws.com", "PutDataProtectionPolicy", { resourceArn: TOPIC_ARN, dataProtectionPolicy: "{}" }, "AccessDenied");
    expect(filterMatches(delivery(), event)).toBe(true);
  });

  test.failing("known limit (docs say so): alarm-silencing sees tag changes on a governance alarm (TagResource names it by resourceARN)", () => {
    const event = auditCall("monitoring.amazonaws.com", "UntagResource", {
      resourceARN: `arn:aws:cloudwatch:us-east-1:${AUDIT}:alarm:${TRAIL}-bearer-token-use`,
      tagKeys: ["owner"],
    });
    expect(filterMatches(silencing(), event)).toBe(true);
  });

  test("log-group-changes sees a transformer, data protection and tag removal by their own parameter names", () => {
    for (const [name, params] of [
      ["PutTransformer", { logGroupIdentifier: LOG_GROUP }],
      ["PutDataProtectionPolicy", { logGroupIdentifier: `arn:aws:logs:us-east-1:${AUDIT}:log-group:${LOG_GROUP}` }],
      ["UntagResource", { resourceArn: `arn:aws:logs:us-east-1:${AUDIT}:log-group:${LOG_GROUP}:*` }],
    ] as const) {
      expect({ name, matches: filterMatches(logGroup(), auditCall("logs.amazonaws.com", name, { ...params }, "AccessDenied")) }).toEqual({
        name,
        matches: true,
      });
    }
  });

  test("closed: log-group-changes-now (EventBridge) sees PutTransformer, DeleteTransformer, Put/DeleteDataProtectionPolicy and UntagResource, which never carry logGroupName (dead entries in its eventName list)", () => {
    const pattern = eventPatternOf("log-group-changes-now");
    const cases = [
      ["PutTransformer", { logGroupIdentifier: LOG_GROUP }],
      ["DeleteTransformer", { logGroupIdentifier: LOG_GROUP }],
      ["PutDataProtectionPolicy", { logGroupIdentifier: LOG_GROUP }],
      ["DeleteDataProtectionPolicy", { logGroupIdentifier: LOG_GROUP }],
      ["UntagResource", { resourceArn: `arn:aws:logs:us-east-1:${AUDIT}:log-group:${LOG_GROUP}` }],
    ] as const;
    for (const [name, params] of cases) {
      expect({ name, matches: eventMatches(pattern, apiCallEvent(auditCall("logs.amazonaws.com", name, { ...params }))) }).toEqual({ name, matches: true });
    }
  });

  test("log-group-changes-now sees the calls that do name logGroupName", () => {
    for (const name of ["DeleteMetricFilter", "PutSubscriptionFilter", "PutRetentionPolicy", "AssociateKmsKey"]) {
      expect(eventMatches(eventPatternOf("log-group-changes-now"), apiCallEvent(auditCall("logs.amazonaws.com", name, { logGroupName: LOG_GROUP })))).toBe(
        true,
      );
    }
  });
});

// -------------------------------------------------------------------------------------------------
describe("(b) a stolen credential: the multi-region-principal detection", () => {
  test("the same session (or a long-term key's user) in two regions fires", () => {
    expect(fires("multi-region-principal", [at(60, dataCall("CreateInference", "us-east-1")), at(120, dataCall("CreateInference", "eu-west-1"))])).toBe(true);
  });

  test.failing(
    "known limit: one role, a fresh session name per region (assume-role --role-session-name), fires: the rules key on userIdentity.arn, which holds the session name",
    () => {
      const events = [
        at(60, inSession(dataCall("CreateInference", "us-east-1"), RESEARCH, "research-ai-developer", "worker-use1")),
        at(120, inSession(dataCall("CreateInference", "eu-west-1"), RESEARCH, "research-ai-developer", "worker-euw1")),
        at(180, inSession(dataCall("CreateInference", "ap-south-1"), RESEARCH, "research-ai-developer", "worker-aps1")),
      ];
      expect(fires("multi-region-principal", events)).toBe(true);
    },
  );

  test("limit: a switch of region two minutes apart across the top of the hour does not fire (UniqueContributors per clock-aligned hour)", () => {
    // Accepted limit of period-based statistics; documented claim is "within an hour". Asserted as it is.
    expect(fires("multi-region-principal", [at(3540, dataCall("CreateInference", "us-east-1")), at(3660, dataCall("CreateInference", "eu-west-1"))])).toBe(
      false,
    );
  });

  test.failing(
    "known limit: a workspace data event whose eventSource is not aws-external-anthropic* still counts (the metric filters accept the AWS-documented resource type instead)",
    () => {
      // The eventSource value is third-party; resources[].type and eventCategory are AWS's. The bearer-token filter copes; these rules do not.
      const rename = (r: CloudTrailRecord): CloudTrailRecord => ({ ...r, eventSource: "external-anthropic.amazonaws.com" });
      expect(
        filterMatches(filterOf(audit, "bearer-token-use"), { ...rename(dataCall("CreateInference")), requestParameters: { callWithBearerToken: true } }),
      ).toBe(true);
      expect(
        fires("multi-region-principal", [at(60, rename(dataCall("CreateInference", "us-east-1"))), at(120, rename(dataCall("CreateInference", "eu-west-1")))]),
      ).toBe(true);
    },
  );
});

// -------------------------------------------------------------------------------------------------
describe("(b) a stolen credential: the model-call-spike detection", () => {
  const burst = (count: number, name: string, session?: (i: number) => string, from = 0) =>
    Array.from({ length: count }, (_, i) => {
      const record = dataCall(name, "us-west-2");
      return at(from + (i % 290), session ? inSession(record, RESEARCH, "research-ai-developer", session(i)) : record);
    });

  test("101 inference calls by one session fire; so do 101 mixed inference and batch calls", () => {
    expect(fires("model-call-spike", burst(101, "CreateInference"))).toBe(true);
    expect(fires("model-call-spike", [...burst(60, "CreateInference"), ...burst(41, "CreateBatchInference")])).toBe(true);
  });

  test("closed: 300 inference calls spread over six sessions of one role (50 each) fire", () => {
    expect(
      fires(
        "model-call-spike",
        burst(300, "CreateInference", (i) => `drain-${i % 6}`),
      ),
    ).toBe(true);
  });

  test.failing(
    "known limit: draining the model through Managed Agents (CreateSession, then UpdateSession events that run agent turns) counts as model use",
    () => {
      expect(fires("model-call-spike", [...burst(5, "CreateSession"), ...burst(200, "UpdateSession")])).toBe(true);
    },
  );

  test("limit: 100 calls in every five-minute period (28,800 a day) never fire: a per-period threshold, by design", () => {
    const steady = Array.from({ length: 12 }, (_, period) => burst(100, "CreateInference", undefined, period * 300)).flat();
    expect(fires("model-call-spike", steady)).toBe(false);
  });

  test("limit: one CreateBatchInference carries up to many requests and counts once", () => {
    expect(fires("model-call-spike", burst(1, "CreateBatchInference"))).toBe(false);
  });
});

// -------------------------------------------------------------------------------------------------
describe("(b) a stolen credential: bearer-token use and user agents", () => {
  const bearer = () => filterOf(audit, "bearer-token-use");
  const byAccount = () => filterOf(audit, "bearer-token-use-by-account");

  test("an API-key call flagged requestParameters.callWithBearerToken = true is counted, long-term or short-term", () => {
    for (const identity of [developer, { type: "IAMUser" as const, account: PAYMENTS, name: "AeaApiKey-ab12cd34" }]) {
      const event = { ...dataCall("CreateInference", "us-west-2", identity), requestParameters: { callWithBearerToken: true } };
      expect(filterMatches(bearer(), event)).toBe(true);
      expect(filterMatches(byAccount(), event)).toBe(true);
    }
  });

  test("a SigV4 call (no flag, no token type) is not counted", () => {
    expect(filterMatches(bearer(), dataCall("CreateInference"))).toBe(false);
  });

  test("closed: an API-key call flagged where Bedrock's API-key calls carry it, additionalEventData.callWithBearerToken = true, is counted", () => {
    // Third-party detection guides for Bedrock API keys (the pattern this service mirrors) read the flag from additionalEventData.
    const event = claudeDataEvent("CreateInference", developer, RESEARCH_DEV, { additionalEventData: { callWithBearerToken: true } });
    expect(filterMatches(bearer(), event)).toBe(true);
  });

  test('closed: the flag logged as the string "true" is counted (IS TRUE matches only the JSON boolean)', () => {
    const event = { ...dataCall("CreateInference"), requestParameters: { callWithBearerToken: "true" } };
    expect(filterMatches(bearer(), event)).toBe(true);
  });

  test("limit: a stolen credential calling with a listed SDK's user agent is not seen by unexpected-user-agent (the caller fills userAgent)", () => {
    const pattern = filterOf(withAgents, "unexpected-user-agent");
    expect(filterMatches(pattern, claudeDataEvent("CreateInference", developer, RESEARCH_DEV, { userAgent: "anthropic-sdk-python/0.40.0" }))).toBe(false);
    expect(filterMatches(pattern, claudeDataEvent("CreateInference", developer, RESEARCH_DEV, { userAgent: "curl/8.5.0 AnthropicAWS" }))).toBe(false);
  });

  test("unexpected-user-agent sees curl and an empty user agent", () => {
    const pattern = filterOf(withAgents, "unexpected-user-agent");
    expect(filterMatches(pattern, claudeDataEvent("CreateInference", developer, RESEARCH_DEV, { userAgent: "curl/8.5.0" }))).toBe(true);
    expect(filterMatches(pattern, claudeDataEvent("CreateInference", developer, RESEARCH_DEV, { userAgent: "" }))).toBe(true);
  });

  test("closed (low): a data event with no userAgent field is seen by unexpected-user-agent (!= is false on a missing field)", () => {
    const { userAgent: _dropped, ...event } = claudeDataEvent("CreateInference", developer, RESEARCH_DEV);
    expect(filterMatches(filterOf(withAgents, "unexpected-user-agent"), event)).toBe(true);
  });

  test("the console is seen when it is opened, though nothing done in it reaches CloudTrail", () => {
    const event = cloudTrailEvent({
      source: "aws-external-anthropic.amazonaws.com",
      name: "AssumeConsole",
      identity: developer,
      requestParameters: { capability: "admin" },
    });
    expect(filterMatches(filterOf(audit, "console-federation"), event)).toBe(true);
  });
});
