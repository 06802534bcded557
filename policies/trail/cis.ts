/**
 * The CIS AWS Foundations alarms Security Hub's CloudWatch.1-14 controls count, created when the
 * config sets auditTrail.cisAlarms. Each carries the exact filter pattern Security Hub's page gives
 * for the control (Security Hub passes a control only on that string: "This control fails if the
 * exact metric filters prescribed by CIS are not used. Additional fields or terms cannot be added to
 * the metric filters."), beside the baseline's own tighter alarms.
 *
 * The patterns are data copied from AWS's page, not built: `CIS_TABLE` below is the one place they
 * live. Source: https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html
 * ("Security Hub CSPM controls for Amazon CloudWatch"), retrieved 2026-11-23. The current page
 * renders each pattern in a table cell; the strings were read from its Markdown source, where a
 * table rendering splits each `||` into two cells (so `) || (` is restored as written elsewhere on
 * the page), and cross-checked against the page's last version in the archived GitHub source
 * awsdocs/aws-security-hub-user-guide (doc_source/cloudwatch-controls.md, commit bda5bf7,
 * 2023-03-10), which carries the same strings except where noted under "variant".
 *
 * Variants (CIS v1.2.0 against v1.4.0, and Security Hub against CIS), decided per control:
 * - One string per control, never one filter per variant. Each variant matches the events the
 *   other matches (they differ by whitespace or by one narrowing term), so two filters would raise
 *   two alarms, two emails, for every such event; and Security Hub evaluates the control per
 *   account, not per filter, so a second filter cannot make a failing first one pass.
 * - Where AWS's page gives a string, that string is used, because it is what the evaluator is
 *   documented to accept ("To pass this control, follow these steps"). For CloudWatch.1 and 5-12
 *   and 14 it is the CIS v1.4.0 string, which the page also gives for the v1.2.0 requirement
 *   (v1.2.0's PDF writes some with other spacing, e.g. `{ $.userIdentity.type = "Root" && … }`).
 * - CloudWatch.3 (CIS v1.2.0/3.2 only): the page gives the longer string CIS v1.4.0/4.2 offers to
 *   cut federated-login false positives (IAMUser, Success); until 2022 the page gave the v1.2.0
 *   string `{($.eventName="ConsoleLogin") && ($.additionalEventData.MFAUsed !="Yes")}`. The longer
 *   string is used: it is the documented one, and the short one would also fire on every SSO
 *   federated sign-in (MFA happens at the identity provider, CloudTrail records MFAUsed "No").
 * - CloudWatch.4 and CloudWatch.13: the page says "Our recommended filter pattern in these
 *   remediation steps differs from the filter pattern in the CIS guidance. Our recommended filters
 *   target only events coming from IAM API calls" (EC2 for .13), and for these two no longer says
 *   the control fails unless the exact CIS string is used. The page's string (the CIS list inside
 *   `($.eventSource=iam.amazonaws.com) && (…)`) is used; the CIS v1.2.0/v1.4.0 string (`cisText`)
 *   also matches Organizations' and IoT's CreatePolicy/DeletePolicy and would alarm on the SCP
 *   changes the baseline's own scp-changes alarm already reports.
 *
 * Event names checked against the IAM reference data: every `$.eventName=X` of a pattern whose
 * service names its CloudTrail events after its IAM actions (IAM, CloudTrail, KMS, AWS Config, EC2)
 * must be the action `service:X` exactly, case included, so a typo fails synthesis. Not checked,
 * because they are not IAM action names: ConsoleLogin (a sign-in event, no IAM action), and S3's
 * PutBucketCors/DeleteBucketCors (IAM: s3:PutBucketCORS), PutBucketLifecycle/DeleteBucketLifecycle
 * (IAM: s3:PutLifecycleConfiguration), PutBucketReplication/DeleteBucketReplication (IAM:
 * s3:PutReplicationConfiguration). planAudit loads the services the CIS patterns name (CIS_SERVICES)
 * only when the config asks for the CIS alarms, so the default path pays nothing for them.
 */
