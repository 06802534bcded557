/**
 * Near-real-time delivery of the high-severity tamper patterns: EventBridge rules in the audit
 * account's home region that send the matching CloudTrail events straight to the alarm topic,
 * within seconds, where a metric filter's alarm waits for its period.
 *
 * What EventBridge sees (EventBridge User Guide, "Events from AWS services" and "AWS API Call via
 * CloudTrail"): the write management events (never read-only ones) of calls made in this account,
 * delivered in the region the call was made in; calls to global services (IAM, Organizations) are
 * delivered in us-east-1 of the account that made them. So these rules see tampering with the
 * audit account's own trail, log group, keys, buckets, alarms and rules made in the home region.
 * They do not see Claude Platform calls (data events of member accounts) nor organization changes
 * (the management account's): the metric-filter alarms on the organization trail's log group
 * cover those, in every account and region.
 */
import type { Catalog } from "../catalog";
import { GOVERNANCE_LOG_GROUP_ACTIONS, GOVERNANCE_TRAIL_ACTIONS } from "../scp/protect-audit-trail";
import { eventNamesOf, SILENCING_CALLS } from "./alarms";
import type { AuditNames } from "./names";

/** What the EventBridge rules can see, for docs/audit.md (sources: the module comment). */
export const EVENTBRIDGE_SCOPE =
  "EventBridge receives the write management events (never read-only ones) of calls made in the account the rule lives in, in the region the call was made in; calls to global services (IAM, Organizations) arrive in us-east-1 of the account that made them. So these rules, in the audit account's home region, see tampering with the audit account's own trail, log group, keys, buckets, alarms and rules made there. They do not see Claude Platform calls (data events of member accounts) nor organization changes (made in the management account): the alarms on the organization trail's log group cover those, in every account and region, within an alarm period.";

export interface EventRuleSpec {
  readonly id: string;
  readonly title: string;
  /** The metric-filter alarm the rule delivers early. */
  readonly alarm: string;
}

export interface EventRule extends EventRuleSpec {
  /** The rule's name: `<trail>-<id>`, under the prefix the alarm topic admits. */
  readonly name: string;
  /** Exactly the event pattern EventBridge receives (JSON). */
  readonly pattern: string;
}

type Detail = Record<string, unknown>;

/** A CloudTrail API-call event of `eventSource` whose detail also matches `detail`. */
function apiCall(eventSource: string, detail: Detail): string {
  return JSON.stringify({ "detail-type": ["AWS API Call via CloudTrail"], detail: { eventSource: [eventSource], ...detail } });
}

/**
 * S3's CloudTrail event names for changes that weaken a bucket (they differ from the IAM action
 * names: PutBucketLifecycle for s3:PutLifecycleConfiguration, and so on; AWS's documented names).
 */
const LOG_BUCKET_EVENT_NAMES = [
  "DeleteBucket",
  "PutBucketPolicy",
  "DeleteBucketPolicy",
  "PutBucketAcl",
  "PutBucketEncryption",
  "DeleteBucketEncryption",
  "PutBucketVersioning",
  "PutBucketLogging",
  "PutBucketLifecycle",
  "DeleteBucketLifecycle",
  "PutBucketCors",
  "DeleteBucketCors",
  "PutBucketReplication",
  "DeleteBucketReplication",
  "PutObjectLockConfiguration",
  "PutBucketPublicAccessBlock",
  "DeleteBucketPublicAccessBlock",
  "PutBucketOwnershipControls",
];

export const EVENT_RULES: readonly EventRuleSpec[] = [
  { id: "trail-changes-now", title: "A trail stopped, deleted or re-pointed in the audit account", alarm: "trail-changes" },
  { id: "log-group-changes-now", title: "A log group of the audit account weakened (the trail's among them)", alarm: "log-group-changes" },
  { id: "alarm-silencing-now", title: "Alarms or detections muted, disabled or deleted in the audit account", alarm: "alarm-silencing" },
  {
    id: "alarm-delivery-changes-now",
    title: "EventBridge rules deleted, disabled or stripped of targets, or an event bus re-keyed, in the audit account",
    alarm: "alarm-delivery-changes",
  },
  { id: "trail-key-changes-now", title: "A key in the audit account disabled, exposed or scheduled for deletion", alarm: "trail-key-changes" },
  { id: "log-bucket-changes-now", title: "The log bucket or the access-log bucket weakened", alarm: "log-bucket-changes" },
];

const spec = (id: string) => EVENT_RULES.find((r) => r.id === id)!;

export function buildEventRules(names: AuditNames, catalog: Catalog): EventRule[] {
  const rule = (id: string, pattern: string): EventRule => ({ ...spec(id), name: `${names.alarmNamePrefix}${id}`, pattern });
  return [
    rule("trail-changes-now", apiCall("cloudtrail.amazonaws.com", { eventName: eventNamesOf(catalog, GOVERNANCE_TRAIL_ACTIONS) })),
    rule(
      "log-group-changes-now",
      // Any group: the calls name it by logGroupName, logGroupIdentifier or resourceArn, and the audit account has few groups to churn.
      apiCall("logs.amazonaws.com", { eventName: eventNamesOf(catalog, GOVERNANCE_LOG_GROUP_ACTIONS) }),
    ),
    rule("alarm-silencing-now", apiCall("monitoring.amazonaws.com", { eventName: eventNamesOf(catalog, SILENCING_CALLS) })),
    // Any rule: deleting one rule is seen by the others, and the audit account has no rules to churn.
    rule(
      "alarm-delivery-changes-now",
      apiCall("events.amazonaws.com", {
        eventName: eventNamesOf(catalog, ["events:DeleteRule", "events:DisableRule", "events:RemoveTargets", "events:UpdateEventBus"]),
      }),
    ),
    rule(
      "trail-key-changes-now",
      apiCall("kms.amazonaws.com", {
        eventName: eventNamesOf(catalog, ["kms:DisableKey", "kms:ScheduleKeyDeletion", "kms:DisableKeyRotation", "kms:PutKeyPolicy"]),
      }),
    ),
    rule(
      "log-bucket-changes-now",
      apiCall("s3.amazonaws.com", { eventName: [...LOG_BUCKET_EVENT_NAMES], requestParameters: { bucketName: [names.bucket, names.accessLogBucket] } }),
    ),
  ];
}
