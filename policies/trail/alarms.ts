/**
 * The alarms on the trail's log group: for each, a CloudWatch Logs metric filter pattern, what it
 * catches, what to do when it fires, and which CloudTrail fields it relies on that only
 * third-party material names. `ALARMS` is the plain description (for docs); `buildAlarms` resolves
 * the patterns for one config.
 *
 * Pattern syntax (CloudWatch Logs, "Filter and pattern syntax", JSON patterns): `{ … }`, selectors
 * `$.a.b[0].c`, `=` / `!=`, `&&` binds tighter than `||`, parentheses; a string value may start
 * and/or end with `*` (a `*` inside a value is literal), a bare `*` matches any value of a field
 * that exists. Patterns are case-sensitive. A pattern is at most 1,024 characters.
 */
import { QUOTAS } from "../quotas";
import type { BaselineConfig } from "../../config/schema";
import { CLAUDE_SERVICE, type Catalog } from "../catalog";
import { SynthesisError } from "../errors";
import { workspaceSidSuffix } from "../names";
import { CLAUDE_CREDENTIAL_SERVICE_NAME } from "../scp/control";
import { AUDIT_ACCOUNT_LOG_ACTIONS, GOVERNANCE_TRAIL_ACTIONS } from "../scp/protect-audit-trail";
import type { AuditNames } from "./names";
import { WORKSPACE_DATA_RESOURCE_TYPE, workspaceArn } from "./selectors";

export interface AlarmSpec {
  /** Stable id: part of the alarm's, metric filter's and metric's names. */
  readonly id: string;
  readonly title: string;
  /** What the filter catches, in a sentence or two. */
  readonly catches: string;
  /** What to do when the alarm fires. */
  readonly response: string;
  /** The CloudTrail fields the filter relies on that only third-party material names, and how the filter copes. */
  readonly thirdPartyFields?: string;
  /** One alarm for the trail, or one per protected workspace. */
  readonly scope: "trail" | "protected-workspace";
  /** The CIS AWS Foundations / Security Hub alarm it is modelled on, if any (its pattern differs, so a Security Hub check of the exact CIS pattern does not count it). */
  readonly cis?: string;
}

export interface AlarmDefinition extends AlarmSpec {
  /** The alarm's, metric filter's and metric's name: `<trail>-<id>[-<workspace>]`. */
  readonly name: string;
  readonly metricName: string;
  readonly pattern: string;
  /** The protected workspace, for per-workspace alarms. */
  readonly workspace?: string;
}

// ---------------------------------------------------------------------------------------------
// Pattern builders: every term parenthesized, so precedence never depends on reading order.

type Term = string;

/** A string value as the pattern syntax writes it: quoted, except the bare wildcard. */
function value(v: string): string {
  if (v.includes('"') || v.includes("\\")) throw new Error(`filter value ${v} contains a quote or backslash`);
  return v === "*" ? "*" : `"${v}"`;
}

const is = (selector: string, v: string): Term => `($.${selector} = ${value(v)})`;
const isNot = (selector: string, v: string): Term => `($.${selector} != ${value(v)})`;
/** A write: CloudTrail marks every call that changes something `readOnly: false`. */
const isWrite: Term = "($.readOnly IS FALSE)";
const anyOf = (...terms: Term[]): Term => (terms.length === 1 ? terms[0] : `(${terms.join(" || ")})`);
const allOf = (...terms: Term[]): Term => (terms.length === 1 ? terms[0] : `(${terms.join(" && ")})`);
const pattern = (term: Term) => `{ ${term} }`;
const eventIn = (names: readonly string[]) => anyOf(...names.map((n) => is("eventName", n)));

/** Event names that are also IAM action names, checked against the reference data. */
function actionNames(catalog: Catalog, service: string, names: readonly string[]): string[] {
  return names.map((n) => catalog.requireAction(`${service}:${n}`).name.slice(service.length + 1));
}