import type { Catalog } from "../catalog";
import { SynthesisError } from "../errors";
import type { AlarmDefinition, AlarmSpec } from "./alarms";
import type { AuditNames } from "./names";

export const CIS_SOURCE = "https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html";
export const CIS_RETRIEVED = "2026-11-23";

export interface CisEntry {
  /** Stable: the alarm's, metric filter's and metric's name is `<alarmNamePrefix><id>`, and the resource address holds it. */
  readonly id: string;
  /** The Security Hub control. */
  readonly control: `CloudWatch.${number}`;
  /** The CIS AWS Foundations Benchmark requirements the control maps to, as the page lists them. */
  readonly requirements: string;
  readonly title: string;
  readonly catches: string;
  readonly response: string;
  /** Exactly the page's filter pattern. */
  readonly pattern: string;
  /** Which string this is, where CIS or an earlier page differs, and why it is the one used. */
  readonly variant: string;
  /** The CIS benchmark's own string, where AWS's page gives a different one (not synthesized). */
  readonly cisText?: string;
  /** The IAM service whose action names the pattern's event names are, when they are (checked). */
  readonly actionService?: string;
  /** Event names in the pattern that are not IAM action names of `actionService`, and why (not checked). */
  readonly notActions?: { readonly names: readonly string[]; readonly why: string };
  /** The page's own anchor for the control. */
  readonly source: string;
}

const source = (n: number) => `${CIS_SOURCE}#cloudwatch-${n}`;
const PAGE = "the string on Security Hub's page; CIS v1.2.0 and v1.4.0 name the same events";

