/**
 * The CIS alarms Security Hub's CloudWatch.1-14 look for (policies/trail/cis.ts), read back from the
 * synthesized audit stack: each exists only with auditTrail.cisAlarms, carries the table's pattern
 * byte for byte (Security Hub compares strings), feeds an alarm with the semantics CIS prescribes
 * on the alarm topic, and — because an exact string proves nothing about meaning — matches sample
 * CloudTrail events it must and misses near misses it must.
 */
import { Catalog } from "../policies/catalog";
import { QUOTAS } from "../policies/quotas";
import {
  CIS_ALARMS,
  CIS_ORGANIZATION_TRAIL_CAVEAT,
  CIS_RETRIEVED,
  CIS_SOURCE,
  CIS_TABLE,
  cisActionProblems,
  cisEventActions,
  eventNamesIn,
  type CisEntry,
} from "../policies/trail/cis";
import { viewOf, type AuditStackView, type Resource } from "./harness/audit";
import { cloudTrailEvent, iamUser, role, type CloudTrailRecord } from "./harness/cloudtrail-events";
import { filterMatches, parseFilterPattern } from "./harness/filter-pattern";
import { configFromYaml, sampleYaml, synthesize } from "./harness/synth";

const AUDIT = "222222222222";
const PAYMENTS = "333333333333";
const TRAIL = "claude-platform-governance";
const TOPIC = "${aws_sns_topic.alarm-topic.arn}";
const admin = role(PAYMENTS, "Administrator");

const withCis = () => configFromYaml(sampleYaml().replace("    email: [security@example.com]", "    email: [security@example.com]\n  cisAlarms: true"));

let stack: AuditStackView;
let stackText: string;
let plain: AuditStackView;

beforeAll(async () => {
  const out = await synthesize(withCis());
  try {
    stack = viewOf(out.stack("audit"));
    stackText = out.stackText("audit");
  } finally {
    out.cleanup();
  }
  const without = await synthesize(configFromYaml(sampleYaml()));
  try {
    plain = viewOf(without.stack("audit"));
  } finally {
    without.cleanup();
  }
});

const filterOf = (view: AuditStackView, id: string): Resource | undefined => view.resources("aws_cloudwatch_log_metric_filter")[`filter-${id}`];
const patternOf = (id: string) => filterOf(stack, id)!.pattern as string;

// ---------------------------------------------------------------------------------------------
// Sample events: the shapes CloudTrail records for these calls ("CloudTrail record contents", and
// "AWS Management Console sign-in events" for ConsoleLogin).

const api = (source: string, name: string, extra: { errorCode?: string; requestParameters?: Record<string, unknown> } = {}) =>
  cloudTrailEvent({ source, name, identity: admin, ...extra });

const rootIdentity = { type: "Root", principalId: PAYMENTS, arn: `arn:aws:iam::${PAYMENTS}:root`, accountId: PAYMENTS };
const asRoot = (event: CloudTrailRecord, more: Record<string, unknown> = {}): CloudTrailRecord => ({
  ...event,
  userIdentity: { ...rootIdentity, ...more },
});

function consoleLogin(
  identity: Record<string, unknown>,
  mfa: "Yes" | "No",
  result: "Success" | "Failure",
  errorMessage = "Failed authentication",
): CloudTrailRecord {
  return {
    eventVersion: "1.08",
    userIdentity: identity,
    eventTime: "2026-11-20T10:00:00Z",
    eventSource: "signin.amazonaws.com",
    eventName: "ConsoleLogin",
    awsRegion: "us-east-1",
    sourceIPAddress: "203.0.113.10",
    userAgent: "Mozilla/5.0",
    ...(result === "Failure" ? { errorMessage } : {}),
    requestParameters: null,
    responseElements: { ConsoleLogin: result },
    additionalEventData: { LoginTo: "https://console.aws.amazon.com/console/home", MobileVersion: "No", MFAUsed: mfa },
    eventID: "66666666-7777-8888-9999-000000000000",
    readOnly: false,
    eventType: "AwsConsoleSignIn",
    managementEvent: true,
    recipientAccountId: PAYMENTS,
    eventCategory: "Management",
  };
}
const iamUserIdentity = (name: string) =>
  cloudTrailEvent({ source: "x", name: "x", identity: iamUser(PAYMENTS, name) }).userIdentity as Record<string, unknown>;
