/**
 * The audit stack's second round of detections, proven on the synthesized stack (cdk.tf.json):
 * - the per-principal detections (Contributor Insights rules and the alarms on their metrics),
 *   evaluated over timed sample CloudTrail events: a principal in two regions within an hour, a
 *   model-call spike over the config's threshold, and the near misses of each;
 * - the unexpected-user-agent alarm, which exists only when the config lists the expected agents;
 * - the EventBridge rules that deliver the audit account's tamper patterns to the alarm topic,
 *   matched against the events EventBridge would receive, and the topic and key policies that let
 *   exactly these rules publish (iam-simulate);
 * - tamper protection over the detections themselves (the organization stack's SCPs, iam-simulate).
 */
import { viewOf, type AuditStackView } from "./harness/audit";
import { CLAUDE_EVENT_SOURCE, claudeDataEvent, cloudTrailEvent, role, workspaceArn, type CloudTrailRecord } from "./harness/cloudtrail-events";
import { detectionFires, insightAlarmOf, insightRulesOf, type TimedEvent } from "./harness/contributor-insights";
import { apiCallEvent, eventMatches } from "./harness/event-pattern";
import { filterMatches } from "./harness/filter-pattern";
import { scpChain } from "./harness/organization";
import { decideOnResource, type Caller } from "./harness/resource-policy";
import { decide, type Principal } from "./harness/simulate";
import { configFromYaml, sampleYaml, synthesize } from "./harness/synth";
import { planBaseline } from "../policies/baseline";

const AUDIT = "222222222222";
const PAYMENTS = "333333333333";
const RESEARCH = "444444444444";
const TRAIL = "claude-platform-governance";
const RESEARCH_DEV = workspaceArn("wrkspc_01ResearchDev", RESEARCH, "us-west-2");
const TOPIC_ARN = `arn:aws:sns:us-east-1:${AUDIT}:${TRAIL}-alarms`;
const EVENTS: Caller = { service: "events.amazonaws.com" };
const admin = (account: string): Principal => ({ account, role: "Administrator" });
/** The same administrator as CloudTrail records it. */
const adminSession = (account: string) => role(account, "Administrator");
const deployer = (account: string): Principal => ({ account, role: "platform-governance-deployer" });

/** The sample with its auditTrail.detections replaced by these lines (indented under detections:). */
function withDetections(...lines: string[]): string {
  return sampleYaml().replace(
    "    email: [security@example.com]",
    ["    email: [security@example.com]", "  detections:", ...lines.map((l) => `    ${l}`)].join("\n"),
  );
}

async function auditStack(yaml: string): Promise<{ audit: AuditStackView; organization: Record<string, unknown>; config: ReturnType<typeof configFromYaml> }> {
  const out = await synthesize(configFromYaml(yaml));
  try {
    return { audit: viewOf(out.stack("audit")), organization: out.stack("organization") as Record<string, unknown>, config: out.config };
  } finally {
    out.cleanup();
  }
}

let sample: Awaited<ReturnType<typeof auditStack>>;
beforeAll(async () => {
  sample = await auditStack(sampleYaml());
});

const at = (seconds: number, record: CloudTrailRecord): TimedEvent => ({ at: seconds, record });
const developer = role(RESEARCH, "research-ai-developer");
const inRegion = (region: string, name = "CreateInference", identity = developer) =>
  claudeDataEvent(name, identity, workspaceArn("wrkspc_01ResearchDev", RESEARCH, region), { region });

