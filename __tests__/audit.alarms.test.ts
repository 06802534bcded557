/**
 * Every alarm of the synthesized audit stack: its metric filter pattern (read from cdk.tf.json) is
 * checked against sample CloudTrail events, at least one that must match and one that must not,
 * near misses included; every filter feeds an alarm that publishes to the encrypted topic.
 */
import { GOVERNANCE_LOG_GROUP_ACTIONS, GOVERNANCE_TRAIL_ACTIONS } from "../policies/scp/protect-audit-trail";
import { ALARMS } from "../policies/trail";
import { viewOf, type AuditStackView } from "./harness/audit";
import { CLAUDE_EVENT_SOURCE, claudeDataEvent, cloudTrailEvent, iamUser, role, workspaceArn, type CloudTrailRecord } from "./harness/cloudtrail-events";
import { filterMatches, parseFilterPattern } from "./harness/filter-pattern";
import { sampleConfig, synthesize } from "./harness/synth";

const AUDIT = "222222222222";
const PAYMENTS = "333333333333";
const RESEARCH = "444444444444";
const TRAIL = "claude-platform-governance";
const PAYMENTS_PROD = workspaceArn("wrkspc_01PaymentsProd", PAYMENTS);
const RESEARCH_DEV = workspaceArn("wrkspc_01ResearchDev", RESEARCH, "us-west-2");
const LOG_BUCKET = `${TRAIL}-logs-${AUDIT}`;
const ACCESS_LOG_BUCKET = `${TRAIL}-access-logs-${AUDIT}`;
const admin = (account: string) => role(account, "Administrator");
const deployer = role(AUDIT, "platform-governance-deployer");
const iam = (name: string, requestParameters: Record<string, unknown> | null, extra: { errorCode?: string; account?: string } = {}) =>
  cloudTrailEvent({ source: "iam.amazonaws.com", name, identity: admin(extra.account ?? PAYMENTS), requestParameters, errorCode: extra.errorCode });
const management = (source: string, name: string, requestParameters: Record<string, unknown>, identity = deployer, recipientAccount?: string) =>
  cloudTrailEvent({ source, name, identity, requestParameters, recipientAccount });

interface Case {
  readonly match: ReadonlyArray<[string, CloudTrailRecord]>;
  readonly noMatch: ReadonlyArray<[string, CloudTrailRecord]>;
}

const BEARER_TOKEN_CASES: Case = {
  match: [
    [
      "inference with a short-term API key (callWithBearerToken)",
      claudeDataEvent("CreateInference", role(RESEARCH, "research-ai-developer"), RESEARCH_DEV, { requestParameters: { callWithBearerToken: true } }),
    ],
    [
      "the bearer-token gate itself, denied",
      cloudTrailEvent({
        source: CLAUDE_EVENT_SOURCE,
        name: "CallWithBearerToken",
        identity: role(PAYMENTS, "payments-ai-inference"),
        errorCode: "AccessDenied",
      }),
    ],
    [
      "a SHORT_TERM token type recorded in additionalEventData",
      claudeDataEvent("CountTokens", role(PAYMENTS, "payments-ai-inference"), PAYMENTS_PROD, { additionalEventData: { bearerTokenType: "SHORT_TERM" } }),
    ],
    [
      "a LONG_TERM token type recorded in requestParameters",
      claudeDataEvent("CreateInference", iamUser(PAYMENTS, "AeaApiKey-ab12cd34"), PAYMENTS_PROD, { requestParameters: { bearerTokenType: "LONG_TERM" } }),
    ],
  ],
  noMatch: [
    ["inference signed with SigV4", claudeDataEvent("CreateInference", role(RESEARCH, "research-ai-developer"), RESEARCH_DEV)],
    [
      "a call that says it used no bearer token",
      claudeDataEvent("CreateInference", role(RESEARCH, "research-ai-developer"), RESEARCH_DEV, { requestParameters: { callWithBearerToken: false } }),
    ],
    [
      "another service's bearer-token call",
      cloudTrailEvent({
        source: "bedrock.amazonaws.com",
        name: "InvokeModel",
        identity: role(PAYMENTS, "app"),
        requestParameters: { callWithBearerToken: true },
      }),
    ],
  ],
};

