/**
 * The `audit` stack, in the audit account (the CloudTrail delegated administrator): the governance
 * trail with Claude Platform data events, its KMS keys, log bucket (and the bucket receiving that
 * bucket's access logs), CloudWatch Logs group and delivery role, and the metric filters and
 * alarms with their encrypted SNS topic. Everything arrives planned and checked
 * (policies/trail); this stack only wires it. Policies are literal strings computed from the
 * config; references between resources appear only in non-policy arguments.
 *
 * Written for hashicorp/aws 5.x and 6.x alike: split S3 resources, no 6.x-only argument.
 */
import { Cloudtrail, type CloudtrailAdvancedEventSelectorFieldSelector } from "@cdktf/provider-aws/lib/cloudtrail";
import { CloudwatchContributorInsightRule } from "@cdktf/provider-aws/lib/cloudwatch-contributor-insight-rule";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchLogMetricFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-metric-filter";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { BaselineConfig } from "../config/schema";
import type { AddressMove } from "../policies/legacy-addresses";
import type { AlarmDefinition, AuditPlan, FieldSelector } from "../policies/trail";
import { insightRuleMetric, type InsightDetection } from "../policies/trail/insights";
import { archiveBuckets } from "./audit-archive";
import { BaselineStack, configureStack, moveFromPreviousAddress } from "./common";

export const AUDIT_STACK = "audit";

/** Alarm evaluation: any match within five minutes fires; no data is not a breach. */
const ALARM_PERIOD_SECONDS = 300;
/** Standard deviations either side of the learned usual level before a rise alarms (CloudWatch's default is 2). */
const ANOMALY_BAND_WIDTH = 2;

export class AuditStack extends BaselineStack {
  constructor(
    scope: Construct,
    config: BaselineConfig,
    private readonly plan: AuditPlan,
    moves: readonly AddressMove[] = [],
  ) {
    super(scope, AUDIT_STACK);
    const n = plan.names;
    configureStack(this, config, { name: AUDIT_STACK, account: n.account, region: n.region });

    const key = (id: string, description: string, alias: string, policy: string) => {
      const created = new KmsKey(this, id, { description, enableKeyRotation: true, deletionWindowInDays: 30, policy });
      new KmsAlias(this, `${id}-alias`, { name: alias, targetKeyId: created.keyId });
      return created;
    };
    const trailKey = key("trail-key", `Encrypts the ${n.trailName} trail's log files and log group`, n.trailKeyAlias, plan.policies.trailKeyPolicy);
    const alarmKey = key("alarm-key", `Encrypts the ${n.trailName} alarm topic`, n.alarmKeyAlias, plan.policies.alarmKeyPolicy);

    const { logs } = archiveBuckets(this, plan, trailKey);

    const logGroup = new CloudwatchLogGroup(this, "log-group", { name: n.logGroupName, retentionInDays: plan.logRetentionDays, kmsKeyId: trailKey.arn });
    const role = new IamRole(this, "delivery-role", {
      name: n.deliveryRoleName,
      description: `CloudTrail delivers the ${n.trailName} trail to ${n.logGroupName}`,
      assumeRolePolicy: plan.policies.deliveryRoleTrust,
    });
    const rolePolicy = new IamRolePolicy(this, "delivery-role-policy", {
      role: role.name,
      name: "deliver-to-log-group",
      policy: plan.policies.deliveryRolePolicy,
    });

    const trail = new Cloudtrail(this, "trail", {
      name: n.trailName,
      s3BucketName: logs.bucket.id,
      isOrganizationTrail: plan.organizationTrail,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
      kmsKeyId: trailKey.arn,
      cloudWatchLogsGroupArn: `${n.logGroupArn}:*`,
      cloudWatchLogsRoleArn: n.deliveryRoleArn,
      advancedEventSelector: plan.selectors.selectors.map((s) => ({ name: s.name, fieldSelector: s.fieldSelectors.map(fieldSelector) })),
      dependsOn: [logs.policy, logs.encryption, logs.logging, logGroup, rolePolicy],
    });

    const topic = new SnsTopic(this, "alarm-topic", { name: n.topicName, kmsMasterKeyId: alarmKey.arn });
    new SnsTopicPolicy(this, "alarm-topic-policy", { arn: topic.arn, policy: plan.policies.topicPolicy });
    for (const { key, email } of plan.alarmSubscriptions) {
      moveFromPreviousAddress(new SnsTopicSubscription(this, key, { topicArn: topic.arn, protocol: "email", endpoint: email }), "subscription", moves);
    }

    for (const alarm of plan.alarms) this.metricFilterAlarm(alarm, logGroup, topic);
    for (const detection of plan.insights) this.insightAlarm(detection, logGroup, topic);
    for (const rule of plan.eventRules) {
      const created = new CloudwatchEventRule(this, `event-rule-${rule.id}`, {
        name: rule.name,
        description: rule.title,
        eventPattern: rule.pattern,
        state: "ENABLED",
      });
      new CloudwatchEventTarget(this, `event-target-${rule.id}`, { rule: created.name, targetId: "alarm-topic", arn: topic.arn });
    }

    // For other repositories (terraform_remote_state, terraform output -json): where the trail writes and where its alarms go.
    new TerraformOutput(this, "trail_arn", { value: trail.arn, description: `ARN of the governance trail ${n.trailName}` });
    new TerraformOutput(this, "log_group_name", { value: logGroup.name, description: "Name of the CloudWatch Logs group the trail delivers to" });
    new TerraformOutput(this, "log_group_arn", { value: logGroup.arn, description: "ARN of the CloudWatch Logs group the trail delivers to" });
    new TerraformOutput(this, "log_bucket_name", {
      value: logs.bucket.bucket,
      description: "Name of the S3 bucket holding the trail's log files (readable by auditTrail.logReaders only)",
    });
    new TerraformOutput(this, "alarm_topic_arn", { value: topic.arn, description: "ARN of the encrypted SNS topic the governance alarms publish to" });
  }
  /** A metric filter and, unless it is a baseline metric, its alarm: on any match, or on a rise out of the learned band. */
  private metricFilterAlarm(alarm: AlarmDefinition, logGroup: CloudwatchLogGroup, topic: SnsTopic) {
    const n = this.plan.names;
    const filter = new CloudwatchLogMetricFilter(this, `filter-${alarm.metricName}`, {
      name: alarm.name,
      logGroupName: logGroup.name,
      pattern: alarm.pattern,
      metricTransformation: {
        name: alarm.metricName,
        namespace: n.metricNamespace,
        value: "1",
        // A rise is judged against a baseline, so quiet periods count as zero (dimensions forbid a default).
        ...(alarm.alarm === "unusual-rise" ? { defaultValue: "0" } : {}),
        ...(alarm.dimensions ? { dimensions: { ...alarm.dimensions } } : {}),
      },
    });
    if (alarm.alarm === "metric-only") return;
    const common = {
      alarmName: alarm.name,
      alarmDescription: `${alarm.title}. ${alarm.response}`.slice(0, 1024),
      evaluationPeriods: 1,
      treatMissingData: "notBreaching",
      alarmActions: [topic.arn],
      dependsOn: [filter],
    };
    const metric = { namespace: n.metricNamespace, metricName: alarm.metricName, stat: "Sum", period: ALARM_PERIOD_SECONDS };
    new CloudwatchMetricAlarm(
      this,
      `alarm-${alarm.metricName}`,
      alarm.alarm === "unusual-rise"
        ? {
            ...common,
            comparisonOperator: "GreaterThanUpperThreshold",
            thresholdMetricId: "band",
            metricQuery: [
              { id: "calls", metric, returnData: true },
              { id: "band", expression: `ANOMALY_DETECTION_BAND(calls, ${ANOMALY_BAND_WIDTH})`, label: "usual range", returnData: true },
            ],
          }
        : {
            ...common,
            namespace: metric.namespace,
            metricName: metric.metricName,
            statistic: "Sum",
            period: ALARM_PERIOD_SECONDS,
            threshold: 1,
            comparisonOperator: "GreaterThanOrEqualToThreshold",
          },
    );
  }

