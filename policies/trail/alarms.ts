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
import type { AuditNames, AuditTrailConfig } from "./names";
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
  /**
   * When the alarm fires: on any match within five minutes (the default); when the count leaves
   * its learned anomaly band; or never (a baseline metric, read when another alarm fires).
   */
  readonly alarm?: "any-match" | "unusual-rise" | "metric-only";
  /** Metric dimensions taken from the event (name → selector), for a metric broken down per value. */
  readonly dimensions?: Readonly<Record<string, string>>;
  /** The config list the pattern grows with, and how to shrink it, when the pattern can outgrow its quota. */
  readonly growsWith?: { readonly field: string; readonly fix: string };
}

export interface AlarmDefinition extends AlarmSpec {
  /** The alarm's, metric filter's and metric's name: `<trail>-<id>[-<workspace>]`. */
  readonly name: string;
  readonly metricName: string;
  readonly pattern: string;
  /** The protected workspace, for per-workspace alarms. */
  readonly workspace?: string;
}

/** CloudWatch calls that silence alarms or detections and name several at once, so each counts whatever it names. */
export const SILENCING_CALLS = [
  "cloudwatch:PutAlarmMuteRule",
  "cloudwatch:DisableAlarmActions",
  "cloudwatch:DeleteAlarms",
  "cloudwatch:SetAlarmState",
  "cloudwatch:DeleteInsightRules",
  "cloudwatch:DisableInsightRules",
  "cloudwatch:DeleteAnomalyDetector",
  // Excluded time ranges or a new timezone retrain the band the bearer-token alarm compares with.
  "cloudwatch:PutAnomalyDetector",
];

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

/** The event names of `service:Action` names, checked against the reference data: what an SCP denies, as the alarm that watches it sees it. */
export function eventNamesOf(catalog: Catalog, actions: readonly string[]): string[] {
  return actions.map((a) => catalog.requireAction(a).name.split(":")[1]);
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
  /** The pattern, or undefined when the config does not ask for this alarm. */
  pattern(context: PatternContext, workspace?: { id: string; region: string; account: string }): Term | undefined;
}

interface PatternContext {
  readonly names: AuditNames;
  readonly catalog: Catalog;
  readonly trail: AuditTrailConfig;
}

/** A Claude Platform event, recognised by any of three fields because the eventSource value is third-party. */
const claudeEvent: Term = anyOf(
  is("eventSource", CLAUDE_EVENT_SOURCE),
  is("eventName", "CallWithBearerToken"),
  is("resources[0].type", WORKSPACE_DATA_RESOURCE_TYPE),
);

/**
 * A call authorized with a bearer token (API key), long-term or short-term: the
 * callWithBearerToken flag a public detection set matches, the gate action itself, or a token
 * type recorded in either place the long-term-key-use alarm looks.
 */
const bearerTokenCall: Term = allOf(
  claudeEvent,
  anyOf(
    // Where the public detection sets for this service and for Bedrock's API keys look, as a boolean or a string.
    ...["requestParameters", "additionalEventData"].flatMap((where) => [
      `($.${where}.callWithBearerToken IS TRUE)`,
      is(`${where}.callWithBearerToken`, "true"),
    ]),
    is("eventName", "CallWithBearerToken"),
    is("additionalEventData.bearerTokenType", "*"),
    is("requestParameters.bearerTokenType", "*"),
  ),
);