/** Events of an AWS service (eventSource `<service>.amazonaws.com`) whose names are its IAM actions, and any further conditions. */
function serviceEvents(catalog: Catalog, service: string, names: readonly string[], ...more: Term[]): Term {
  return allOf(is("eventSource", `${service}.amazonaws.com`), ...more, eventIn(actionNames(catalog, service, names)));
}

/** The event names of `service:Action` names: what an SCP denies, as the alarm that watches it sees it. */
function eventNamesOf(catalog: Catalog, service: string, actions: readonly string[]): string[] {
  return actionNames(
    catalog,
    service,
    actions.map((a) => a.slice(service.length + 1)),
  );
}

/**
 * A workspace in a data event's resource list: its exact ARN in any region or account (the id
 * decides, as in the SCPs), or a sub-resource ARN under it in its configured region and account.
 * Data events list resources in `resources[]`; the first two entries are checked.
 */
function workspaceResource(names: AuditNames, workspace: { id: string; region: string; account: string }): Term {
  const exact = `*:workspace/${workspace.id}`;
  const under = `${workspaceArn(names.partition, workspace.region, workspace.account, workspace.id)}/*`;
  return anyOf(...[0, 1].flatMap((i) => [is(`resources[${i}].ARN`, exact), is(`resources[${i}].ARN`, under)]));
}

const CLAUDE_EVENT_SOURCE = `${CLAUDE_SERVICE}*`;

// ---------------------------------------------------------------------------------------------

interface AlarmBuilder extends AlarmSpec {
  pattern(context: PatternContext, workspace?: { id: string; region: string; account: string }): Term;
}

interface PatternContext {
  readonly names: AuditNames;
  readonly catalog: Catalog;
}