  /** The Contributor Insights rules of one per-principal detection, and the alarm on their metrics. */
  private insightAlarm(detection: InsightDetection, logGroup: CloudwatchLogGroup, topic: SnsTopic) {
    const rules = detection.rules.map(
      (rule) =>
        new CloudwatchContributorInsightRule(this, `insight-rule-${rule.id}`, {
          ruleName: rule.name,
          ruleState: "ENABLED",
          ruleDefinition: rule.definition,
          dependsOn: [logGroup],
        }),
    );
    // A detection that is one rule's metric alarms on it directly; otherwise on the expression over them.
    const single = detection.metrics.length === 1 && detection.expression === detection.metrics[0].id;
    new CloudwatchMetricAlarm(this, `alarm-${detection.id}`, {
      alarmName: detection.name,
      alarmDescription: `${detection.title}. ${detection.response}`.slice(0, 1024),
      evaluationPeriods: 1,
      threshold: detection.threshold,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      alarmActions: [topic.arn],
      metricQuery: [
        ...detection.metrics.map((m) => ({ id: m.id, expression: insightRuleMetric(m), period: detection.periodSeconds, returnData: single })),
        ...(single ? [] : [{ id: "detection", expression: detection.expression, label: detection.title, returnData: true }]),
      ],
      dependsOn: rules,
    });
  }
}

function fieldSelector(f: FieldSelector): CloudtrailAdvancedEventSelectorFieldSelector {
  const list = (values?: readonly string[]) => (values ? [...values] : undefined);
  return {
    field: f.field,
    equalTo: list(f.equals),
    notEquals: list(f.notEquals),
    startsWith: list(f.startsWith),
    notStartsWith: list(f.notStartsWith),
    endsWith: list(f.endsWith),
    notEndsWith: list(f.notEndsWith),
  };
}