export const CIS_TABLE: readonly CisEntry[] = [
  {
    id: "cis-cloudwatch-1-root-usage",
    control: "CloudWatch.1",
    requirements: "CIS v1.2.0/1.1, v1.2.0/3.3, v1.4.0/1.7, v1.4.0/4.3",
    title: "CIS: root user used",
    catches:
      "Any call made with the root user's credentials, except calls an AWS service makes on root's behalf (userIdentity.invokedBy set) and AWS service events.",
    response:
      "Find out who holds the root credentials of the account (recipientAccountId) and why they were used. If not planned (a root-only task), rotate the root password, check its MFA device, delete any root access key, and review everything the root session did.",
    // https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-1
    pattern: '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}',
    variant: "the page's string, given for both v1.2.0 and v1.4.0 since 2020 (v1.2.0's PDF spaces it differently; same meaning)",
    source: source(1),
  },
  {
    id: "cis-cloudwatch-2-unauthorized-api-calls",
    control: "CloudWatch.2",
    requirements: "CIS v1.2.0/3.1",
    title: "CIS: unauthorized API calls",
    catches:
      "Any call refused with an error code ending in UnauthorizedOperation or starting with AccessDenied, in any account and service the trail records. Noisy by design: misconfigured workloads trip it too.",
    response:
      "Group the refusals by caller (userIdentity.arn) and action (eventName). A burst from one principal across many actions is reconnaissance with stolen credentials: contain the principal. A steady trickle from one workload is a permission bug: fix its policy.",
    // https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-2
    pattern: '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}',
    variant: "the page's string (CIS v1.2.0 only; v1.4.0 dropped the requirement from Security Hub's standard)",
    source: source(2),
  },
  {
    id: "cis-cloudwatch-3-console-signin-without-mfa",
    control: "CloudWatch.3",
    requirements: "CIS v1.2.0/3.2",
    title: "CIS: console sign-in without MFA",
    catches: "A successful AWS Management Console sign-in by an IAM user that did not use MFA.",
    response:
      "Identify the IAM user (userIdentity.userName) and confirm the sign-in was theirs (sourceIPAddress, userAgent). Enforce MFA for the user (or remove its console password: people should sign in through IAM Identity Center), and if the sign-in was not theirs, reset the password and revoke its sessions.",
    // https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-3
    pattern:
      '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
    variant:
      "the page's string since 2022, the CIS v1.4.0/4.2 variant that drops federated and failed sign-ins; the v1.2.0 string also fires on every SSO sign-in",
    cisText: '{($.eventName="ConsoleLogin") && ($.additionalEventData.MFAUsed !="Yes")}',
    notActions: { names: ["ConsoleLogin"], why: "a sign-in event, not an IAM action" },
    source: source(3),
  },
  {
    id: "cis-cloudwatch-4-iam-policy-changes",
    control: "CloudWatch.4",
    requirements: "CIS v1.2.0/3.4, v1.4.0/4.4",
    title: "CIS: IAM policy changed",
    catches:
      "Creating, versioning or deleting an IAM managed policy; putting or deleting an inline policy of a user, group or role; attaching or detaching a managed policy — in IAM only.",
    response:
      "Check that the change came from a deployment pipeline or an identity administrator (userIdentity.arn). If not, revert it (delete the policy version or inline policy, detach the policy) and review what the affected principals did since.",
    // https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-4
    pattern:
      "{($.eventSource=iam.amazonaws.com) && (($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || ($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || ($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy))}",
    variant:
      "the page's recommended string, scoped to eventSource iam.amazonaws.com (the page: it differs from CIS's and passes); CIS's unscoped string also matches Organizations' and IoT's CreatePolicy/DeletePolicy",
    cisText:
      "{($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || ($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || ($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy)}",
    actionService: "iam",
    source: source(4),
  },
  {
    id: "cis-cloudwatch-5-cloudtrail-changes",
    control: "CloudWatch.5",
    requirements: "CIS v1.2.0/3.5, v1.4.0/4.5",
    title: "CIS: CloudTrail configuration changed",
    catches: "Creating, updating or deleting any trail, or starting or stopping its logging (any trail, in any service whose event has these names).",
    response:
      "Check that the change came from the deployment pipeline. If not, restore the trail (re-apply the audit stack) and treat the caller as compromised; the baseline's trail-changes alarm names the selector changes too.",
    // https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-5
    pattern: "{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || ($.eventName=StartLogging) || ($.eventName=StopLogging)}",
    variant: PAGE,
    actionService: "cloudtrail",
    source: source(5),
  },
  {
    id: "cis-cloudwatch-6-console-auth-failures",
    control: "CloudWatch.6",
    requirements: "CIS v1.2.0/3.6, v1.4.0/4.6",
    title: "CIS: console authentication failed",
    catches: "A failed AWS Management Console sign-in (wrong password), by an IAM user or the root user.",
    response:
      "Look at the source IP addresses and user names (userIdentity, additionalEventData). Repeated failures for one user or from one address are a brute-force attempt: block the address where you can and make sure the user has MFA.",
    // https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-6
    pattern: '{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}',
    variant: PAGE,
    notActions: { names: ["ConsoleLogin"], why: "a sign-in event, not an IAM action" },
    source: source(6),
  },
  {
    id: "cis-cloudwatch-7-cmk-disable-or-deletion",
    control: "CloudWatch.7",
    requirements: "CIS v1.2.0/3.7, v1.4.0/4.7",
    title: "CIS: KMS key disabled or scheduled for deletion",
    catches:
      "Disabling any KMS key or scheduling its deletion, in any account the trail records (the control also fails if the trail excludes kms.amazonaws.com management events; this trail does not).",
    response:
      "Find the key (requestParameters.keyId) and who acted. If not planned, cancel the deletion (kms cancel-key-deletion) and re-enable the key before its waiting period ends; data encrypted under a deleted key is lost.",
    // https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-7
    pattern: "{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}",
    variant: PAGE,
    actionService: "kms",
    source: source(7),
  },
  {
    id: "cis-cloudwatch-8-s3-bucket-policy-changes",
    control: "CloudWatch.8",
    requirements: "CIS v1.2.0/3.8, v1.4.0/4.8",
    title: "CIS: S3 bucket policy, ACL, CORS, lifecycle or replication changed",
    catches: "Changing or deleting the policy, ACL, CORS, lifecycle or replication configuration of any S3 bucket in any account the trail records.",
    response:
      "Check the bucket (requestParameters.bucketName) and the change. A policy or ACL that grants access outside the organization, or a replication rule to an unknown account, exposes data: revert it and review reads since.",
    // https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-8
    pattern:
      "{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) || ($.eventName=PutBucketPolicy) || ($.eventName=PutBucketCors) || ($.eventName=PutBucketLifecycle) || ($.eventName=PutBucketReplication) || ($.eventName=DeleteBucketPolicy) || ($.eventName=DeleteBucketCors) || ($.eventName=DeleteBucketLifecycle) || ($.eventName=DeleteBucketReplication))}",
    variant: PAGE,
    actionService: "s3",
    notActions: {
      names: ["PutBucketCors", "DeleteBucketCors", "PutBucketLifecycle", "DeleteBucketLifecycle", "PutBucketReplication", "DeleteBucketReplication"],
      why: "S3's CloudTrail event names, authorized by other IAM actions (s3:PutBucketCORS, s3:PutLifecycleConfiguration, s3:PutReplicationConfiguration)",
    },
    source: source(8),
  },
  {
    id: "cis-cloudwatch-9-config-changes",
    control: "CloudWatch.9",
    requirements: "CIS v1.2.0/3.9, v1.4.0/4.9",
    title: "CIS: AWS Config recording changed",
    catches: "Stopping or changing an AWS Config configuration recorder, or changing or deleting its delivery channel.",
    response:
      "Check that the change came from the team that runs AWS Config. If not, restart the recorder (config start-configuration-recorder), restore the delivery channel, and treat the caller as compromised: stopping Config hides later changes.",
    // https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-9
    pattern:
      "{($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder) || ($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || ($.eventName=PutConfigurationRecorder))}",
    variant: PAGE,
    actionService: "config",
    source: source(9),
  },
  {
    id: "cis-cloudwatch-10-security-group-changes",
    control: "CloudWatch.10",
    requirements: "CIS v1.2.0/3.10, v1.4.0/4.10",
    title: "CIS: security group changed",
    catches: "Creating or deleting a security group, or authorizing or revoking an ingress or egress rule.",
    response:
      "Check the group and rule (requestParameters). A rule open to 0.0.0.0/0 or ::/0 on an administration port exposes instances: revoke it and check for connections since.",
    // https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-10
    pattern:
      "{($.eventName=AuthorizeSecurityGroupIngress) || ($.eventName=AuthorizeSecurityGroupEgress) || ($.eventName=RevokeSecurityGroupIngress) || ($.eventName=RevokeSecurityGroupEgress) || ($.eventName=CreateSecurityGroup) || ($.eventName=DeleteSecurityGroup)}",
    variant: PAGE,
    actionService: "ec2",
    source: source(10),
  },
  {
    id: "cis-cloudwatch-11-nacl-changes",
    control: "CloudWatch.11",
    requirements: "CIS v1.2.0/3.11, v1.4.0/4.11",
    title: "CIS: network ACL changed",
    catches: "Creating, deleting or replacing a network ACL, one of its entries, or a subnet's ACL association.",
    response: "Check the ACL and entry (requestParameters). An allow rule from anywhere to an administration port exposes subnets: revert it.",
    // https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-11
    pattern:
      "{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) || ($.eventName=DeleteNetworkAcl) || ($.eventName=DeleteNetworkAclEntry) || ($.eventName=ReplaceNetworkAclEntry) || ($.eventName=ReplaceNetworkAclAssociation)}",
    variant: PAGE,
    actionService: "ec2",
    source: source(11),
  },
  {
    id: "cis-cloudwatch-12-network-gateway-changes",
    control: "CloudWatch.12",
    requirements: "CIS v1.2.0/3.12, v1.4.0/4.12",
    title: "CIS: network gateway changed",
    catches: "Creating or deleting a customer gateway, or creating, deleting, attaching or detaching an internet gateway.",
    response:
      "Check that the VPC (requestParameters.vpcId) is meant to reach the internet or the on-premises network. An unexpected gateway opens a path around the network's controls: detach it.",
    // https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-12
    pattern:
      "{($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway) || ($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway) || ($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway)}",
    variant: PAGE,
    actionService: "ec2",
    source: source(12),
  },
  {
    id: "cis-cloudwatch-13-route-table-changes",
    control: "CloudWatch.13",
    requirements: "CIS v1.2.0/3.13, v1.4.0/4.13",
    title: "CIS: route table changed",
    catches: "Creating, replacing or deleting a route or route table, or changing a subnet's route table association — in EC2 only.",
    response:
      "Check the route (requestParameters): a new default route to an unexpected gateway, peering connection or instance diverts traffic. Revert it and look for data sent through it.",
    // https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-13
    pattern:
      "{($.eventSource=ec2.amazonaws.com) && (($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) || ($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || ($.eventName=DeleteRoute) || ($.eventName=DisassociateRouteTable))}",
    variant:
      "the page's recommended string, scoped to eventSource ec2.amazonaws.com (the page: it differs from CIS's and passes); CIS's unscoped string also matches other services' CreateRoute/DeleteRoute (API Gateway v2, for one)",
    cisText:
      "{($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) || ($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || ($.eventName=DeleteRoute) || ($.eventName=DisassociateRouteTable)}",
    actionService: "ec2",
    source: source(13),
  },
  {
    id: "cis-cloudwatch-14-vpc-changes",
    control: "CloudWatch.14",
    requirements: "CIS v1.2.0/3.14, v1.4.0/4.14",
    title: "CIS: VPC changed",
    catches:
      "Creating, deleting or modifying a VPC, creating, accepting, rejecting or deleting a VPC peering connection, or changing ClassicLink (retired, but still in the CIS list).",
    response:
      "Check the VPC or peering connection (requestParameters). A peering connection to an account outside the organization is a path for data to leave: reject or delete it.",
    // https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-14
    pattern:
      "{($.eventName=CreateVpc) || ($.eventName=DeleteVpc) || ($.eventName=ModifyVpcAttribute) || ($.eventName=AcceptVpcPeeringConnection) || ($.eventName=CreateVpcPeeringConnection) || ($.eventName=DeleteVpcPeeringConnection) || ($.eventName=RejectVpcPeeringConnection) || ($.eventName=AttachClassicLinkVpc) || ($.eventName=DetachClassicLinkVpc) || ($.eventName=DisableVpcClassicLink) || ($.eventName=EnableVpcClassicLink)}",
    variant: PAGE,
    actionService: "ec2",
    source: source(14),
  },
];