const federatedIdentity = {
  type: "AssumedRole",
  principalId: "AROAEXAMPLE:alice@example.com",
  arn: `arn:aws:sts::${PAYMENTS}:assumed-role/AWSReservedSSO_Developer_0123456789abcdef/alice@example.com`,
  accountId: PAYMENTS,
};

interface Case {
  readonly match: ReadonlyArray<[string, CloudTrailRecord]>;
  readonly noMatch: ReadonlyArray<[string, CloudTrailRecord]>;
}

const CASES: Record<string, Case> = {
  "CloudWatch.1": {
    match: [
      ["the root user creating an access key", asRoot(api("iam.amazonaws.com", "CreateAccessKey"))],
      ["the root user signing in to the console", consoleLogin(rootIdentity, "Yes", "Success")],
      ["a root call refused", asRoot(api("ec2.amazonaws.com", "RunInstances", { errorCode: "Client.UnauthorizedOperation" }))],
    ],
    noMatch: [
      [
        "an AWS service invoking on root's behalf (userIdentity.invokedBy)",
        asRoot(api("s3.amazonaws.com", "PutObject"), { invokedBy: "cloudtrail.amazonaws.com" }),
      ],
      ["an AWS service event recorded under root", { ...asRoot(api("kms.amazonaws.com", "RotateKey")), eventType: "AwsServiceEvent" }],
      ["an administrator role", api("iam.amazonaws.com", "CreateAccessKey")],
      ["an IAM user named root", cloudTrailEvent({ source: "iam.amazonaws.com", name: "CreateAccessKey", identity: iamUser(PAYMENTS, "Root") })],
    ],
  },
  "CloudWatch.2": {
    match: [
      ["an IAM AccessDenied", api("iam.amazonaws.com", "ListUsers", { errorCode: "AccessDenied" })],
      ["an AccessDeniedException", api("aws-external-anthropic.amazonaws.com", "CreateInference", { errorCode: "AccessDeniedException" })],
      ["an EC2 UnauthorizedOperation", api("ec2.amazonaws.com", "RunInstances", { errorCode: "Client.UnauthorizedOperation" })],
    ],
    noMatch: [
      ["a throttled call", api("ec2.amazonaws.com", "DescribeInstances", { errorCode: "Client.RequestLimitExceeded" })],
      ["a call that succeeded", api("iam.amazonaws.com", "ListUsers")],
      ["a missing resource", api("s3.amazonaws.com", "GetBucketPolicy", { errorCode: "NoSuchBucketPolicy" })],
    ],
  },
  "CloudWatch.3": {
    match: [["an IAM user's successful console sign-in without MFA", consoleLogin(iamUserIdentity("alice"), "No", "Success")]],
    noMatch: [
      ["the same sign-in with MFA", consoleLogin(iamUserIdentity("alice"), "Yes", "Success")],
      ["a failed sign-in without MFA (CloudWatch.6 counts it)", consoleLogin(iamUserIdentity("alice"), "No", "Failure")],
      ["an IAM Identity Center (federated) sign-in, MFA done at the identity provider", consoleLogin(federatedIdentity, "No", "Success")],
      ["the root user without MFA (CloudWatch.1 counts every root sign-in)", consoleLogin(rootIdentity, "No", "Success")],
    ],
  },
  "CloudWatch.4": {
    match: [
      ["an inline role policy put", api("iam.amazonaws.com", "PutRolePolicy", { requestParameters: { roleName: "x", policyName: "y" } })],
      ["a managed policy attached to a user, denied", api("iam.amazonaws.com", "AttachUserPolicy", { errorCode: "AccessDenied" })],
      ["a policy version created", api("iam.amazonaws.com", "CreatePolicyVersion")],
    ],
    noMatch: [
      ["an SCP created (Organizations' CreatePolicy)", api("organizations.amazonaws.com", "CreatePolicy")],
      ["an IoT policy deleted", api("iot.amazonaws.com", "DeletePolicy")],
      ["a role created", api("iam.amazonaws.com", "CreateRole")],
      ["a policy read", api("iam.amazonaws.com", "GetPolicyVersion")],
    ],
  },
  "CloudWatch.5": {
    match: [
      ["logging stopped", api("cloudtrail.amazonaws.com", "StopLogging", { requestParameters: { name: TRAIL } })],
      ["a trail deleted, denied", api("cloudtrail.amazonaws.com", "DeleteTrail", { errorCode: "AccessDenied" })],
    ],
    noMatch: [
      ["event selectors changed (not in the CIS list; the baseline's trail-changes alarm has it)", api("cloudtrail.amazonaws.com", "PutEventSelectors")],
      ["trail status read", api("cloudtrail.amazonaws.com", "GetTrailStatus")],
    ],
  },
  "CloudWatch.6": {
    match: [
      ["an IAM user's wrong password", consoleLogin(iamUserIdentity("alice"), "No", "Failure")],
      ["the root user's wrong password", consoleLogin(rootIdentity, "No", "Failure")],
    ],
    noMatch: [
      ["a successful sign-in", consoleLogin(iamUserIdentity("alice"), "No", "Success")],
      [
        "a failure with another message (an unknown user name: not counted by CIS)",
        consoleLogin(iamUserIdentity("mallory"), "No", "Failure", "No username found in supplied account"),
      ],
    ],
  },
  "CloudWatch.7": {
    match: [
      ["a key scheduled for deletion", api("kms.amazonaws.com", "ScheduleKeyDeletion", { requestParameters: { keyId: "k", pendingWindowInDays: 7 } })],
      ["a key disabled", api("kms.amazonaws.com", "DisableKey")],
    ],
    noMatch: [
      ["key rotation disabled (not in the CIS list)", api("kms.amazonaws.com", "DisableKeyRotation")],
      ["a deletion cancelled", api("kms.amazonaws.com", "CancelKeyDeletion")],
      ["another service's DisableKey", api("payment-cryptography.amazonaws.com", "DisableKey")],
    ],
  },
  "CloudWatch.8": {
    match: [
      ["a bucket policy put", api("s3.amazonaws.com", "PutBucketPolicy", { requestParameters: { bucketName: "b" } })],
      ["a lifecycle deleted (S3's event name, not an IAM action)", api("s3.amazonaws.com", "DeleteBucketLifecycle")],
      ["CORS put", api("s3.amazonaws.com", "PutBucketCors")],
    ],
    noMatch: [
      ["the public access block removed (not in the CIS list)", api("s3.amazonaws.com", "DeleteBucketPublicAccessBlock")],
      ["a bucket policy read", api("s3.amazonaws.com", "GetBucketPolicy")],
      ["CORS put, spelled as the IAM action", api("s3.amazonaws.com", "PutBucketCORS")],
    ],
  },
  "CloudWatch.9": {
    match: [
      ["the recorder stopped", api("config.amazonaws.com", "StopConfigurationRecorder")],
      ["the delivery channel deleted", api("config.amazonaws.com", "DeleteDeliveryChannel")],
    ],
    noMatch: [
      ["the recorder started", api("config.amazonaws.com", "StartConfigurationRecorder")],
      ["the recorder deleted (not in the CIS list)", api("config.amazonaws.com", "DeleteConfigurationRecorder")],
    ],
  },
  "CloudWatch.10": {
    match: [["an ingress rule added", api("ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", { requestParameters: { groupId: "sg-1" } })]],
    noMatch: [
      ["rules modified through ModifySecurityGroupRules (not in the CIS list)", api("ec2.amazonaws.com", "ModifySecurityGroupRules")],
      ["groups listed", api("ec2.amazonaws.com", "DescribeSecurityGroups")],
    ],
  },
  "CloudWatch.11": {
    match: [["a network ACL entry added", api("ec2.amazonaws.com", "CreateNetworkAclEntry")]],
    noMatch: [["network ACLs listed", api("ec2.amazonaws.com", "DescribeNetworkAcls")]],
  },
  "CloudWatch.12": {
    match: [["an internet gateway attached", api("ec2.amazonaws.com", "AttachInternetGateway")]],
    noMatch: [
      ["an egress-only internet gateway created (another name)", api("ec2.amazonaws.com", "CreateEgressOnlyInternetGateway")],
      ["a NAT gateway created (not in the CIS list)", api("ec2.amazonaws.com", "CreateNatGateway")],
    ],
  },
  "CloudWatch.13": {
    match: [
      ["a route created", api("ec2.amazonaws.com", "CreateRoute")],
      ["a route table disassociated", api("ec2.amazonaws.com", "DisassociateRouteTable")],
    ],
    noMatch: [
      ["an API Gateway route created", api("apigateway.amazonaws.com", "CreateRoute")],
      ["a route table associated (not in the CIS list)", api("ec2.amazonaws.com", "AssociateRouteTable")],
    ],
  },
  "CloudWatch.14": {
    match: [
      ["a peering connection requested", api("ec2.amazonaws.com", "CreateVpcPeeringConnection")],
      ["a VPC attribute modified", api("ec2.amazonaws.com", "ModifyVpcAttribute")],
    ],
    noMatch: [
      ["a VPC endpoint created (not in the CIS list)", api("ec2.amazonaws.com", "CreateVpcEndpoint")],
      ["VPCs listed", api("ec2.amazonaws.com", "DescribeVpcs")],
    ],
  },
};