describe("multi-region-principal: one principal in two regions within an hour", () => {
  const fires = (events: TimedEvent[], view = sample.audit) => detectionFires(view, "multi-region-principal", events);

  test("the alarm reads two rules on the trail's log group, over an hour, and notifies the topic", () => {
    const alarm = insightAlarmOf(sample.audit, "multi-region-principal");
    expect(alarm.alarm_name).toBe(`${TRAIL}-multi-region-principal`);
    expect(alarm.alarm_actions).toEqual(["${aws_sns_topic.alarm-topic.arn}"]);
    expect(alarm.metric_query.filter((q) => q.expression.startsWith("INSIGHT_RULE_METRIC")).map((q) => q.period)).toEqual([3600, 3600]);
    for (const rule of insightRulesOf(sample.audit).values()) expect(rule.LogGroupNames).toEqual(["/claude-platform/cloudtrail"]);
  });

  test.each([
    ["one role session calling from us-east-1 and then us-west-2", [at(60, inRegion("us-east-1")), at(1200, inRegion("us-west-2"))]],
    [
      "a long-term key's user in three regions, among steady single-region callers",
      [
        at(10, inRegion("us-east-1", "CreateInference", role(PAYMENTS, "payments-ai-inference"))),
        at(20, inRegion("eu-west-1", "CountTokens", { type: "IAMUser", account: PAYMENTS, name: "AeaApiKey-ab12cd34" })),
        at(30, inRegion("ap-south-1", "CreateInference", { type: "IAMUser", account: PAYMENTS, name: "AeaApiKey-ab12cd34" })),
        at(40, inRegion("us-east-1", "GetSession", { type: "IAMUser", account: PAYMENTS, name: "AeaApiKey-ab12cd34" })),
      ],
    ],
  ] as Array<[string, TimedEvent[]]>)("fires: %s", (_name, events) => {
    expect(fires(events)).toBe(true);
  });

  test.each([
    ["many calls from one region", Array.from({ length: 50 }, (_, i) => at(i * 60, inRegion("us-west-2")))],
    [
      "two principals, each in its own region",
      [at(60, inRegion("us-east-1")), at(120, inRegion("us-west-2", "CreateInference", role(PAYMENTS, "payments-ai-inference")))],
    ],
    ["the same principal in two regions in different hours", [at(60, inRegion("us-east-1")), at(3600 + 60, inRegion("us-west-2"))]],
    [
      "a management call (not a workspace data event) in the second region",
      [
        at(60, inRegion("us-east-1")),
        at(120, cloudTrailEvent({ source: CLAUDE_EVENT_SOURCE, name: "ListWorkspaces", identity: developer, region: "eu-west-1" })),
      ],
    ],
    [
      "another service's data events in two regions",
      [
        at(60, cloudTrailEvent({ source: "s3.amazonaws.com", name: "GetObject", identity: developer, region: "us-east-1", category: "Data" })),
        at(120, cloudTrailEvent({ source: "s3.amazonaws.com", name: "GetObject", identity: developer, region: "us-west-2", category: "Data" })),
      ],
    ],
  ] as Array<[string, TimedEvent[]]>)("does not fire: %s", (_name, events) => {
    expect(fires(events)).toBe(false);
  });
});

describe("model-call-spike: one principal over modelCallsPerPrincipal model calls in five minutes", () => {
  const calls = (count: number, name = "CreateInference", identity = developer, from = 0) =>
    Array.from({ length: count }, (_, i) => at(from + (i % 290), claudeDataEvent(name, identity, RESEARCH_DEV)));
  const fires = (events: TimedEvent[], view = sample.audit) => detectionFires(view, "model-call-spike", events);

  test("the sample's threshold is the default, 100 calls in 300 seconds", () => {
    const alarm = insightAlarmOf(sample.audit, "model-call-spike");
    expect({ threshold: alarm.threshold, comparison: alarm.comparison_operator }).toEqual({ threshold: 100, comparison: "GreaterThanThreshold" });
    expect(alarm.metric_query).toEqual([
      { id: "roles", expression: `INSIGHT_RULE_METRIC("${TRAIL}-model-call-spike-roles", "MaxContributorValue")`, period: 300, return_data: false },
      { id: "callers", expression: `INSIGHT_RULE_METRIC("${TRAIL}-model-call-spike-callers", "MaxContributorValue")`, period: 300, return_data: false },
      { id: "detection", expression: "MAX([roles, callers])", label: expect.any(String), return_data: true },
    ]);
  });

  test.each([
    ["101 inference calls", calls(101)],
    ["80 inference and 30 batch inference calls", [...calls(80), ...calls(30, "CreateBatchInference")]],
    ["101 calls by one principal among others' steady use", [...calls(101), ...calls(40, "CreateInference", role(PAYMENTS, "payments-ai-inference"))]],
    ["101 calls by a long-term key's IAM user", calls(101, "CreateInference", { type: "IAMUser", account: RESEARCH, name: "AeaApiKey-ab12cd34" })],
  ] as Array<[string, TimedEvent[]]>)("fires: %s", (_name, events) => {
    expect(fires(events)).toBe(true);
  });

  test.each([
    ["exactly 100 calls", calls(100)],
    ["101 calls split across two five-minute periods", [...calls(60), ...calls(41, "CreateInference", developer, 300)]],
    ["two principals with 60 calls each", [...calls(60), ...calls(60, "CreateInference", role(PAYMENTS, "payments-ai-inference"))]],
    ["150 calls that are not model calls", calls(150, "GetSession")],
  ] as Array<[string, TimedEvent[]]>)("does not fire: %s", (_name, events) => {
    expect(fires(events)).toBe(false);
  });

  test("the threshold comes from the config", async () => {
    const { audit } = await auditStack(withDetections("modelCallsPerPrincipal: 10"));
    expect(fires(calls(11), audit)).toBe(true);
    expect(fires(calls(10), audit)).toBe(false);
  });
});

