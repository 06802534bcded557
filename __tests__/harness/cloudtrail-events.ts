/**
 * Sample CloudTrail event records, shaped as CloudTrail delivers them to CloudWatch Logs (one JSON
 * record per log event; "CloudTrail record contents" in the CloudTrail User Guide), for checking
 * the alarms' metric filter patterns. Claude Platform records follow the general shape of data
 * events (eventCategory Data, a resources[] list); their eventSource is third-party.
 */

export type CloudTrailRecord = Record<string, unknown>;

export const CLAUDE_EVENT_SOURCE = "aws-external-anthropic.amazonaws.com";
export const WORKSPACE_TYPE = "AWS::AWSExternalAnthropic::Workspace";

export interface Identity {
  readonly type: "AssumedRole" | "IAMUser" | "Root";
  readonly account: string;
  readonly name: string;
}

export const role = (account: string, name: string): Identity => ({ type: "AssumedRole", account, name });
export const iamUser = (account: string, name: string): Identity => ({ type: "IAMUser", account, name });

function userIdentity(identity: Identity): Record<string, unknown> {
  if (identity.type === "IAMUser") {
    return {
      type: "IAMUser",
      principalId: "AIDAEXAMPLE",
      arn: `arn:aws:iam::${identity.account}:user/${identity.name}`,
      accountId: identity.account,
      userName: identity.name,
    };
  }
  return {
    type: identity.type,
    principalId: `AROAEXAMPLE:session`,
    arn: `arn:aws:sts::${identity.account}:assumed-role/${identity.name}/session`,
    accountId: identity.account,
    sessionContext: {
      sessionIssuer: { type: "Role", arn: `arn:aws:iam::${identity.account}:role/${identity.name}`, accountId: identity.account, userName: identity.name },
    },
  };
}

export interface EventParts {
  readonly source: string;
  readonly name: string;
  readonly identity: Identity;
  readonly region?: string;
  /** The account the event is recorded for; the identity's by default. */
  readonly recipientAccount?: string;
  readonly requestParameters?: Record<string, unknown> | null;
  readonly errorCode?: string;
  readonly readOnly?: boolean;
  readonly category?: "Management" | "Data";
  readonly resources?: ReadonlyArray<Record<string, unknown>>;
  readonly additionalEventData?: Record<string, unknown>;
  readonly userAgent?: string;
}

export function cloudTrailEvent(parts: EventParts): CloudTrailRecord {
  const data = parts.category === "Data";
  return {
    eventVersion: "1.09",
    userIdentity: userIdentity(parts.identity),
    eventTime: "2026-11-20T10:00:00Z",
    eventSource: parts.source,
    eventName: parts.name,
    awsRegion: parts.region ?? "us-east-1",
    sourceIPAddress: "203.0.113.10",
    userAgent: parts.userAgent ?? "aws-cli/2.22.0",
    ...(parts.errorCode ? { errorCode: parts.errorCode, errorMessage: `User is not authorized to perform ${parts.name}` } : {}),
    requestParameters: parts.requestParameters === undefined ? {} : parts.requestParameters,
    responseElements: null,
    ...(parts.additionalEventData ? { additionalEventData: parts.additionalEventData } : {}),
    requestID: "11111111-2222-3333-4444-555555555555",
    eventID: "66666666-7777-8888-9999-000000000000",
    // CloudTrail marks reads readOnly; a sample that forgets would pass a filter a real read would not.
    readOnly: parts.readOnly ?? /^(Get|List|Describe|Head|Lookup)/.test(parts.name),
    ...(parts.resources ? { resources: parts.resources } : {}),
    eventType: "AwsApiCall",
    managementEvent: !data,
    recipientAccountId: parts.recipientAccount ?? parts.identity.account,
    eventCategory: parts.category ?? "Management",
  };
}

export function workspaceArn(id: string, account: string, region = "us-east-1"): string {
  return `arn:aws:aws-external-anthropic:${region}:${account}:workspace/${id}`;
}

/** A Claude Platform data event on a workspace. */
export function claudeDataEvent(name: string, identity: Identity, workspace: string, extra: Partial<EventParts> = {}): CloudTrailRecord {
  const account = workspace.split(":")[4];
  return cloudTrailEvent({
    source: CLAUDE_EVENT_SOURCE,
    name,
    identity,
    category: "Data",
    readOnly: /^(Get|List|Count)/.test(name),
    resources: [{ accountId: account, type: WORKSPACE_TYPE, ARN: workspace }],
    ...extra,
  });
}