// ---------------------------------------------------------------------------------------------

test("the table holds CloudWatch.1 to .14 once each, every pattern with its source and retrieval date", () => {
  expect(CIS_TABLE.map((e) => e.control)).toEqual(Array.from({ length: 14 }, (_, i) => `CloudWatch.${i + 1}`));
  expect(new Set(CIS_TABLE.map((e) => e.id)).size).toBe(14);
  for (const e of CIS_TABLE) {
    expect(e.id).toMatch(new RegExp(`^cis-cloudwatch-${e.control.split(".")[1]}-[a-z0-9-]+$`));
    expect(e.source).toBe(`${CIS_SOURCE}#cloudwatch-${e.control.split(".")[1]}`);
  }
  expect(CIS_SOURCE).toBe("https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html");
  expect(CIS_RETRIEVED).toBe("2026-11-23");
  expect(Object.keys(CASES)).toEqual(CIS_TABLE.map((e) => e.control));
});

test("without auditTrail.cisAlarms there is no CIS filter or alarm; with it, fourteen more of each", () => {
  const ids = (view: AuditStackView, type: string) => Object.keys(view.resources(type)).filter((k) => k.includes("cis-cloudwatch-"));
  expect(ids(plain, "aws_cloudwatch_log_metric_filter")).toEqual([]);
  expect(ids(plain, "aws_cloudwatch_metric_alarm")).toEqual([]);
  expect(ids(stack, "aws_cloudwatch_log_metric_filter").sort()).toEqual(CIS_TABLE.map((e) => `filter-${e.id}`).sort());
  expect(ids(stack, "aws_cloudwatch_metric_alarm").sort()).toEqual(CIS_TABLE.map((e) => `alarm-${e.id}`).sort());
  const count = (view: AuditStackView) => Object.keys(view.resources("aws_cloudwatch_log_metric_filter")).length;
  expect(count(stack) - count(plain)).toBe(14);
});