describe("unexpected-user-agent: only with auditTrail.detections.expectedUserAgents", () => {
  const agents = ["anthropic-sdk-python/*", "*AnthropicAWS*"];
  let pattern: string;
  beforeAll(async () => {
    const { audit } = await auditStack(withDetections(`expectedUserAgents: [${agents.map((a) => JSON.stringify(a)).join(", ")}]`));
    pattern = String(audit.resource("aws_cloudwatch_log_metric_filter", "filter-unexpected-user-agent").pattern);
    expect(audit.resource("aws_cloudwatch_metric_alarm", "alarm-unexpected-user-agent").alarm_actions).toEqual(["${aws_sns_topic.alarm-topic.arn}"]);
  });
  const call = (userAgent: string, extra: Partial<Parameters<typeof cloudTrailEvent>[0]> = {}) =>
    claudeDataEvent("CreateInference", developer, RESEARCH_DEV, { userAgent, ...extra });

  test.each([
    ["curl", call("curl/8.5.0")],
    ["a scripting library", call("python-requests/2.32.3")],
    ["a near miss of a listed agent's prefix", call("anthropic-sdk-pythonx/0.40.0")],
  ])("matches: %s", (_name, event) => {
    expect(filterMatches(pattern, JSON.stringify(event))).toBe(true);
  });

  test.each([
    ["the listed Python SDK", call("anthropic-sdk-python/0.40.0 Python/3.12")],
    ["an agent containing a listed fragment", call("Boto3/1.35 md/AnthropicAWS/1.2 os/linux")],
    ["curl on a management event", cloudTrailEvent({ source: CLAUDE_EVENT_SOURCE, name: "ListWorkspaces", identity: developer, userAgent: "curl/8.5.0" })],
    [
      "curl on another service's data event",
      cloudTrailEvent({ source: "s3.amazonaws.com", name: "GetObject", identity: developer, category: "Data", userAgent: "curl/8.5.0" }),
    ],
  ])("does not match: %s", (_name, event) => {
    expect(filterMatches(pattern, JSON.stringify(event))).toBe(false);
  });

  test("without the list there is no such alarm", () => {
    expect(Object.keys(sample.audit.resources("aws_cloudwatch_log_metric_filter"))).not.toContain("filter-unexpected-user-agent");
  });

  test("a list whose pattern outgrows CloudWatch Logs' quota is an error naming the list", async () => {
    const many = Array.from({ length: 40 }, (_, i) => `"vendor-sdk-${i}/*"`).join(", ");
    await expect(planBaseline(configFromYaml(withDetections(`expectedUserAgents: [${many}]`)))).rejects.toThrow(
      /auditTrail\.detections\.expectedUserAgents: the metric filter pattern of alarm claude-platform-governance-unexpected-user-agent is \d+ characters, over CloudWatch Logs' 1024; list fewer agents/,
    );
  });

  test("an agent with a * inside is refused by the schema, naming the field", () => {
    expect(() => configFromYaml(withDetections('expectedUserAgents: ["anthropic*python"]'))).toThrow(/auditTrail\.detections\.expectedUserAgents\[0\]/);
  });
});

