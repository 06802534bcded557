/**
 * Every AWS quota the baseline meets, in one place, with where the number comes from and when it
 * was last checked. Builders check documents against these where they are built.
 */

export interface Quota {
  readonly value: number;
  readonly unit: string;
  /** What is counted, and how. */
  readonly counts: string;
  readonly source: string;
  /** When the value was last confirmed against the source (YYYY-MM). */
  readonly checked: string;
}

const ORGANIZATIONS_QUOTAS = "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html";
const IAM_QUOTAS = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html";

export const QUOTAS = {
  scpSize: {
    value: 10_240,
    unit: "characters",
    counts: "the policy document as saved through the API or Terraform, whitespace included (raised from 5,120 on 2026-05-15)",
    source: ORGANIZATIONS_QUOTAS,
    checked: "2026-11",
  },
  scpsPerTarget: {
    value: 10,
    unit: "policies",
    counts: "SCPs attached directly to one root, OU or account, FullAWSAccess and Control Tower guardrails included (raised from 5 on 2026-05-15)",
    source: ORGANIZATIONS_QUOTAS,
    checked: "2026-11",
  },
  scpName: {
    value: 128,
    unit: "characters",
    counts: "an SCP's name (CreatePolicy, UpdatePolicy)",
    source: "https://docs.aws.amazon.com/organizations/latest/APIReference/API_CreatePolicy.html",
    checked: "2026-11",
  },
  scpDescription: {
    value: 512,
    unit: "characters",
    counts: "an SCP's description (CreatePolicy, UpdatePolicy)",
    source: "https://docs.aws.amazon.com/organizations/latest/APIReference/API_CreatePolicy.html",
    checked: "2026-11",
  },
  rcpSize: { value: 5_120, unit: "characters", counts: "the RCP document as saved", source: ORGANIZATIONS_QUOTAS, checked: "2026-11" },
  rcpsPerTarget: { value: 5, unit: "policies", counts: "RCPs attached directly to one target", source: ORGANIZATIONS_QUOTAS, checked: "2026-11" },
  managedPolicySize: { value: 6_144, unit: "characters", counts: "an IAM managed policy, whitespace not counted", source: IAM_QUOTAS, checked: "2026-11" },
  inlinePoliciesPerRole: {
    value: 10_240,
    unit: "characters",
    counts: "all inline policies of one role together, whitespace not counted",
    source: IAM_QUOTAS,
    checked: "2026-11",
  },
  trustPolicySize: {
    value: 2_048,
    unit: "characters",
    counts: "a role trust policy, default quota, whitespace not counted",
    source: IAM_QUOTAS,
    checked: "2026-11",
  },
  managedPoliciesPerRole: {
    value: 10,
    unit: "policies",
    counts: "managed policies attached to one role, default quota",
    source: IAM_QUOTAS,
    checked: "2026-11",
  },
  trailsPerRegion: {
    value: 5,
    unit: "trails",
    counts: "trails in one region of one account",
    source: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html",
    checked: "2026-11",
  },
  advancedSelectorValuesPerTrail: {
    value: 500,
    unit: "values",
    counts: "values across all advanced event selectors of one trail",
    source: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html",
    checked: "2026-11",
  },
  metricFilterPatternLength: {
    value: 1_024,
    unit: "characters",
    counts: "one CloudWatch Logs metric filter pattern",
    source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutMetricFilter.html",
    checked: "2026-11",
  },
  metricFiltersPerLogGroup: {
    value: 100,
    unit: "filters",
    counts: "metric filters on one log group",
    source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html",
    checked: "2026-11",
  },
  s3BucketPolicySize: {
    value: 20_480,
    unit: "bytes",
    counts: "an S3 bucket policy (20 KB)",
    source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html",
    checked: "2026-11",
  },
  kmsKeyPolicySize: {
    value: 32_768,
    unit: "bytes",
    counts: "a KMS key policy (32 KB)",
    source: "https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html",
    checked: "2026-11",
  },
  snsTopicPolicySize: {
    value: 30_720,
    unit: "bytes",
    counts: "an SNS topic's access policy (30 KB)",
    source: "https://docs.aws.amazon.com/general/latest/gr/sns.html",
    checked: "2026-11",
  },
  alarmName: {
    value: 255,
    unit: "characters",
    counts: "a CloudWatch alarm's name (PutMetricAlarm AlarmName)",
    source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html",
    checked: "2026-11",
  },
  metricName: {
    value: 255,
    unit: "characters",
    counts: "a metric's name (PutMetricFilter metricTransformations MetricName); the metric filter's own name may have 512",
    source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_MetricTransformation.html",
    checked: "2026-11",
  },
  eventRuleName: {
    value: 64,
    unit: "characters",
    counts: "an EventBridge rule's name (PutRule Name)",
    source: "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html",
    checked: "2026-11",
  },
  insightRuleName: {
    value: 128,
    unit: "characters",
    counts: "a Contributor Insights rule's name (PutInsightRule RuleName)",
    source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutInsightRule.html",
    checked: "2026-11",
  },
  insightRuleDefinition: {
    value: 8_192,
    unit: "characters",
    counts: "a Contributor Insights rule's definition (PutInsightRule RuleDefinition)",
    source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutInsightRule.html",
    checked: "2026-11",
  },
} as const satisfies Record<string, Quota>;

/**
 * 10240 → "10,240". Written out because `toLocaleString` loads ICU's locale data, which costs
 * more start-up time than the rest of the summary.
 */
export function withThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