/** Sample events per alarm (by its name without the trail prefix). */
const CASES: Record<string, Case> = {
  "long-term-key-creation": {
    match: [
      [
        "a Claude Platform service credential created",
        iam("CreateServiceSpecificCredential", { userName: "alice", serviceName: "aws-external-anthropic.amazonaws.com" }),
      ],
      [
        "the same denied by the SCP",
        iam("CreateServiceSpecificCredential", { userName: "alice", serviceName: "aws-external-anthropic.amazonaws.com" }, { errorCode: "AccessDenied" }),
      ],
      ["a denied credential call whose record carries no parameters", iam("CreateServiceSpecificCredential", null, { errorCode: "AccessDenied" })],
      ["the console's shadow user created", iam("CreateUser", { userName: "AeaApiKey-ab12cd34", path: "/" })],
      ["an access key for a shadow user, denied", iam("CreateAccessKey", { userName: "AeaApiKey-ab12cd34" }, { errorCode: "AccessDenied" })],
      [
        "a policy attached to a shadow user",
        iam("AttachUserPolicy", { userName: "AeaApiKey-ab12cd34", policyArn: "arn:aws:iam::aws:policy/AnthropicLimitedAccess" }),
      ],
    ],
    noMatch: [
      ["a CodeCommit credential created", iam("CreateServiceSpecificCredential", { userName: "alice", serviceName: "codecommit.amazonaws.com" })],
      [
        "listing a user's Claude credentials",
        iam("ListServiceSpecificCredentials", { userName: "alice", serviceName: "aws-external-anthropic.amazonaws.com" }),
      ],
      ["an ordinary user created", iam("CreateUser", { userName: "alice" })],
      ["a near-miss user name", iam("CreateUser", { userName: "NotAeaApiKey-ab12cd34" })],
      ["a shadow user deleted (clean-up)", iam("DeleteUser", { userName: "AeaApiKey-ab12cd34" })],
      ["a shadow user read", iam("GetUser", { userName: "AeaApiKey-ab12cd34" })],
    ],
  },
  "long-term-key-use": {
    match: [
      ["inference by a long-term key's IAM user", claudeDataEvent("CreateInference", iamUser(PAYMENTS, "AeaApiKey-ab12cd34"), PAYMENTS_PROD)],
      [
        "a LONG_TERM bearer token denied (token type in additionalEventData)",
        cloudTrailEvent({
          source: CLAUDE_EVENT_SOURCE,
          name: "CallWithBearerToken",
          identity: iamUser(PAYMENTS, "AeaApiKey-ab12cd34"),
          errorCode: "AccessDenied",
          additionalEventData: { bearerTokenType: "LONG_TERM" },
        }),
      ],
      [
        "a LONG_TERM token recorded in requestParameters by a role (field guess)",
        claudeDataEvent("CreateInference", role(RESEARCH, "research-ai-developer"), RESEARCH_DEV, { requestParameters: { bearerTokenType: "LONG_TERM" } }),
      ],
      [
        "an IAM user's call recorded under another eventSource (the eventSource is third-party)",
        claudeDataEvent("CreateInference", iamUser(PAYMENTS, "AeaApiKey-ab12cd34"), PAYMENTS_PROD, { source: "aws-external-anthropic.api.aws" }),
      ],
    ],
    noMatch: [
      ["SigV4 inference by a role", claudeDataEvent("CreateInference", role(PAYMENTS, "payments-ai-inference"), PAYMENTS_PROD)],
      [
        "a SHORT_TERM token used by a role",
        cloudTrailEvent({
          source: CLAUDE_EVENT_SOURCE,
          name: "CallWithBearerToken",
          identity: role(RESEARCH, "research-ai-developer"),
          additionalEventData: { bearerTokenType: "SHORT_TERM" },
        }),
      ],
      [
        "an IAM user's call to another service",
        cloudTrailEvent({ source: "s3.amazonaws.com", name: "GetObject", identity: iamUser(PAYMENTS, "alice"), category: "Data" }),
      ],
    ],
  },
  "console-federation": {
    match: [
      [
        "a research role opens the console",
        cloudTrailEvent({
          source: CLAUDE_EVENT_SOURCE,
          name: "AssumeConsole",
          identity: role(RESEARCH, "research-ai-developer"),
          requestParameters: { capability: "developer" },
        }),
      ],
      [
        "an administrator is refused",
        cloudTrailEvent({ source: CLAUDE_EVENT_SOURCE, name: "AssumeConsole", identity: admin(PAYMENTS), errorCode: "AccessDenied" }),
      ],
    ],
    noMatch: [
      ["an STS role assumption", cloudTrailEvent({ source: "sts.amazonaws.com", name: "AssumeRole", identity: admin(PAYMENTS) })],
      ["inference", claudeDataEvent("CreateInference", role(RESEARCH, "research-ai-developer"), RESEARCH_DEV)],
    ],
  },
  "protected-workspace-access-denied-01PaymentsProd": {
    match: [
      ["an administrator's skill edit refused", claudeDataEvent("UpdateSkill", admin(PAYMENTS), PAYMENTS_PROD, { errorCode: "AccessDenied" })],
      [
        "a file download refused (AccessDeniedException)",
        claudeDataEvent("GetFile", iamUser(PAYMENTS, "AeaApiKey-ab12cd34"), PAYMENTS_PROD, { errorCode: "AccessDeniedException" }),
      ],
      [
        "the same workspace id seen in another region",
        claudeDataEvent("GetFile", admin(PAYMENTS), workspaceArn("wrkspc_01PaymentsProd", PAYMENTS, "us-west-2"), { errorCode: "AccessDenied" }),
      ],
    ],
    noMatch: [
      ["an allowed skill edit", claudeDataEvent("UpdateSkill", role(PAYMENTS, "payments-ai-inference"), PAYMENTS_PROD)],
      ["a refusal on an unprotected workspace", claudeDataEvent("UpdateSkill", admin(RESEARCH), RESEARCH_DEV, { errorCode: "AccessDenied" })],
      [
        "a refusal on a look-alike workspace id",
        claudeDataEvent("UpdateSkill", admin(PAYMENTS), workspaceArn("wrkspc_01PaymentsProd2", PAYMENTS), { errorCode: "AccessDenied" }),
      ],
      ["a throttled call", claudeDataEvent("CreateInference", role(PAYMENTS, "payments-ai-inference"), PAYMENTS_PROD, { errorCode: "ThrottlingException" })],
    ],
  },
  "protected-workspace-changes-01PaymentsProd": {
    match: [
      ["a skill updated", claudeDataEvent("UpdateSkill", role(PAYMENTS, "payments-ai-inference"), PAYMENTS_PROD)],
      ["an environment created", claudeDataEvent("CreateEnvironment", role(PAYMENTS, "payments-ai-inference"), PAYMENTS_PROD)],
      ["an agent archive refused", claudeDataEvent("ArchiveAgent", admin(PAYMENTS), PAYMENTS_PROD, { errorCode: "AccessDenied" })],
      ["a skill recorded under a sub-resource ARN", claudeDataEvent("DeleteSkill", role(PAYMENTS, "payments-ai-inference"), `${PAYMENTS_PROD}/skill/skl_01`)],
    ],
    noMatch: [
      ["inference in the protected workspace", claudeDataEvent("CreateInference", role(PAYMENTS, "payments-ai-inference"), PAYMENTS_PROD)],
      ["reading a skill", claudeDataEvent("GetSkill", role(PAYMENTS, "payments-ai-inference"), PAYMENTS_PROD)],
      ["a skill updated in an unprotected workspace", claudeDataEvent("UpdateSkill", role(RESEARCH, "research-ai-developer"), RESEARCH_DEV)],
      ["a skill updated in a look-alike workspace", claudeDataEvent("UpdateSkill", admin(PAYMENTS), workspaceArn("wrkspc_01PaymentsProdX", PAYMENTS))],
    ],
  },
  "trail-changes": {
    match: [
      ["logging stopped", management("cloudtrail.amazonaws.com", "StopLogging", { name: TRAIL }, admin(AUDIT))],
      ["event selectors replaced", management("cloudtrail.amazonaws.com", "PutEventSelectors", { trailName: TRAIL })],
      [
        "event configuration changed, denied",
        cloudTrailEvent({
          source: "cloudtrail.amazonaws.com",
          name: "PutEventConfiguration",
          identity: admin(AUDIT),
          requestParameters: { trailName: TRAIL },
          errorCode: "AccessDenied",
        }),
      ],
    ],
    noMatch: [
      ["trail status read", management("cloudtrail.amazonaws.com", "GetTrailStatus", { name: TRAIL })],
      ["events looked up", management("cloudtrail.amazonaws.com", "LookupEvents", {})],
    ],
  },
  "log-group-changes": {
    match: [
      [
        "retention shortened",
        management("logs.amazonaws.com", "PutRetentionPolicy", { logGroupName: "/claude-platform/cloudtrail", retentionInDays: 1 }, admin(AUDIT)),
      ],
      [
        "a metric filter deleted",
        management(
          "logs.amazonaws.com",
          "DeleteMetricFilter",
          { logGroupName: "/claude-platform/cloudtrail", filterName: `${TRAIL}-trail-changes` },
          admin(AUDIT),
        ),
      ],
      [
        "the group deleted by ARN",
        management(
          "logs.amazonaws.com",
          "DeleteLogGroup",
          { logGroupIdentifier: `arn:aws:logs:us-east-1:${AUDIT}:log-group:/claude-platform/cloudtrail` },
          admin(AUDIT),
        ),
      ],
      [
        "a transformer put on the group",
        management("logs.amazonaws.com", "PutTransformer", { logGroupIdentifier: "/claude-platform/cloudtrail" }, admin(AUDIT)),
      ],
      [
        "a tag removed through the newer API",
        management(
          "logs.amazonaws.com",
          "UntagResource",
          { resourceArn: `arn:aws:logs:us-east-1:${AUDIT}:log-group:/claude-platform/cloudtrail:*`, tagKeys: ["owner"] },
          admin(AUDIT),
        ),
      ],
      [
        "a forged log stream, denied",
        cloudTrailEvent({
          source: "logs.amazonaws.com",
          name: "CreateLogStream",
          identity: admin(AUDIT),
          requestParameters: { logGroupName: "/claude-platform/cloudtrail", logStreamName: "x" },
          errorCode: "AccessDenied",
        }),
      ],
      [
        "an account-level transformer policy in the audit account",
        management("logs.amazonaws.com", "PutAccountPolicy", { policyName: "x", policyType: "TRANSFORMER_POLICY" }, admin(AUDIT), AUDIT),
      ],
      [
        "a metric filter on another group of the audit account (it can publish into the alarms' namespace)",
        management("logs.amazonaws.com", "PutMetricFilter", { logGroupName: "/attacker/noise", filterName: "x" }, admin(AUDIT), AUDIT),
      ],
    ],
    noMatch: [
      [
        "retention changed on another group",
        management("logs.amazonaws.com", "PutRetentionPolicy", { logGroupName: "/aws/lambda/app", retentionInDays: 1 }, admin(AUDIT)),
      ],
      ["a look-alike group", management("logs.amazonaws.com", "DeleteLogGroup", { logGroupName: "/claude-platform/cloudtrail-old" }, admin(AUDIT))],
      [
        "CloudTrail creating its log stream",
        management("logs.amazonaws.com", "CreateLogStream", { logGroupName: "/claude-platform/cloudtrail", logStreamName: `${AUDIT}_CloudTrail_us-east-1` }),
      ],
      [
        "the group's transformer read",
        cloudTrailEvent({
          source: "logs.amazonaws.com",
          name: "GetTransformer",
          identity: admin(AUDIT),
          requestParameters: { logGroupIdentifier: "/claude-platform/cloudtrail" },
          readOnly: true,
        }),
      ],
      [
        "an account-level policy in another account",
        management("logs.amazonaws.com", "PutAccountPolicy", { policyName: "x", policyType: "TRANSFORMER_POLICY" }, admin(PAYMENTS), PAYMENTS),
      ],
    ],
  },
  "bearer-token-use": BEARER_TOKEN_CASES,
  "bearer-token-use-by-account": BEARER_TOKEN_CASES,
  "organization-changes": {
    match: [
      [
        "an account created",
        management("organizations.amazonaws.com", "CreateAccount", { accountName: "shadow", email: "x@example.com" }, admin("111111111111")),
      ],
      [
        "an account moved out of its OU",
        management(
          "organizations.amazonaws.com",
          "MoveAccount",
          { accountId: PAYMENTS, sourceParentId: "ou-a1b2-work0001", destinationParentId: "r-a1b2" },
          admin("111111111111"),
        ),
      ],
      [
        "an account removed, denied",
        cloudTrailEvent({
          source: "organizations.amazonaws.com",
          name: "RemoveAccountFromOrganization",
          identity: admin("111111111111"),
          requestParameters: { accountId: PAYMENTS },
          errorCode: "AccessDenied",
        }),
      ],
      ["an account closed", management("organizations.amazonaws.com", "CloseAccount", { accountId: PAYMENTS }, admin("111111111111"))],
      ["a member leaving", management("organizations.amazonaws.com", "LeaveOrganization", {}, admin(PAYMENTS))],
      [
        "an OU deleted",
        management("organizations.amazonaws.com", "DeleteOrganizationalUnit", { organizationalUnitId: "ou-a1b2-work0001" }, admin("111111111111")),
      ],
      [
        "a delegated administrator registered",
        management(
          "organizations.amazonaws.com",
          "RegisterDelegatedAdministrator",
          { accountId: PAYMENTS, servicePrincipal: "cloudtrail.amazonaws.com" },
          admin("111111111111"),
        ),
      ],
    ],
    noMatch: [
      ["accounts listed", management("organizations.amazonaws.com", "ListAccounts", {}, admin("111111111111"))],
      ["an account described", management("organizations.amazonaws.com", "DescribeAccount", { accountId: PAYMENTS }, admin("111111111111"))],
      [
        "an SCP detached (the scp-changes alarm)",
        management("organizations.amazonaws.com", "DetachPolicy", { policyId: "p-abcd1234", targetId: "r-a1b2" }, admin("111111111111")),
      ],
      ["an account created in another service's API", management("controltower.amazonaws.com", "CreateAccount", {}, admin("111111111111"))],
    ],
  },
  "alarm-silencing": {
    match: [
      ["a mute rule in the audit account", management("monitoring.amazonaws.com", "PutAlarmMuteRule", { name: "quiet-hours" }, admin(AUDIT), AUDIT)],
      [
        "a mute rule denied",
        cloudTrailEvent({
          source: "monitoring.amazonaws.com",
          name: "PutAlarmMuteRule",
          identity: admin(AUDIT),
          requestParameters: { name: "x" },
          errorCode: "AccessDenied",
          recipientAccount: AUDIT,
        }),
      ],
      [
        "a governance alarm's actions disabled",
        management("monitoring.amazonaws.com", "DisableAlarmActions", { alarmNames: [`${TRAIL}-trail-changes`] }, admin(AUDIT), AUDIT),
      ],
      [
        "a governance alarm redefined",
        management("monitoring.amazonaws.com", "PutMetricAlarm", { alarmName: `${TRAIL}-console-federation`, alarmActions: [] }, admin(AUDIT), AUDIT),
      ],
      [
        "a governance alarm forced to OK",
        management("monitoring.amazonaws.com", "SetAlarmState", { alarmName: `${TRAIL}-scp-changes`, stateValue: "OK" }, admin(AUDIT), AUDIT),
      ],
      [
        "any alarm's actions disabled in the audit account (the call lists several names, and a filter reads one)",
        management("monitoring.amazonaws.com", "DisableAlarmActions", { alarmNames: ["team-latency", `${TRAIL}-trail-changes`] }, admin(AUDIT), AUDIT),
      ],
      [
        "a detection's Contributor Insights rule disabled",
        management("monitoring.amazonaws.com", "DisableInsightRules", { ruleNames: [`${TRAIL}-model-call-spike`] }, admin(AUDIT), AUDIT),
      ],
      [
        "a detection's Contributor Insights rule redefined",
        management("monitoring.amazonaws.com", "PutInsightRule", { ruleName: `${TRAIL}-model-call-spike`, ruleState: "ENABLED" }, admin(AUDIT), AUDIT),
      ],
    ],
    noMatch: [
      [
        "an alarm's actions disabled in a workload account",
        management("monitoring.amazonaws.com", "DisableAlarmActions", { alarmNames: ["team-latency"] }, admin(PAYMENTS), PAYMENTS),
      ],
      [
        "another alarm redefined in the audit account",
        management("monitoring.amazonaws.com", "PutMetricAlarm", { alarmName: "team-latency", alarmActions: [] }, admin(AUDIT), AUDIT),
      ],
      ["a mute rule in a workload account", management("monitoring.amazonaws.com", "PutAlarmMuteRule", { name: "quiet-hours" }, admin(PAYMENTS), PAYMENTS)],
      [
        "the governance alarms described",
        cloudTrailEvent({
          source: "monitoring.amazonaws.com",
          name: "DescribeAlarms",
          identity: admin(AUDIT),
          requestParameters: { alarmNames: [`${TRAIL}-trail-changes`] },
          readOnly: true,
          recipientAccount: AUDIT,
        }),
      ],
    ],
  },
  "alarm-delivery-changes": {
    match: [
      [
        "an email unsubscribed from the topic",
        management("sns.amazonaws.com", "Unsubscribe", { subscriptionArn: `arn:aws:sns:us-east-1:${AUDIT}:${TRAIL}-alarms:0f1e2d3c` }, admin(AUDIT), AUDIT),
      ],
      [
        "a data-protection policy on the topic",
        management(
          "sns.amazonaws.com",
          "PutDataProtectionPolicy",
          { resourceArn: "x", topicArn: `arn:aws:sns:us-east-1:${AUDIT}:${TRAIL}-alarms` },
          admin(AUDIT),
          AUDIT,
        ),
      ],
      [
        "a governance EventBridge rule disabled",
        management("events.amazonaws.com", "DisableRule", { name: `${TRAIL}-trail-changes-now` }, admin(AUDIT), AUDIT),
      ],
      [
        "a governance EventBridge rule's target removed, denied",
        cloudTrailEvent({
          source: "events.amazonaws.com",
          name: "RemoveTargets",
          identity: admin(AUDIT),
          requestParameters: { rule: `${TRAIL}-alarm-silencing-now`, ids: ["alarm-topic"] },
          errorCode: "AccessDenied",
          recipientAccount: AUDIT,
        }),
      ],
    ],
    noMatch: [
      [
        "another topic's attributes changed",
        management("sns.amazonaws.com", "SetTopicAttributes", { topicArn: `arn:aws:sns:us-east-1:${AUDIT}:team-alerts` }, admin(AUDIT), AUDIT),
      ],
      ["another EventBridge rule disabled", management("events.amazonaws.com", "DisableRule", { name: "nightly-report" }, admin(AUDIT), AUDIT)],
      [
        "a rule of the same name in a workload account",
        management("events.amazonaws.com", "DisableRule", { name: `${TRAIL}-trail-changes-now` }, admin(PAYMENTS), PAYMENTS),
      ],
      [
        "the topic's attributes read",
        management("sns.amazonaws.com", "GetTopicAttributes", { topicArn: `arn:aws:sns:us-east-1:${AUDIT}:${TRAIL}-alarms` }, admin(AUDIT), AUDIT),
      ],
    ],
  },
  "scp-changes": {
    match: [
      ["an SCP detached", management("organizations.amazonaws.com", "DetachPolicy", { policyId: "p-abcd1234", targetId: "r-a1b2" }, admin("111111111111"))],
      ["an SCP rewritten", management("organizations.amazonaws.com", "UpdatePolicy", { policyId: "p-abcd1234" }, admin("111111111111"))],
    ],
    noMatch: [
      ["policies listed", management("organizations.amazonaws.com", "ListPolicies", { filter: "SERVICE_CONTROL_POLICY" }, admin("111111111111"))],
      ["a policy described", management("organizations.amazonaws.com", "DescribePolicy", { policyId: "p-abcd1234" }, admin("111111111111"))],
    ],
  },
  "trail-key-changes": {
    match: [
      [
        "a key scheduled for deletion in the audit account",
        management("kms.amazonaws.com", "ScheduleKeyDeletion", { keyId: "1234abcd", pendingWindowInDays: 7 }, admin(AUDIT)),
      ],
      [
        "a key policy replaced in the audit account",
        management("kms.amazonaws.com", "PutKeyPolicy", { keyId: "1234abcd", policyName: "default" }, admin(AUDIT)),
      ],
      [
        "a key scheduled for deletion in a workload account (a workspace's customer-managed key)",
        management("kms.amazonaws.com", "ScheduleKeyDeletion", { keyId: "1234abcd" }, admin(PAYMENTS)),
      ],
      [
        "a key disabled in a workload account, denied",
        cloudTrailEvent({
          source: "kms.amazonaws.com",
          name: "DisableKey",
          identity: admin(PAYMENTS),
          requestParameters: { keyId: "1234abcd" },
          errorCode: "AccessDenied",
        }),
      ],
    ],
    noMatch: [
      [
        "a key policy replaced in a workload account",
        management("kms.amazonaws.com", "PutKeyPolicy", { keyId: "1234abcd", policyName: "default" }, admin(PAYMENTS)),
      ],
      ["a key's rotation turned off in a workload account", management("kms.amazonaws.com", "DisableKeyRotation", { keyId: "1234abcd" }, admin(PAYMENTS))],
      ["a decrypt in the audit account", management("kms.amazonaws.com", "Decrypt", { keyId: "1234abcd" }, admin(AUDIT))],
    ],
  },
  "log-bucket-changes": {
    match: [
      ["the log bucket's policy replaced", management("s3.amazonaws.com", "PutBucketPolicy", { bucketName: LOG_BUCKET }, admin(AUDIT))],
      ["the access-log bucket's lifecycle deleted", management("s3.amazonaws.com", "DeleteBucketLifecycle", { bucketName: ACCESS_LOG_BUCKET }, admin(AUDIT))],
      ["a CORS rule on the log bucket", management("s3.amazonaws.com", "PutBucketCors", { bucketName: LOG_BUCKET, CORSConfiguration: {} }, admin(AUDIT))],
      ["the log bucket's replication removed", management("s3.amazonaws.com", "DeleteBucketReplication", { bucketName: LOG_BUCKET }, admin(AUDIT))],
      ["the log bucket's replication re-pointed", management("s3.amazonaws.com", "PutBucketReplication", { bucketName: LOG_BUCKET }, admin(AUDIT))],
      [
        "the log bucket's Object Lock retention changed",
        management("s3.amazonaws.com", "PutObjectLockConfiguration", { bucketName: LOG_BUCKET }, admin(AUDIT)),
      ],
      [
        "the log bucket's lifecycle shortened from a workload account, denied",
        cloudTrailEvent({
          source: "s3.amazonaws.com",
          name: "PutBucketLifecycle",
          identity: admin(PAYMENTS),
          requestParameters: { bucketName: LOG_BUCKET },
          errorCode: "AccessDenied",
        }),
      ],
    ],
    noMatch: [
      ["another bucket's policy replaced", management("s3.amazonaws.com", "PutBucketPolicy", { bucketName: "app-assets" }, admin(AUDIT))],
      ["the log bucket's policy read", management("s3.amazonaws.com", "GetBucketPolicy", { bucketName: LOG_BUCKET }, admin(AUDIT))],
      ["another bucket's CORS changed", management("s3.amazonaws.com", "PutBucketCors", { bucketName: "app-assets" }, admin(AUDIT))],
    ],
  },
};