describe("EventBridge rules: the audit account's tamper patterns reach the topic within seconds", () => {
  const rules = () => sample.audit.resources("aws_cloudwatch_event_rule");
  const patternOf = (id: string) => JSON.parse(String(sample.audit.resource("aws_cloudwatch_event_rule", `event-rule-${id}`).event_pattern));
  const call = (source: string, name: string, requestParameters: Record<string, unknown>, account = AUDIT) =>
    apiCallEvent(cloudTrailEvent({ source, name, identity: adminSession(account), requestParameters, recipientAccount: account }));

  test("each rule is enabled, named under the alarm prefix, and targets the alarm topic", () => {
    const targets = Object.values(sample.audit.resources("aws_cloudwatch_event_target"));
    expect(Object.keys(rules()).sort()).toEqual(
      [
        "alarm-delivery-changes-now",
        "alarm-silencing-now",
        "log-bucket-changes-now",
        "log-group-changes-now",
        "trail-changes-now",
        "trail-key-changes-now",
      ].map((id) => `event-rule-${id}`),
    );
    for (const [key, rule] of Object.entries(rules())) {
      expect(rule.state).toBe("ENABLED");
      expect(String(rule.name).startsWith(`${TRAIL}-`)).toBe(true);
      expect(targets.filter((t) => t.rule === `\${aws_cloudwatch_event_rule.${key}.name}`).map((t) => t.arn)).toEqual(["${aws_sns_topic.alarm-topic.arn}"]);
    }
  });

  const CASES: Array<[string, string, ReturnType<typeof call>, boolean]> = [
    ["trail-changes-now", "logging stopped", call("cloudtrail.amazonaws.com", "StopLogging", { name: TRAIL }), true],
    [
      "trail-changes-now",
      "event selectors replaced, denied",
      apiCallEvent(
        cloudTrailEvent({ source: "cloudtrail.amazonaws.com", name: "PutEventSelectors", identity: adminSession(AUDIT), errorCode: "AccessDenied" }),
      ),
      true,
    ],
    ["trail-changes-now", "a trail created", call("cloudtrail.amazonaws.com", "CreateTrail", { name: "other" }), false],
    ["log-group-changes-now", "the log group deleted", call("logs.amazonaws.com", "DeleteLogGroup", { logGroupName: "/claude-platform/cloudtrail" }), true],
    [
      "log-group-changes-now",
      "a metric filter deleted",
      call("logs.amazonaws.com", "DeleteMetricFilter", { logGroupName: "/claude-platform/cloudtrail", filterName: "x" }),
      true,
    ],
    [
      "log-group-changes-now",
      "a metric filter removed, naming the group by identifier",
      call("logs.amazonaws.com", "DeleteTransformer", { logGroupIdentifier: "/claude-platform/cloudtrail" }),
      true,
    ],
    ["log-group-changes-now", "a log stream created", call("logs.amazonaws.com", "CreateLogStream", { logGroupName: "/claude-platform/cloudtrail" }), false],
    ["alarm-silencing-now", "a mute rule", call("monitoring.amazonaws.com", "PutAlarmMuteRule", { name: "quiet" }), true],
    ["alarm-silencing-now", "alarm actions disabled", call("monitoring.amazonaws.com", "DisableAlarmActions", { alarmNames: ["x"] }), true],
    [
      "alarm-silencing-now",
      "an insight rule disabled",
      call("monitoring.amazonaws.com", "DisableInsightRules", { ruleNames: [`${TRAIL}-model-call-spike`] }),
      true,
    ],
    ["alarm-silencing-now", "an alarm created", call("monitoring.amazonaws.com", "PutMetricAlarm", { alarmName: "team-latency" }), false],
    ["alarm-delivery-changes-now", "a rule deleted", call("events.amazonaws.com", "DeleteRule", { name: `${TRAIL}-trail-changes-now` }), true],
    ["alarm-delivery-changes-now", "a rule's targets removed", call("events.amazonaws.com", "RemoveTargets", { rule: `${TRAIL}-log-group-changes-now` }), true],
    ["alarm-delivery-changes-now", "a rule created", call("events.amazonaws.com", "PutRule", { name: "nightly" }), false],
    ["trail-key-changes-now", "a key scheduled for deletion", call("kms.amazonaws.com", "ScheduleKeyDeletion", { keyId: "k" }), true],
    ["trail-key-changes-now", "a key policy replaced", call("kms.amazonaws.com", "PutKeyPolicy", { keyId: "k" }), true],
    ["trail-key-changes-now", "a data key generated", call("kms.amazonaws.com", "GenerateDataKey", { keyId: "k" }), false],
    ["log-bucket-changes-now", "the log bucket's policy replaced", call("s3.amazonaws.com", "PutBucketPolicy", { bucketName: `${TRAIL}-logs-${AUDIT}` }), true],
    [
      "log-bucket-changes-now",
      "the access-log bucket's replication removed",
      call("s3.amazonaws.com", "DeleteBucketReplication", { bucketName: `${TRAIL}-access-logs-${AUDIT}` }),
      true,
    ],
    ["log-bucket-changes-now", "another bucket's policy replaced", call("s3.amazonaws.com", "PutBucketPolicy", { bucketName: "app-assets" }), false],
  ];

  test.each(CASES)("%s: %s → %s", (id, _name, event, expected) => {
    expect(eventMatches(patternOf(id), event)).toBe(expected);
  });

  test("every rule is exercised by a match and a near miss", () => {
    for (const id of Object.keys(rules()).map((k) => k.replace(/^event-rule-/, ""))) {
      expect({ id, outcomes: [...new Set(CASES.filter((c) => c[0] === id).map((c) => c[3]))].sort() }).toEqual({ id, outcomes: [false, true] });
    }
  });

  test("only these rules may publish to the topic, and EventBridge may use the topic's key to do so", async () => {
    const topicPolicy = sample.audit.policy("aws_sns_topic_policy", "alarm-topic-policy");
    const publish = (context: Record<string, string>) =>
      decideOnResource(topicPolicy, { caller: EVENTS, action: "sns:Publish", resource: TOPIC_ARN, resourceAccount: AUDIT, context });
    const governanceRule = `arn:aws:events:us-east-1:${AUDIT}:rule/${TRAIL}-trail-changes-now`;
    expect(await publish({ "aws:SourceArn": governanceRule, "aws:SourceAccount": AUDIT })).toBe("Allowed");
    expect(await publish({ "aws:SourceArn": `arn:aws:events:us-east-1:${AUDIT}:rule/nightly`, "aws:SourceAccount": AUDIT })).toBe("ImplicitlyDenied");
    expect(await publish({ "aws:SourceArn": `arn:aws:events:us-east-1:${PAYMENTS}:rule/${TRAIL}-x`, "aws:SourceAccount": PAYMENTS })).toBe("ImplicitlyDenied");
    expect(await publish({ "aws:SourceArn": governanceRule, "aws:SourceAccount": PAYMENTS })).toBe("ImplicitlyDenied");
    const key = sample.audit.policy("aws_kms_key", "alarm-key");
    const onKey = (action: string) =>
      decideOnResource(key, { caller: EVENTS, action, resource: `arn:aws:kms:us-east-1:${AUDIT}:key/1111`, resourceAccount: AUDIT, context: {} });
    expect([await onKey("kms:GenerateDataKey"), await onKey("kms:Decrypt"), await onKey("kms:ScheduleKeyDeletion")]).toEqual([
      "Allowed",
      "Allowed",
      "ImplicitlyDenied",
    ]);
  });

  test("with eventBridge: false there are no rules, and neither the topic nor its key admits EventBridge", async () => {
    const { audit } = await auditStack(withDetections("eventBridge: false"));
    expect(audit.resources("aws_cloudwatch_event_rule")).toEqual({});
    expect(audit.resources("aws_cloudwatch_event_target")).toEqual({});
    const topicPolicy = audit.policy("aws_sns_topic_policy", "alarm-topic-policy");
    const context = { "aws:SourceArn": `arn:aws:events:us-east-1:${AUDIT}:rule/${TRAIL}-trail-changes-now`, "aws:SourceAccount": AUDIT };
    expect(await decideOnResource(topicPolicy, { caller: EVENTS, action: "sns:Publish", resource: TOPIC_ARN, resourceAccount: AUDIT, context })).toBe(
      "ImplicitlyDenied",
    );
    const key = audit.policy("aws_kms_key", "alarm-key");
    expect(
      await decideOnResource(key, {
        caller: EVENTS,
        action: "kms:GenerateDataKey",
        resource: `arn:aws:kms:us-east-1:${AUDIT}:key/1111`,
        resourceAccount: AUDIT,
      }),
    ).toBe("ImplicitlyDenied");
  });

  test("a trail name too long for EventBridge's 64-character rule names is an error with both fixes", async () => {
    const yaml = sampleYaml().replace("  name: claude-platform-governance", `  name: ${"g".repeat(40)}\n  bucketName: short-log-bucket`);
    await expect(planBaseline(configFromYaml(yaml))).rejects.toThrow(
      /auditTrail\.name: the EventBridge rule name g+-alarm-delivery-changes-now is 67 characters, over EventBridge's 64; shorten auditTrail\.name, or set auditTrail\.detections\.eventBridge: false/,
    );
  });
});