const BUILDERS: readonly AlarmBuilder[] = [
  {
    id: "long-term-key-creation",
    title: "Claude Platform long-term API key created or attempted",
    catches:
      "Creating an IAM service-specific credential for aws-external-anthropic.amazonaws.com (a long-term Claude Platform API key), any failed CreateServiceSpecificCredential, and creating or equipping an AeaApiKey-* user (access key, password, policy, group, credential) — allowed or denied.",
    response:
      "Find who called (userIdentity.arn) and whether it succeeded (errorCode). If a credential or shadow user exists, delete the credential (iam delete-service-specific-credential) and the AeaApiKey-* user, then review why the caller could try: the denyServiceSpecificCredentials and denyShadowApiKeyUsers controls should have refused it outside the management account.",
    thirdPartyFields:
      "The AeaApiKey-<8 characters> user name of the console's key flow is third-party. Field names (requestParameters.serviceName, requestParameters.userName) are IAM's documented parameter names. A denied call may carry no requestParameters, which is why every failed CreateServiceSpecificCredential also matches.",
    scope: "trail",
    pattern: ({ catalog }) =>
      allOf(
        is("eventSource", "iam.amazonaws.com"),
        anyOf(
          allOf(
            eventIn(actionNames(catalog, "iam", ["CreateServiceSpecificCredential"])),
            anyOf(is("requestParameters.serviceName", CLAUDE_CREDENTIAL_SERVICE_NAME), is("errorCode", "*")),
          ),
          allOf(is("requestParameters.userName", "AeaApiKey-*"), eventIn(["Create*", "Reset*", "Update*", "Attach*", "Put*", "Add*", "Enable*"])),
        ),
      ),
  },
  {
    id: "long-term-key-use",
    title: "Claude Platform call made with a long-term API key",
    catches:
      "Any Claude Platform request authorized with a LONG_TERM bearer token, allowed or denied. Because no AWS page names the CloudTrail field that carries the token type, it also fires on any Claude Platform call made by an IAM user: a long-term key always acts as its IAM user, short-term keys and SigV4 callers are normally role sessions.",
    response:
      "Identify the key's IAM user (userIdentity.userName, usually AeaApiKey-…) and delete its service-specific credentials and the user. If the call was allowed, the denyLongTermBearerTokens control is not attached where the caller lives: check its attachment. For an IAM user calling with access keys, move the workload to a role.",
    thirdPartyFields:
      "Third-party or unconfirmed: the eventSource aws-external-anthropic.amazonaws.com (matched as aws-external-anthropic*, and the filter also accepts eventName CallWithBearerToken or a data event on an AWS::AWSExternalAnthropic::Workspace resource); the token-type field, guessed as additionalEventData.bearerTokenType or requestParameters.bearerTokenType (mirroring the condition key aws-external-anthropic:BearerTokenType, whose LONG_TERM value is itself third-party). The userIdentity.type = IAMUser branch catches the event whatever the field is called.",
    scope: "trail",
    pattern: () =>
      allOf(
        anyOf(is("eventSource", CLAUDE_EVENT_SOURCE), is("eventName", "CallWithBearerToken"), is("resources[0].type", WORKSPACE_DATA_RESOURCE_TYPE)),
        anyOf(is("additionalEventData.bearerTokenType", "LONG_TERM"), is("requestParameters.bearerTokenType", "LONG_TERM"), is("userIdentity.type", "IAMUser")),
      ),
  },
  {
    id: "console-federation",
    title: "Claude Console opened (AssumeConsole)",
    catches:
      "Every AssumeConsole call, allowed or denied: a Claude Console session of up to 12 hours whatever the caller's own session length, whose actions CloudTrail does not record.",
    response:
      "Confirm the caller (userIdentity.arn) is expected to use the console and with which capability (requestParameters, or the limitConsoleFederation allow-list). If not, revoke the caller's session (role: revoke active sessions) and review the Claude Console's own audit log for what was done.",
    thirdPartyFields:
      "Matched on eventName alone, because the eventSource value is third-party. Whether AssumeConsole is logged as a management event is not stated by AWS; the trail logs all management events.",
    scope: "trail",
    pattern: ({ catalog }) => is("eventName", actionNames(catalog, CLAUDE_SERVICE, ["AssumeConsole"])[0]),
  },
  {
    id: "protected-workspace-access-denied",
    title: "Access denied on a protected workspace",
    catches:
      "Any Claude Platform request on the protected workspace refused with AccessDenied* or *UnauthorizedOperation: someone outside its allow-list (an administrator, a stolen credential, a long-term key) tried to use it.",
    response:
      "Identify the caller (userIdentity.arn, sourceIPAddress) and the action (eventName). Expected callers are on the workspace's allow-list; anyone else is either a misconfigured workload or an intrusion: contain the principal (revoke sessions, rotate keys) and check for other activity by it.",
    thirdPartyFields:
      "Relies on the denied data event listing the workspace ARN in resources[] (standard for CloudTrail data events; not shown for this service by AWS). The workspace ARN format is AWS's (IAM reference).",
    scope: "protected-workspace",
    pattern: ({ names }, workspace) =>
      allOf(anyOf(is("errorCode", "AccessDenied*"), is("errorCode", "*UnauthorizedOperation")), workspaceResource(names, workspace!)),
  },
  {
    id: "protected-workspace-changes",
    title: "Skills, environments or agents changed in a protected workspace",
    catches:
      "Creating, updating, archiving or deleting a skill, environment or agent in the protected workspace, allowed or denied: the edits that can plant malicious instructions or dependencies in production agents.",
    response:
      "Confirm the change was a planned release by an allowed principal (userIdentity.arn). If not, restore the previous skill version or environment definition, contain the principal, and review sessions run since the change.",
    thirdPartyFields:
      "Event names are assumed equal to the IAM action names (as the seed articles show for this service). Relies on the data event listing the workspace ARN in resources[].",
    scope: "protected-workspace",
    pattern: ({ names, catalog }, workspace) =>
      allOf(
        eventIn(
          catalog
            .actionsOf(CLAUDE_SERVICE)
            .map((a) => a.name.slice(CLAUDE_SERVICE.length + 1))
            .filter((n) => /^(Create|Update|Archive|Delete)(Skill|Environment|Agent)$/.test(n))
            .sort(),
        ),
        workspaceResource(names, workspace!),
      ),
  },
  {
    id: "trail-changes",
    title: "CloudTrail trail or event selectors changed",
    catches:
      "Creating, updating, deleting, starting or stopping any trail, changing its event or insight selectors or event configuration, or removing its tags (CIS CloudTrail configuration changes, plus everything tamper protection denies on the governance trail).",
    response:
      "Check that the change came from the deployment pipeline (userIdentity.arn is the deployment role). If not, restore the trail's configuration (re-apply the audit stack) and treat the caller as compromised: blinding the trail is an intruder's first move.",
    scope: "trail",
    cis: "modelled on Security Hub CloudWatch.5 (CloudTrail configuration changes), with the selector changes added",
    pattern: ({ catalog }) =>
      serviceEvents(catalog, "cloudtrail", ["CreateTrail", "StartLogging", ...eventNamesOf(catalog, "cloudtrail", GOVERNANCE_TRAIL_ACTIONS)]),
  },
  {
    id: "log-group-changes",
    title: "The trail's log group changed",
    catches:
      "Every write naming the trail's log group — everything tamper protection denies on it (deleting it or its streams; changing retention, encryption, metric filters, subscription filters, transformers, data protection, ingestion or tags) and any write CloudWatch Logs adds later — except CloudTrail creating its streams; a denied stream creation still counts. Also, in the audit account, account-level log policies and pipeline rules (which reach every group), log resource policies (which let services write to a group) and metric filters on any group (which can publish into the alarms' namespace).",
    response:
      "Check that the change came from the deployment role. If not, re-apply the audit stack (retention, key, metric filters) and find out what the caller changed first; a deleted metric filter silences an alarm.",
    scope: "trail",
    pattern: ({ names, catalog }) =>
      allOf(
        is("eventSource", "logs.amazonaws.com"),
        anyOf(
          allOf(
            // Every write, not a list: a list of the denied calls does not fit the pattern quota, and a write AWS adds later is seen.
            isWrite,
            anyOf(isNot("eventName", actionNames(catalog, "logs", ["CreateLogStream"])[0]), is("errorCode", "*")),
            anyOf(
              is("requestParameters.logGroupName", names.logGroupName),
              is("requestParameters.logGroupIdentifier", names.logGroupName),
              is("requestParameters.logGroupIdentifier", `*:log-group:${names.logGroupName}`),
              // The newer tagging APIs name the group by ARN, with or without a trailing `:*`.
              is("requestParameters.resourceArn", `*:log-group:${names.logGroupName}`),
              is("requestParameters.resourceArn", `*:log-group:${names.logGroupName}:*`),
            ),
          ),
          allOf(eventIn(eventNamesOf(catalog, "logs", AUDIT_ACCOUNT_LOG_ACTIONS)), is("recipientAccountId", names.account)),
        ),
      ),
  },
  {
    id: "alarm-silencing",
    title: "The governance alarms or their topic muted, silenced or changed",
    catches:
      "Any alarm mute rule created or changed in the audit account; any write naming a governance alarm (deleting it, disabling its actions, redefining it, forcing its state) or the alarm topic (attributes, subscriptions, permissions, data protection) — allowed or denied. Tamper protection denies each to everyone but the deployment role, so an event from anyone else is an attempt to blind the alarms.",
    response:
      "Check that the change came from the deployment role. If not, delete any mute rule (cloudwatch delete-alarm-mute-rule), re-apply the audit stack, and treat the caller as compromised. A mute rule that succeeded may also have muted this alarm: read the log group directly for what happened while it was active.",
    thirdPartyFields:
      "None for the alarms and topic (CloudWatch logs as monitoring.amazonaws.com; alarmName / alarmNames and topicArn / subscriptionArn are the APIs' documented parameters). A mute rule's targets are not matched (the event field is not documented), so every mute rule in the audit account counts.",
    scope: "trail",
    // Every write naming a governance alarm or the topic, not a list of calls: it fits the pattern quota, and a call AWS adds later is seen.
    pattern: ({ names, catalog }) =>
      anyOf(
        allOf(
          is("eventSource", "monitoring.amazonaws.com"),
          is("recipientAccountId", names.account),
          anyOf(
            eventIn(actionNames(catalog, "cloudwatch", ["PutAlarmMuteRule"])),
            allOf(
              isWrite,
              anyOf(is("requestParameters.alarmName", `${names.alarmNamePrefix}*`), is("requestParameters.alarmNames[0]", `${names.alarmNamePrefix}*`)),
            ),
          ),
        ),
        allOf(
          is("eventSource", "sns.amazonaws.com"),
          isWrite,
          anyOf(is("requestParameters.topicArn", `*:${names.topicName}`), is("requestParameters.subscriptionArn", `*:${names.topicName}:*`)),
        ),
      ),
  },
  {
    id: "scp-changes",
    title: "Organization policies or their attachments changed",
    catches:
      "Creating, updating, deleting, attaching or detaching an organization policy (SCPs among them), or enabling or disabling a policy type (CIS AWS Organizations changes).",
    response:
      "Check that the change came from the deployment pipeline in the management account. If not, re-apply the organization stack and review what the caller did while a control was detached.",
    scope: "trail",
    cis: "modelled on CIS AWS Foundations 4.15 (AWS Organizations changes), policy changes only",
    pattern: ({ catalog }) =>
      serviceEvents(catalog, "organizations", [
        "CreatePolicy",
        "UpdatePolicy",
        "DeletePolicy",
        "AttachPolicy",
        "DetachPolicy",
        "EnablePolicyType",
        "DisablePolicyType",
      ]),
  },
  {
    id: "trail-key-changes",
    title: "A KMS key in the audit account disabled, exposed or scheduled for deletion",
    catches:
      "In the audit account, disabling a KMS key, turning off its rotation, changing its key policy or scheduling its deletion (CIS: customer-managed keys disabled or scheduled for deletion).",
    response:
      "Check that the change came from the deployment role. A disabled or deleted trail key stops log delivery and makes the archive unreadable: cancel a scheduled deletion (kms cancel-key-deletion), re-enable the key and re-apply the audit stack; a changed key policy may have let someone decrypt the logs.",
    scope: "trail",
    cis: "modelled on Security Hub CloudWatch.7 (CMKs disabled or scheduled for deletion), scoped to the audit account",
    pattern: ({ names, catalog }) =>
      serviceEvents(catalog, "kms", ["DisableKey", "DisableKeyRotation", "PutKeyPolicy", "ScheduleKeyDeletion"], is("recipientAccountId", names.account)),
  },
  {
    id: "log-bucket-changes",
    title: "The log bucket or the access-log bucket weakened",
    catches:
      "Changing the policy, ACL, encryption, versioning, logging, lifecycle, public access block or ownership controls of the log bucket or the access-log bucket, or deleting either (CIS: S3 bucket policy changes, scoped to these buckets).",
    response:
      "Check that the change came from the deployment role. If not, re-apply the audit stack, and look for reads or deletions of log files by the caller: a loosened bucket policy or public access block can expose the organization's activity.",
    thirdPartyFields:
      "None: the S3 event names (PutBucketEncryption, PutBucketLifecycle, …), which differ from the IAM action names, are AWS's documented CloudTrail event names for S3.",
    scope: "trail",
    cis: "modelled on Security Hub CloudWatch.8 (S3 bucket policy changes), scoped to the two buckets",
    pattern: ({ names }) =>
      allOf(
        is("eventSource", "s3.amazonaws.com"),
        anyOf(is("requestParameters.bucketName", names.bucket), is("requestParameters.bucketName", names.accessLogBucket)),
        eventIn([
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
          "PutBucketPublicAccessBlock",
          "DeleteBucketPublicAccessBlock",
          "PutBucketOwnershipControls",
        ]),
      ),
  },
];