/** The plain description of every CIS alarm, for docs. */
export const CIS_ALARMS = CIS_TABLE.map(({ id, control, requirements, title, catches, response, variant, source: url }) => ({
  id,
  control,
  requirements,
  title,
  catches,
  response,
  variant,
  source: url,
}));

/**
 * Which account sees a pass. Security Hub's page (CIS_SOURCE, the note under each of
 * CloudWatch.1-14) and CloudTrail's "Organization delegated administrator" page
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-delegated-administrator.html).
 */
export const CIS_ORGANIZATION_TRAIL_CAVEAT = [
  "Security Hub evaluates CloudWatch.1-14 in each account and Region against the CloudTrail trails that account uses, and generates findings only for the account that owns the trail and only in the trail's home Region; a multi-Region trail owned by another account, or based in another Region, gives NO_DATA (" +
    CIS_SOURCE +
    ", note under each control).",
  'With auditTrail.organizationTrail, the audit account creates the trail as CloudTrail delegated administrator, but "the management account remains the owner of any CloudTrail organization resources the delegated administrator creates" (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-delegated-administrator.html); its log group, these metric filters, the alarms and the SNS topic are in the audit account.',
  "So: every member account, the audit account included, reports NO_DATA (\"Using an organization trail results in a control status of NO_DATA for controls evaluated in organization member accounts\"; a member that also owns a trail of its own in the Region is judged on that trail instead, FAILED unless it carries the filters). The management account is the only one with findings, in the trail's home Region only (NO_DATA in the others); there the trail is its own, but the filters, alarms and topic are in another account, which AWS does not document the check reading (and the topic gives WARNING unless the management account owns it or may call sns:ListSubscriptionsByTopic on it, which this topic's policy does not grant): expect FAILED there, not PASSED.",
  "What to do: treat the audit account's CIS alarms as the control and record it: with Security Hub central configuration, have the delegated administrator's configuration policy disable CloudWatch.1-14 in the accounts where they cannot pass (every member account, and the management account), with this reason; findings of the management account's trail are visible in the Security Hub delegated administrator through cross-Region aggregation. To have Security Hub itself report PASSED, the trail must be owned by the account that holds the filters: an account trail in the audit account (auditTrail.organizationTrail: false) passes in the audit account's home Region, while member accounts without a trail of their own then report FAILED (\"No trail is configured\").",
].join(" ");