describe("tamper protection covers the detections (organization stack, iam-simulate)", () => {
  const chain = () => scpChain(sample.config, sample.organization as never, AUDIT);
  const insightRule = `arn:aws:cloudwatch:us-east-1:${AUDIT}:insight-rule/${TRAIL}-multi-region-principal-pairs`;
  const eventRule = `arn:aws:events:us-east-1:${AUDIT}:rule/${TRAIL}-alarm-silencing-now`;

  test.each([
    ["cloudwatch:DisableInsightRules", insightRule, "ProtectGovernanceDetections"],
    ["cloudwatch:PutInsightRule", insightRule, "ProtectGovernanceDetections"],
    ["events:DisableRule", eventRule, "ProtectGovernanceDetections"],
    ["events:RemoveTargets", eventRule, "ProtectGovernanceDetections"],
    ["cloudwatch:DeleteAnomalyDetector", "*", "ProtectAuditAccountLogs"],
    ["cloudwatch:PutAnomalyDetector", "*", "ProtectAuditAccountLogs"],
    ["events:UpdateEventBus", `arn:aws:events:eu-west-1:${AUDIT}:event-bus/default`, "ProtectGovernanceDetections"],
  ])("%s on %s: denied to an administrator of the audit account, allowed to the deployment role", async (action, resource, sid) => {
    expect(await decide(chain(), { principal: admin(AUDIT), action, resource })).toEqual({ result: "ExplicitlyDenied", deniedBy: [sid] });
    expect((await decide(chain(), { principal: deployer(AUDIT), action, resource })).result).toBe("Allowed");
  });

  test("other rules and other accounts' anomaly detectors stay the teams' own", async () => {
    const other = [
      ["events:DisableRule", `arn:aws:events:us-east-1:${AUDIT}:rule/nightly-report`, AUDIT],
      ["cloudwatch:DeleteInsightRules", `arn:aws:cloudwatch:us-east-1:${AUDIT}:insight-rule/top-talkers`, AUDIT],
      ["cloudwatch:DeleteAnomalyDetector", "*", PAYMENTS],
    ] as const;
    for (const [action, resource, account] of other) {
      const decision = await decide(scpChain(sample.config, sample.organization as never, account), { principal: admin(account), action, resource });
      expect({ action, account, result: decision.result }).toEqual({ action, account, result: "Allowed" });
    }
  });
});