/** The plain description of every alarm, for docs. */
export const ALARMS: readonly AlarmSpec[] = BUILDERS.map(({ pattern: _pattern, ...spec }) => spec);

/** The alarms for one config: one per trail-scoped spec, one per protected workspace for the others. */
export function buildAlarms(config: BaselineConfig, names: AuditNames, catalog: Catalog): AlarmDefinition[] {
  const context: PatternContext = { names, catalog };
  const protectedWorkspaces = config.workspaces.filter((w) => w.protection);
  const alarms: AlarmDefinition[] = [];
  for (const { pattern: build, ...spec } of BUILDERS) {
    const instances = spec.scope === "trail" ? [undefined] : protectedWorkspaces;
    for (const workspace of instances) {
      const suffix = workspace ? `${spec.id}-${workspaceSidSuffix(workspace.id)}` : spec.id;
      const name = `${names.alarmNamePrefix}${suffix}`;
      alarms.push({
        ...spec,
        name,
        metricName: suffix,
        pattern: pattern(build(context, workspace)),
        ...(workspace ? { workspace: workspace.id } : {}),
      });
    }
  }
  const patternLength = QUOTAS.metricFilterPatternLength.value;
  const filtersPerLogGroup = QUOTAS.metricFiltersPerLogGroup.value;
  const nameLength = QUOTAS.alarmName.value;
  const workspaceIndex = (id: string) => config.workspaces.findIndex((w) => w.id === id);
  const problems = alarms
    .filter((a) => a.pattern.length > patternLength)
    .map((a) =>
      a.workspace
        ? `workspaces[${workspaceIndex(a.workspace)}].id: the metric filter pattern of alarm ${a.name} is ${a.pattern.length} characters, over CloudWatch Logs' ${patternLength}, because of the length of the workspace id; check the id (AWS's ids are far shorter)`
        : `auditTrail: the metric filter pattern of alarm ${a.name} is ${a.pattern.length} characters, over CloudWatch Logs' ${patternLength}; shorten auditTrail.name, auditTrail.bucketName or auditTrail.logGroup.name, which it names`,
    );
  // The alarm name holds the metric's name (and the metric filter's, whose quota is larger), so one check covers the three.
  for (const a of alarms.filter((x) => x.name.length > nameLength)) {
    const where = a.workspace ? ` (with workspace ${a.workspace}, workspaces[${workspaceIndex(a.workspace)}])` : "";
    problems.push(`auditTrail.name: the alarm name ${a.name}${where} is ${a.name.length} characters, over CloudWatch's ${nameLength}; shorten auditTrail.name`);
  }
  if (alarms.length > filtersPerLogGroup) {
    const perWorkspace = BUILDERS.filter((b) => b.scope !== "trail").length;
    problems.push(
      `workspaces: ${protectedWorkspaces.length} protected workspaces need ${alarms.length} metric filters on ${names.logGroupName} (${perWorkspace} per protected workspace, ${alarms.length - perWorkspace * protectedWorkspaces.length} for the trail), over CloudWatch Logs' ${filtersPerLogGroup} per log group; protect at most ${Math.floor((filtersPerLogGroup - (alarms.length - perWorkspace * protectedWorkspaces.length)) / perWorkspace)} workspaces (remove protection from the others in workspaces[])`,
    );
  }
  if (problems.length > 0) throw new SynthesisError(problems);
  return alarms;
}