let stack: AuditStackView;
let filters: Map<string, Record<string, unknown>>;

beforeAll(async () => {
  const out = await synthesize(sampleConfig());
  stack = viewOf(out.stack("audit"));
  out.cleanup();
  filters = new Map(Object.values(stack.resources("aws_cloudwatch_log_metric_filter")).map((f) => [String(f.name).slice(`${TRAIL}-`.length), f]));
});

const patternOf = (id: string) => {
  const filter = filters.get(id);
  if (!filter) throw new Error(`no metric filter ${TRAIL}-${id} in the audit stack`);
  return String(filter.pattern);
};

test("the sample org gets every alarm: one per trail-wide alarm, one per protected workspace for the workspace alarms, each with sample events", () => {
  expect([...filters.keys()].sort()).toEqual(Object.keys(CASES).sort());
  const perWorkspace = ALARMS.filter((a) => a.scope === "protected-workspace").map((a) => a.id);
  expect(perWorkspace).toEqual(["protected-workspace-access-denied", "protected-workspace-changes"]);
});

describe.each(Object.entries(CASES))("alarm %s", (id, { match, noMatch }) => {
  test("its pattern is valid filter syntax within CloudWatch Logs' 1,024 characters", () => {
    expect(() => parseFilterPattern(patternOf(id))).not.toThrow();
    expect(patternOf(id).length).toBeLessThanOrEqual(1024);
  });
  test.each(match)("matches: %s", (_name, event) => {
    expect(filterMatches(patternOf(id), JSON.stringify(event))).toBe(true);
  });
  test.each(noMatch)("does not match: %s", (_name, event) => {
    expect(filterMatches(patternOf(id), JSON.stringify(event))).toBe(false);
  });
});