/** Every `$.eventName=X` of a pattern, in order. */
export function eventNamesIn(pattern: string): string[] {
  return [...pattern.matchAll(/\$\.eventName\s*=\s*"?([A-Za-z0-9]+)"?/g)].map((m) => m[1]);
}

/** The services whose event names the CIS patterns check (iam, cloudtrail, kms and s3 are in the baseline catalogue already). */
export const CIS_SERVICES = ["ec2", "config"];

/** The `service:Action` names a CIS pattern's event names must be (the ones not listed as notActions). */
export function cisEventActions(entry: CisEntry): string[] {
  if (!entry.actionService) return [];
  const skip = new Set(entry.notActions?.names ?? []);
  return eventNamesIn(entry.pattern)
    .filter((n) => !skip.has(n))
    .map((n) => `${entry.actionService}:${n}`);
}

/** Problems with the event names of the CIS patterns (the catalogue must hold CIS_SERVICES): an action missing, or named with another case. */
export function cisActionProblems(catalog: Catalog, entries: readonly CisEntry[] = CIS_TABLE): string[] {
  const problems: string[] = [];
  for (const entry of entries) {
    for (const name of cisEventActions(entry)) {
      const found = catalog.action(name);
      if (!found) problems.push(`${entry.control}: ${name} (an event name of its CIS pattern) is not an action in the IAM reference data`);
      else if (found.name !== name) problems.push(`${entry.control}: the CIS pattern's event name ${name} is the IAM action ${found.name} in another case`);
    }
  }
  return problems;
}

/** The CIS alarms: one per Security Hub control, with the page's pattern verbatim. */
export function buildCisAlarms(names: AuditNames, catalog: Catalog): AlarmDefinition[] {
  const problems = cisActionProblems(catalog);
  if (problems.length > 0) throw new SynthesisError(problems);
  return CIS_TABLE.map((entry) => {
    const spec: AlarmSpec = {
      id: entry.id,
      title: entry.title,
      catches: entry.catches,
      response: entry.response,
      scope: "trail",
      cis: `Security Hub ${entry.control} (${entry.requirements}): the exact pattern of ${entry.source}`,
    };
    return { ...spec, name: `${names.alarmNamePrefix}${entry.id}`, metricName: entry.id, pattern: entry.pattern };
  });
}