test("every filter on the log group, CIS and the baseline's own, fits the metric-filters-per-log-group quota for the sample", () => {
  const filters = Object.values(stack.resources("aws_cloudwatch_log_metric_filter"));
  expect(new Set(filters.map((f) => f.log_group_name))).toEqual(new Set(["${aws_cloudwatch_log_group.log-group.name}"]));
  expect(filters.length).toBeLessThanOrEqual(QUOTAS.metricFiltersPerLogGroup.value);
});

describe.each(CIS_TABLE.map((e) => [e.control, e] as const))("%s", (control, entry: CisEntry) => {
  test("the synthesized pattern is the table's string byte for byte, valid and within 1,024 characters", () => {
    const filter = filterOf(stack, entry.id)!;
    expect(filter.name).toBe(`${TRAIL}-${entry.id}`);
    expect(filter.pattern).toBe(entry.pattern);
    // The bytes Terraform reads: the JSON encoding of exactly this string is in cdk.tf.json.
    expect(stackText).toContain(`"pattern": ${JSON.stringify(entry.pattern)}`);
    expect(() => parseFilterPattern(patternOf(entry.id))).not.toThrow();
    expect(patternOf(entry.id).length).toBeLessThanOrEqual(QUOTAS.metricFilterPatternLength.value);
  });

  test("its alarm reads the filter's metric: Sum over 300 s, threshold 1, GreaterThanOrEqualToThreshold, action on the alarm topic", () => {
    const filter = filterOf(stack, entry.id)!;
    const transformation = filter.metric_transformation as Record<string, string>;
    expect(transformation.value).toBe("1");
    const alarm = stack.resource("aws_cloudwatch_metric_alarm", `alarm-${entry.id}`);
    expect(alarm).toMatchObject({
      alarm_name: `${TRAIL}-${entry.id}`,
      metric_name: transformation.name,
      namespace: transformation.namespace,
      statistic: "Sum",
      period: 300,
      evaluation_periods: 1,
      threshold: 1,
      comparison_operator: "GreaterThanOrEqualToThreshold",
      alarm_actions: [TOPIC],
    });
  });

  test("the topic policy admits its alarm (alarms are admitted by the name prefix)", () => {
    const statement = stack
      .policy("aws_sns_topic_policy", Object.keys(stack.resources("aws_sns_topic_policy"))[0])
      .Statement.find((s) => s.Sid === "ThisTrailsAlarmsPublish")!;
    const [admitted] = (statement.Condition as Record<string, Record<string, string[]>>).ArnLike["aws:SourceArn"];
    const arn = `arn:aws:cloudwatch:us-east-1:${AUDIT}:alarm:${TRAIL}-${entry.id}`;
    expect(admitted.endsWith("*") && arn.startsWith(admitted.slice(0, -1))).toBe(true);
  });

  test.each(CASES[control].match)("matches: %s", (_name, event) => {
    expect(filterMatches(patternOf(entry.id), JSON.stringify(event))).toBe(true);
  });
  test.each(CASES[control].noMatch)("does not match: %s", (_name, event) => {
    expect(filterMatches(patternOf(entry.id), JSON.stringify(event))).toBe(false);
  });
});