test("each filter counts into its own metric; its alarm fires on one match in five minutes, or on a rise out of its learned band, to the alarm topic", () => {
  const alarms = Object.values(stack.resources("aws_cloudwatch_metric_alarm"));
  const topics = Object.keys(stack.resources("aws_sns_topic"));
  expect(topics).toEqual(["alarm-topic"]);
  const specs = new Map(ALARMS.map((a) => [a.id, a]));
  const metrics = new Set<string>();
  for (const [id, filter] of filters) {
    const transformation = filter.metric_transformation as Record<string, string>;
    expect(transformation.value).toBe("1");
    expect(filter.log_group_name).toBe("${aws_cloudwatch_log_group.log-group.name}");
    const kind = specs.get(id.replace(/-01PaymentsProd$/, ""))?.alarm ?? "any-match";
    const metric = { namespace: transformation.namespace, metric_name: transformation.name };
    const reading = alarms.filter(
      (a) =>
        (a.metric_name === metric.metric_name && a.namespace === metric.namespace) ||
        (a.metric_query as Array<{ metric?: Record<string, unknown> }> | undefined)?.some((q) => q.metric?.metric_name === metric.metric_name),
    );
    if (kind === "metric-only") {
      expect({ id, reading }).toEqual({ id, reading: [] });
    } else if (kind === "unusual-rise") {
      expect(reading).toHaveLength(1);
      expect(transformation.default_value).toBe("0");
      expect(reading[0]).toMatchObject({
        alarm_name: `${TRAIL}-${id}`,
        comparison_operator: "GreaterThanUpperThreshold",
        threshold_metric_id: "band",
        evaluation_periods: 1,
        alarm_actions: ["${aws_sns_topic.alarm-topic.arn}"],
        metric_query: [
          { id: "calls", metric: { ...metric, stat: "Sum", period: 300 }, return_data: true },
          { id: "band", expression: "ANOMALY_DETECTION_BAND(calls, 2)", return_data: true },
        ],
      });
    } else {
      expect({ id, alarm: reading.map((a) => a.alarm_name) }).toEqual({ id, alarm: [`${TRAIL}-${id}`] });
      expect(reading[0]).toMatchObject({
        statistic: "Sum",
        threshold: 1,
        comparison_operator: "GreaterThanOrEqualToThreshold",
        evaluation_periods: 1,
        period: 300,
        treat_missing_data: "notBreaching",
        alarm_actions: ["${aws_sns_topic.alarm-topic.arn}"],
      });
    }
    metrics.add(`${transformation.namespace}/${transformation.name}`);
  }
  expect(metrics.size).toBe(filters.size);
});