const BEARER_TOKEN_FIELDS =
  "Third-party: callWithBearerToken (true on API-key calls, in requestParameters per a public detection set for this service, in additionalEventData as Bedrock's API-key calls carry it; matched as a boolean or a string) and the token-type fields; the eventSource value (matched as aws-external-anthropic*, or the event is recognised by eventName CallWithBearerToken or a workspace data event).";

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
        claudeEvent,
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
    id: "bearer-token-use",
    title: "Claude Platform bearer-token (API key) use rose above its usual level",
    catches:
      "Every Claude Platform call authorized with a bearer token (an API key, long-term or short-term), allowed or denied, counted across the organization. The alarm fires when five minutes' count leaves the band CloudWatch anomaly detection learns for it (it needs about two weeks of history), so steady use stays quiet and a sudden rise stands out.",
    response:
      "Read the per-account baseline (metric bearer-token-use-by-account, dimension Account) for the account that rose, then its callers (userIdentity.arn, sourceIPAddress, userAgent) in the log group. Keys that leaked are used at volume from new addresses: revoke the caller's short-term keys (they last at most the issuing session) or delete the long-term key, and check the model-call-spike and multi-region-principal alarms for the same principal.",
    thirdPartyFields: BEARER_TOKEN_FIELDS,
    scope: "trail",
    alarm: "unusual-rise",
    pattern: () => bearerTokenCall,
  },
  {
    id: "bearer-token-use-by-account",
    title: "Claude Platform bearer-token use per account (baseline metric)",
    catches:
      "The same calls as bearer-token-use, counted per account (dimension Account = recipientAccountId): the baseline that shows which account a rise comes from. No alarm of its own. CloudWatch Logs turns a filter off if its dimensions take more than 1,000 values within an hour; an organization with more accounts than that calling the service in one hour loses this breakdown, not the organization-wide alarm.",
    response: "Read it when bearer-token-use fires: graph it per account and compare with the weeks before.",
    thirdPartyFields: BEARER_TOKEN_FIELDS,
    scope: "trail",
    alarm: "metric-only",
    dimensions: { Account: "$.recipientAccountId" },
    pattern: () => bearerTokenCall,
  },
  {
    id: "unexpected-user-agent",
    title: "Claude Platform called from an unexpected user agent",
    catches:
      "A Claude Platform workspace data event (a model call, a file, a session, …) whose userAgent matches none of auditTrail.detections.expectedUserAgents: a stolen credential used from an attacker's tooling (curl, a scripting library, another SDK), or a team using an SDK nobody approved. Only when the config lists the expected agents.",
    response:
      "Read the event's userAgent, userIdentity.arn and sourceIPAddress. If the caller is a known workload with a new SDK, add the agent to expectedUserAgents; otherwise treat the credential as stolen: revoke its sessions or delete its key, and look for other calls from the same address.",
    thirdPartyFields:
      "The event is recognised as Claude Platform's by its eventSource (third-party), eventName CallWithBearerToken or a workspace resource; userAgent is a standard CloudTrail field, filled by the caller.",
    scope: "trail",
    growsWith: { field: "auditTrail.detections.expectedUserAgents", fix: "list fewer agents, or shorter ones with a trailing *" },
    pattern: ({ trail }) => {
      const expected = trail.detections.expectedUserAgents;
      // A record without the field is as unexpected as an unknown agent (`!=` is false on a missing field).
      return expected
        ? allOf(is("eventCategory", "Data"), claudeEvent, anyOf("($.userAgent NOT EXISTS)", allOf(...expected.map((agent) => isNot("userAgent", agent)))))
        : undefined;
    },
  },
  {
    id: "organization-changes",
    title: "Organization accounts, OUs or trusted services changed",
    catches:
      "Creating, inviting, moving, removing or closing an account, a member leaving, creating, renaming or deleting an OU, enabling all features, deleting the organization, and changing trusted service access or delegated administrators — allowed or denied. They are made in the management account, where no SCP applies, so this alarm is the control that remains; an account moved out of an OU leaves that OU's controls. Policy and policy-type changes are the scp-changes alarm.",
    response:
      "Check that the change was planned (a ticket, the account vending pipeline) and made by the expected principal in the management account. An account moved or removed unexpectedly has left its controls: move it back, re-apply the organization stack, and review what was done in it meanwhile. A delegated administrator registered for CloudTrail, Organizations or IAM Identity Center hands governance to another account.",
    scope: "trail",
    cis: "modelled on CIS AWS Foundations 4.15 (AWS Organizations changes), account and OU lifecycle",
    pattern: ({ catalog }) =>
      serviceEvents(catalog, "organizations", [
        "CreateAccount",
        "CreateGovCloudAccount",
        "InviteAccountToOrganization",
        "MoveAccount",
        "RemoveAccountFromOrganization",
        "LeaveOrganization",
        "CloseAccount",
        "CreateOrganizationalUnit",
        "UpdateOrganizationalUnit",
        "DeleteOrganizationalUnit",
        "EnableAllFeatures",
        "DeleteOrganization",
        "EnableAWSServiceAccess",
        "DisableAWSServiceAccess",
        "RegisterDelegatedAdministrator",
        "DeregisterDelegatedAdministrator",
      ]),
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
    pattern: ({ catalog }) => serviceEvents(catalog, "cloudtrail", ["CreateTrail", "StartLogging", ...eventNamesOf(catalog, GOVERNANCE_TRAIL_ACTIONS)]),
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
          allOf(eventIn(eventNamesOf(catalog, AUDIT_ACCOUNT_LOG_ACTIONS)), is("recipientAccountId", names.account)),
        ),
      ),
  },
  {
    id: "alarm-silencing",
    title: "The governance alarms or detections muted, disabled or changed",
    catches:
      "In the audit account: any alarm mute rule; disabling any alarm's actions, deleting or forcing the state of any alarm, deleting or disabling any Contributor Insights rule or anomaly detector (those calls list several names, and a filter reads one element, so every such call in the audit account counts); any other write naming a governance alarm or Contributor Insights rule by name (redefining it or its actions; tag changes name it by ARN and are not matched: nothing authorizes by these tags). Allowed or denied. Tamper protection denies each on the governance alarms and rules to everyone but the deployment role, so an event from anyone else is an attempt to blind them.",
    response:
      "Check that the change came from the deployment role. If not, delete any mute rule (cloudwatch delete-alarm-mute-rule), re-enable what was disabled, re-apply the audit stack, and treat the caller as compromised. A mute rule that succeeded may also have muted this alarm: read the log group directly for what happened while it was active.",
    thirdPartyFields:
      "None (CloudWatch logs as monitoring.amazonaws.com; alarmName and ruleName are the APIs' documented parameters). A mute rule's targets are not matched (the event field is not documented), so every mute rule in the audit account counts.",
    scope: "trail",
    // Every write naming a governance resource, not a list of calls: it fits the pattern quota, and a call AWS adds later is seen.
    pattern: ({ names, catalog }) => {
      const governance = `${names.alarmNamePrefix}*`;
      return allOf(
        is("eventSource", "monitoring.amazonaws.com"),
        is("recipientAccountId", names.account),
        anyOf(
          eventIn(eventNamesOf(catalog, SILENCING_CALLS)),
          allOf(isWrite, anyOf(is("requestParameters.alarmName", governance), is("requestParameters.ruleName", governance))),
        ),
      );
    },
  },
  {
    id: "alarm-delivery-changes",
    title: "The alarm topic or the governance EventBridge rules changed",
    catches:
      "Any write naming the alarm topic (attributes, subscriptions, permissions, data protection, tags, deletion) from any account, and, in the audit account, any write naming a governance EventBridge rule (deleting or disabling it, changing its pattern or targets) and any change to an event bus's settings (a key of the caller's would encrypt every rule) — allowed or denied. Either silences every alarm at once. Tamper protection denies them to everyone but the deployment role.",
    response:
      "Check that the change came from the deployment role. If not, re-apply the audit stack (topic policy, subscriptions, rules and targets), confirm the email subscriptions again, and treat the caller as compromised; read the log group for what happened while alarms went nowhere.",
    thirdPartyFields: "None (SNS's topicArn and subscriptionArn, EventBridge's name and rule are the APIs' documented parameters).",
    scope: "trail",
    pattern: ({ names, catalog }) =>
      anyOf(
        allOf(
          is("eventSource", "sns.amazonaws.com"),
          isWrite,
          anyOf(
            is("requestParameters.topicArn", `*:${names.topicName}`),
            is("requestParameters.subscriptionArn", `*:${names.topicName}:*`),
            // Data protection and tags name the topic by resourceArn.
            is("requestParameters.resourceArn", `*:${names.topicName}`),
          ),
        ),
        allOf(
          is("eventSource", "events.amazonaws.com"),
          is("recipientAccountId", names.account),
          isWrite,
          anyOf(
            is("requestParameters.name", `${names.alarmNamePrefix}*`),
            is("requestParameters.rule", `${names.alarmNamePrefix}*`),
            // A key of the caller's on the default bus would encrypt every rule there.
            eventIn(actionNames(catalog, "events", ["UpdateEventBus"])),
          ),
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
    title: "A KMS key disabled or scheduled for deletion, or an audit-account key exposed",
    catches:
      "Disabling a KMS key or scheduling its deletion in any account the trail sees (the trail and alarm keys, and the customer-managed keys that encrypt Claude Platform workspaces), and, in the audit account, turning off a key's rotation or changing its key policy (CIS: customer-managed keys disabled or scheduled for deletion).",
    response:
      "Check that the change came from the deployment role. A disabled or deleted trail key stops log delivery and makes the archive unreadable; a workspace key disabled makes its workspace unusable: cancel a scheduled deletion (kms cancel-key-deletion), re-enable the key and re-apply the stack that owns it; a changed key policy may have let someone decrypt the logs.",
    scope: "trail",
    cis: "modelled on Security Hub CloudWatch.7 (CMKs disabled or scheduled for deletion), with policy and rotation changes in the audit account added",
    pattern: ({ names, catalog }) =>
      allOf(
        is("eventSource", "kms.amazonaws.com"),
        anyOf(
          eventIn(actionNames(catalog, "kms", ["DisableKey", "ScheduleKeyDeletion"])),
          allOf(is("recipientAccountId", names.account), eventIn(actionNames(catalog, "kms", ["DisableKeyRotation", "PutKeyPolicy"]))),
        ),
      ),
  },
  {
    id: "log-bucket-changes",
    title: "The log bucket or the access-log bucket weakened",
    catches:
      "Every write naming the log bucket or the access-log bucket — its policy, ACL, CORS, encryption, versioning, logging, lifecycle, replication, Object Lock, public access block, ownership controls, tags, or deleting it, and any bucket setting S3 adds later — from any account, allowed or denied (CIS: S3 bucket policy changes, scoped to these buckets). The trail records no S3 object writes, so CloudTrail's own deliveries never match.",
    response:
      "Check that the change came from the deployment role. If not, re-apply the audit stack, and look for reads or deletions of log files by the caller: a loosened bucket policy or public access block can expose the organization's activity, and a changed replication or lifecycle rule can stop the copy or shorten the archive.",
    thirdPartyFields: "None: eventSource, readOnly and requestParameters.bucketName are AWS's documented CloudTrail fields for S3 management events.",
    scope: "trail",
    cis: "modelled on Security Hub CloudWatch.8 (S3 bucket policy changes), scoped to the two buckets, every write",
    // Every write, not a list of calls: a setting S3 adds later is seen, and the pattern stays short.
    pattern: ({ names }) =>
      allOf(
        is("eventSource", "s3.amazonaws.com"),
        isWrite,
        anyOf(is("requestParameters.bucketName", names.bucket), is("requestParameters.bucketName", names.accessLogBucket)),
      ),
  },
];

/** The plain description of every alarm, for docs. */
export const ALARMS: readonly AlarmSpec[] = BUILDERS.map(({ pattern: _pattern, ...spec }) => spec);

/** The alarms for one config: one per trail-scoped spec, one per protected workspace for the others. */
export function buildAlarms(config: BaselineConfig, names: AuditNames, catalog: Catalog): AlarmDefinition[] {
  const context: PatternContext = { names, catalog, trail: config.auditTrail! };
  const protectedWorkspaces = config.workspaces.filter((w) => w.protection);
  const alarms: AlarmDefinition[] = [];
  for (const { pattern: build, ...spec } of BUILDERS) {
    const instances = spec.scope === "trail" ? [undefined] : protectedWorkspaces;
    for (const workspace of instances) {
      const term = build(context, workspace);
      if (term === undefined) continue;
      const suffix = workspace ? `${spec.id}-${workspaceSidSuffix(workspace.id)}` : spec.id;
      const name = `${names.alarmNamePrefix}${suffix}`;
      alarms.push({
        ...spec,
        name,
        metricName: suffix,
        pattern: pattern(term),
        ...(workspace ? { workspace: workspace.id } : {}),
      });
    }
  }
  const patternLength = QUOTAS.metricFilterPatternLength.value;
  const nameLength = QUOTAS.alarmName.value;
  const workspaceIndex = (id: string) => config.workspaces.findIndex((w) => w.id === id);
  const problems = alarms
    .filter((a) => a.pattern.length > patternLength)
    .map((a) =>
      a.growsWith
        ? `${a.growsWith.field}: the metric filter pattern of alarm ${a.name} is ${a.pattern.length} characters, over CloudWatch Logs' ${patternLength}; ${a.growsWith.fix}`
        : a.workspace
          ? `workspaces[${workspaceIndex(a.workspace)}].id: the metric filter pattern of alarm ${a.name} is ${a.pattern.length} characters, over CloudWatch Logs' ${patternLength}, because of the length of the workspace id; check the id (AWS's ids are far shorter)`
          : `auditTrail: the metric filter pattern of alarm ${a.name} is ${a.pattern.length} characters, over CloudWatch Logs' ${patternLength}; shorten auditTrail.name, auditTrail.bucketName or auditTrail.logGroup.name, which it names`,
    );
  // The alarm name holds the metric's name (and the metric filter's, whose quota is larger), so one check covers the three.
  for (const a of alarms.filter((x) => x.name.length > nameLength)) {
    const where = a.workspace ? ` (with workspace ${a.workspace}, workspaces[${workspaceIndex(a.workspace)}])` : "";
    problems.push(`auditTrail.name: the alarm name ${a.name}${where} is ${a.name.length} characters, over CloudWatch's ${nameLength}; shorten auditTrail.name`);
  }
  if (problems.length > 0) throw new SynthesisError(problems);
  return alarms;
}