test("the alarm topic has a subscriber (the controls' remediation: at least one subscription to the topic)", () => {
  const subscriptions = Object.values(stack.resources("aws_sns_topic_subscription"));
  expect(subscriptions.filter((s) => s.topic_arn === TOPIC).length).toBeGreaterThan(0);
});

describe("the variants not synthesized", () => {
  const entry = (control: string) => CIS_TABLE.find((e) => e.control === control)!;

  test.each(["CloudWatch.4", "CloudWatch.13"])("%s: the page's string is CIS's list scoped to one eventSource, nothing else", (control) => {
    const e = entry(control);
    expect(eventNamesIn(e.pattern)).toEqual(eventNamesIn(e.cisText!));
    expect(e.pattern).toMatch(/^\{\(\$\.eventSource=(iam|ec2)\.amazonaws\.com\) && \(/);
    expect(e.pattern).toContain(e.cisText!.slice(1, -1));
  });

  test("CIS's unscoped CloudWatch.4 string would also alarm on an SCP change; the page's does not", () => {
    const scp = api("organizations.amazonaws.com", "CreatePolicy");
    expect(filterMatches(entry("CloudWatch.4").cisText!, scp)).toBe(true);
    expect(filterMatches(entry("CloudWatch.4").pattern, scp)).toBe(false);
  });

  test("CIS v1.2.0's CloudWatch.3 string would also alarm on every federated and every failed sign-in without MFA; the page's does not", () => {
    const e = entry("CloudWatch.3");
    for (const event of [consoleLogin(federatedIdentity, "No", "Success"), consoleLogin(iamUserIdentity("alice"), "No", "Failure")]) {
      expect(filterMatches(e.cisText!, event)).toBe(true);
      expect(filterMatches(e.pattern, event)).toBe(false);
    }
  });
});

describe("event names against the IAM reference data", () => {
  let catalog: Catalog;
  beforeAll(async () => {
    catalog = await Catalog.load(["iam", "cloudtrail", "kms", "s3", "config", "ec2"]);
  });

  test("every event name of a service that names events after its actions is that IAM action, case included", () => {
    expect(cisActionProblems(catalog)).toEqual([]);
    const checked = CIS_TABLE.flatMap(cisEventActions);
    expect(checked.length).toBe(16 + 5 + 2 + 3 + 4 + 6 + 6 + 6 + 7 + 11);
    expect(checked).toEqual(
      expect.arrayContaining([
        "iam:PutRolePolicy",
        "cloudtrail:StopLogging",
        "kms:ScheduleKeyDeletion",
        "s3:PutBucketPolicy",
        "config:StopConfigurationRecorder",
        "ec2:EnableVpcClassicLink",
      ]),
    );
  });

  test("a typo or a case change in a CIS event name is a problem, so synthesis fails", () => {
    const broken = CIS_TABLE.map((e) => (e.control === "CloudWatch.5" ? { ...e, pattern: e.pattern.replace("StopLogging", "StopLoging") } : e));
    expect(cisActionProblems(catalog, broken)).toEqual([
      "CloudWatch.5: cloudtrail:StopLoging (an event name of its CIS pattern) is not an action in the IAM reference data",
    ]);
    const cased = CIS_TABLE.map((e) => (e.control === "CloudWatch.7" ? { ...e, pattern: e.pattern.replace("DisableKey)", "Disablekey)") } : e));
    expect(cisActionProblems(catalog, cased)).toEqual([
      "CloudWatch.7: the CIS pattern's event name kms:Disablekey is the IAM action kms:DisableKey in another case",
    ]);
  });

  test("the names left unchecked are in their pattern and are indeed not IAM action names", () => {
    for (const e of CIS_TABLE.filter((x) => x.notActions)) {
      for (const name of e.notActions!.names) {
        expect({ control: e.control, name, inPattern: eventNamesIn(e.pattern).includes(name) }).toEqual({ control: e.control, name, inPattern: true });
        const service = e.actionService ?? "signin";
        expect({ name, action: catalog.action(`${service}:${name}`)?.name === `${service}:${name}` }).toEqual({ name, action: false });
      }
    }
    expect(CIS_TABLE.filter((e) => e.notActions?.names.includes("ConsoleLogin")).map((e) => e.control)).toEqual(["CloudWatch.3", "CloudWatch.6"]);
  });
});

test("CIS_ALARMS describes each alarm for docs, and the organization-trail caveat says who sees what", () => {
  expect(CIS_ALARMS.map((a) => Object.keys(a).sort())).toEqual(
    CIS_TABLE.map(() => ["catches", "control", "id", "requirements", "response", "source", "title", "variant"]),
  );
  for (const a of CIS_ALARMS) {
    expect(a.catches.length).toBeGreaterThan(40);
    expect(a.response.length).toBeGreaterThan(40);
  }
  for (const phrase of [
    "NO_DATA",
    "FAILED",
    "PASSED",
    "management account",
    "member account",
    "central configuration",
    "home Region",
    CIS_SOURCE,
    "cloudtrail-delegated-administrator",
  ]) {
    expect(CIS_ORGANIZATION_TRAIL_CAVEAT).toContain(phrase);
  }
});