test("the per-account baseline breaks bearer-token use down by the account the event is recorded for", () => {
  const transformation = filters.get("bearer-token-use-by-account")!.metric_transformation as Record<string, unknown>;
  expect(transformation.dimensions).toEqual({ Account: "$.recipientAccountId" });
  expect(transformation.default_value).toBeUndefined();
});

test("the alarm topic is encrypted with its own customer-managed key and has the config's email subscription", () => {
  expect(stack.resource("aws_sns_topic", "alarm-topic").kms_master_key_id).toBe("${aws_kms_key.alarm-key.arn}");
  const subscriptions = Object.values(stack.resources("aws_sns_topic_subscription"));
  expect(subscriptions.map((s) => [s.protocol, s.endpoint, s.topic_arn])).toEqual([["email", "security@example.com", "${aws_sns_topic.alarm-topic.arn}"]]);
});

test("every alarm is documented: title, what it catches, what to do, and third-party fields where the filter relies on any", () => {
  for (const alarm of ALARMS) {
    expect(alarm.title.length).toBeGreaterThan(10);
    expect(alarm.catches.length).toBeGreaterThan(40);
    expect(alarm.response.length).toBeGreaterThan(40);
  }
  const thirdParty = new Map(ALARMS.map((a) => [a.id, a.thirdPartyFields ?? ""]));
  expect(thirdParty.get("long-term-key-use")).toMatch(/bearerTokenType.*third-party|third-party.*bearerTokenType/s);
  expect(thirdParty.get("long-term-key-use")).toContain("eventSource");
  expect(thirdParty.get("long-term-key-creation")).toContain("AeaApiKey");
  expect(thirdParty.get("console-federation")).toContain("eventSource");
});

test("no pattern depends on the third-party eventSource alone: each Claude Platform filter also matches without it", () => {
  const withoutSource = (event: CloudTrailRecord) => ({ ...event, eventSource: "renamed.example" });
  expect(
    filterMatches(patternOf("long-term-key-use"), withoutSource(claudeDataEvent("CreateInference", iamUser(PAYMENTS, "AeaApiKey-ab12cd34"), PAYMENTS_PROD))),
  ).toBe(true);
  expect(
    filterMatches(
      patternOf("console-federation"),
      withoutSource(cloudTrailEvent({ source: CLAUDE_EVENT_SOURCE, name: "AssumeConsole", identity: admin(PAYMENTS) })),
    ),
  ).toBe(true);
  expect(
    filterMatches(patternOf("protected-workspace-changes-01PaymentsProd"), withoutSource(claudeDataEvent("UpdateSkill", admin(PAYMENTS), PAYMENTS_PROD))),
  ).toBe(true);
  expect(
    filterMatches(
      patternOf("protected-workspace-access-denied-01PaymentsProd"),
      withoutSource(claudeDataEvent("UpdateSkill", admin(PAYMENTS), PAYMENTS_PROD, { errorCode: "AccessDenied" })),
    ),
  ).toBe(true);
});

describe("the alarms see what tamper protection denies", () => {
  const eventName = (action: string) => action.split(":")[1];

  test.each(GOVERNANCE_TRAIL_ACTIONS)("trail-changes matches %s on the governance trail, allowed or denied", (action) => {
    for (const errorCode of [undefined, "AccessDenied"]) {
      const event = cloudTrailEvent({
        source: "cloudtrail.amazonaws.com",
        name: eventName(action),
        identity: admin(AUDIT),
        requestParameters: { name: TRAIL },
        errorCode,
      });
      expect({ action, errorCode, matches: filterMatches(patternOf("trail-changes"), JSON.stringify(event)) }).toEqual({ action, errorCode, matches: true });
    }
  });

  test.each(GOVERNANCE_LOG_GROUP_ACTIONS)("log-group-changes matches %s on the governance log group, allowed or denied", (action) => {
    for (const errorCode of [undefined, "AccessDenied"]) {
      const event = cloudTrailEvent({
        source: "logs.amazonaws.com",
        name: eventName(action),
        identity: admin(AUDIT),
        requestParameters: { logGroupName: "/claude-platform/cloudtrail" },
        errorCode,
      });
      expect({ action, errorCode, matches: filterMatches(patternOf("log-group-changes"), JSON.stringify(event)) }).toEqual({
        action,
        errorCode,
        matches: true,
      });
    }
  });
});
