/**
 * The one schema of a baseline config. It is the source of the TypeScript types (`BaselineConfig`),
 * the runtime validation of shape and identifier syntax (`loadConfig`), and the JSON Schema that
 * editors use for completion (`config/baseline.schema.json`, written by `npm run schema`).
 * Meaning (references resolve, the OU tree is a tree, names are unique) is checked after the
 * shape, in `validate.ts`. Written with valibot: it loads in a tenth of the time of the
 * alternatives, which matters for a tool that parses one config per run.
 */
import * as v from "valibot";
import * as id from "./identifiers";

/** A string that must follow an identifier rule; its message names the bad value and the fix. */
function identifier(rule: id.IdentifierRule, description: string) {
  return v.pipe(
    v.string((issue) => `expected a string, got ${describeValue(issue.input)}; ${rule.expected}`),
    v.regex(rule.pattern, (issue) => `${JSON.stringify(issue.input)} is not ${rule.expected}`),
    v.description(description),
  );
}

/** How a value reads in a message: strings quoted, the rest by kind. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (typeof value === "object") return "a mapping";
  return String(value);
}

/**
 * A value with a default and a description (the JSON Schema carries both). The default is written as
 * a config would write it: valibot parses it like a given value, so the defaults inside it apply too.
 */
function withDefault<S extends v.GenericSchema>(schema: S, fallback: v.InferInput<S>, description: string) {
  return v.optional(v.pipe(schema, v.description(description)), fallback as never);
}

function flag(fallback: boolean, description: string) {
  return withDefault(v.boolean(), fallback, description);
}

function list<S extends v.GenericSchema>(item: S, min = 0) {
  return min > 0 ? v.pipe(v.array(item), v.minLength(min, `must list at least ${min} item${min === 1 ? "" : "s"}; add one`)) : v.array(item);
}

function wholeNumber(min: number, max: number) {
  return v.pipe(
    v.number((issue) => `expected a number, got ${describeValue(issue.input)}`),
    v.integer("must be a whole number"),
    v.minValue(min, `must be at least ${min}; raise it`),
    v.maxValue(max, `must be at most ${max}; lower it`),
  );
}

function oneOf<const T extends readonly string[]>(options: T) {
  return v.picklist(options, (issue) => `${describeValue(issue.input)} is not allowed; use one of ${options.map((o) => JSON.stringify(o)).join(", ")}`);
}

/** An account id field; `what` says which account it is and what follows from it. */
function accountId(what: string) {
  return identifier(id.ACCOUNT_ID, `${what} A 12-digit AWS account id, quoted.`);
}

/** A region field; `what` says what the region is used for. */
function region(what: string) {
  return identifier(id.REGION, `${what} An AWS region name such as us-east-1.`);
}

const workspaceId = identifier(id.WORKSPACE_ID, "A Claude Platform workspace id.");
const principalPattern = identifier(
  id.PRINCIPAL_ARN_PATTERN,
  "An IAM role or user ARN pattern as aws:PrincipalArn sees it; * and ? match any characters (ArnLike).",
);
/** Where an SCP is attached: the root id, an OU id or an account id. */
const attachmentTarget = v.pipe(
  v.string(),
  v.regex(
    /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|\d{12})$/,
    (issue) => `${JSON.stringify(issue.input)} is not an attachment target; use the root id (r-…), an OU id (ou-…) or a 12-digit account id`,
  ),
  v.description("The root id, an OU id or an account id of this organization."),
);
const attachTo = v.pipe(
  v.array(attachmentTarget),
  v.minLength(1, "lists no target; attach the control to the root id, an OU id or an account id"),
  v.description("Where the control's SCP is attached."),
);
/** `"all"`, or a list of workspace ids. */
const workspaceSelection = v.union(
  [v.literal("all"), v.array(workspaceId)],
  (issue) => `expected "all" or a list of workspace ids, got ${describeValue(issue.input)}`,
);

/**
 * Fields every SCP control has. `exempt` exists only on controls that allow an exemption
 * (`exemptableControl`), so a config that asks to exempt principals from, say, the long-term
 * bearer-token deny is refused by the schema itself.
 */
function control<T extends v.ObjectEntries>(description: string, entries: T) {
  return v.pipe(v.strictObject({ attachTo, ...entries }), v.description(description));
}

function exemptableControl<T extends v.ObjectEntries>(description: string, exemptByDefault: boolean, entries: T) {
  return control(description, {
    exempt: flag(
      exemptByDefault,
      `Exempt the principals in \`exemptions\` (the deployment role by default) from this control: its statements do not apply to them. Default: ${exemptByDefault}.`,
    ),
    ...entries,
  });
}

const orgTarget = {
  reservedScpSlots: withDefault(
    wholeNumber(0, 9),
    0,
    "SCP attachment slots on this target taken by policies managed elsewhere (Control Tower guardrails, other tools). FullAWSAccess is counted separately. The baseline refuses a layout that would put a target over the SCP-per-target quota (10). Default: 0.",
  ),
};

const organization = v.pipe(
  v.strictObject({
    id: identifier(id.ORG_ID, "The organization id (o-…). Team role trust policies admit only principals of this organization (aws:PrincipalOrgID)."),
    managementAccount: accountId(
      "The management account: the organization stack (the SCPs and their attachments) is deployed here. It must also be listed in organization.accounts.",
    ),
    root: v.pipe(
      v.strictObject({ id: identifier(id.ROOT_ID, "The root id (r-…); attach a control here to apply it to every account."), ...orgTarget }),
      v.description("The organization's root: an attachment target, and the parent at the top of the OU tree."),
    ),
    organizationalUnits: withDefault(
      v.array(
        v.pipe(
          v.strictObject({
            id: identifier(id.OU_ID, "The OU id (ou-…); it must start with ou-<the root id's suffix>-."),
            name: v.pipe(
              v.string(),
              v.minLength(1, "is empty; give the OU its name"),
              v.maxLength(128, "is over 128 characters; shorten it"),
              v.description("The OU's name as AWS Organizations shows it (1-128 characters), used in messages and docs; unique under one parent."),
            ),
            parent: v.pipe(v.string(), v.description("The root id or the id of the parent OU; the OUs must form a tree under the root.")),
            ...orgTarget,
          }),
          v.description("One OU: an attachment target for controls, and a parent for accounts and other OUs."),
        ),
      ),
      [],
      "The OUs the config refers to (as attachment targets or parents). A control can be attached only to an OU listed here, and an account or OU can have only a listed OU as its parent. Default: none.",
    ),
    accounts: v.pipe(
      list(
        v.pipe(
          v.strictObject({
            id: accountId("The account's id."),
            name: identifier(id.SLUG, "A short name for the account, used in stack names (roles-<name>) and messages; unique in the organization."),
            parent: v.pipe(v.string(), v.description("The root id or the id of the OU that holds the account; it decides which OU attachments apply to it.")),
            ...orgTarget,
          }),
          v.description("One account of the organization."),
        ),
        1,
      ),
      v.description(
        "The accounts the config refers to: the management account, and every account that is an attachment target, holds a workspace, gets a team role or holds the audit trail. At least one.",
      ),
    ),
    fullAwsAccessAttached: flag(
      true,
      "Whether AWS's FullAWSAccess SCP stays attached to every target (it takes one SCP slot on each; the per-target quota check counts it). Default: true.",
    ),
  }),
  v.description("The AWS organization the baseline governs: its root, the OUs and accounts the config refers to, and the SCP slots already in use."),
);

const deployment = v.pipe(
  v.strictObject({
    roleName: identifier(
      id.IAM_ROLE_NAME,
      "The role the pipeline assumes in every account to deploy the baseline. By default it is the one principal exempt from the controls that set `exempt: true` (see exemptions).",
    ),
    assumeRole: flag(
      true,
      "Whether the AWS provider of each stack assumes the deployment role in the stack's account. Turn off only when the pipeline already runs as that role in each account. Default: true.",
    ),
    breakGlassRoleArn: identifier(
      id.IAM_ROLE_ARN,
      "The break-glass role, admitted where the baseline allows emergency access (protected workspaces and console federation, unless their allowBreakGlass is off). Its account must be in organization.accounts.",
    ),
    homeRegion: region(
      "The region every stack's AWS provider uses; its partition (aws, aws-cn, aws-us-gov) is the partition of every ARN the baseline writes.",
    ),
    planRoleName: v.optional(
      identifier(
        id.IAM_ROLE_NAME,
        "The read-only role pull-request plans run as in every account (README, Pull-request review). When set, the audit stack's key policies let it describe the keys, which a plan must read; it may do nothing else with them.",
      ),
    ),
    bootstrapPrincipals: withDefault(
      v.array(principalPattern),
      [],
      "Principals (an account-vending role, OrganizationAccountAccessRole) that may create the deployment role in a new account and give it policies, and nothing else the exemptions may do. Without one, only the deployment role can create itself, so a new account under tamper protection cannot be bootstrapped. Default: none.",
    ),
  }),
  v.description("How the baseline is deployed: the deployment role, the break-glass role and the home region."),
);

const stateBackend = v.pipe(
  v.strictObject({
    bucket: identifier(id.S3_BUCKET, "The S3 bucket that holds Terraform state; it must exist before the first deployment."),
    region: region("The state bucket's region."),
    keyPrefix: withDefault(
      identifier(id.STATE_KEY_PREFIX, "Prefix of each stack's state key; the key is <prefix><stack>.tfstate."),
      "claude-platform-baseline/",
      "Prefix of each stack's state key; the key is <prefix><stack>.tfstate. Changing it points the stacks at new, empty state. Default: claude-platform-baseline/.",
    ),
  }),
  v.description("Where Terraform keeps each stack's state: an S3 backend, one key per stack, encrypted, with an S3 lock file."),
);

const workspace = v.pipe(
  v.strictObject({
    id: identifier(id.WORKSPACE_ID, "The Claude Platform workspace id; unique in the config."),
    account: accountId("The account that holds the workspace; it must be in organization.accounts."),
    region: region("The workspace's region, used in its ARN where a control or the trail needs the exact one."),
    protection: v.optional(
      v.pipe(
        v.strictObject({
          allowedPrincipals: withDefault(
            v.array(principalPattern),
            [],
            "Role or user ARN patterns (ArnLike) that may act on the workspace; everyone else, administrators included, is denied. A wildcard in the name also admits look-alike paths, which the control denies separately. Default: none.",
          ),
          allowedTeams: withDefault(
            v.array(v.string()),
            [],
            "Teams (by name) whose role in this workspace's account may act on the workspace; a team granted the workspace must be admitted here or by allowedPrincipals. Default: none.",
          ),
          allowBreakGlass: flag(true, "Admit the break-glass role (deployment.breakGlassRoleArn). Default: true."),
        }),
        v.description(
          "Make the workspace protected: with controls.protectWorkspaces on, only these principals may act on it. Without protection, any principal its account's IAM allows may.",
        ),
      ),
    ),
  }),
  v.description("One Claude Platform workspace: where it lives and whether it is protected."),
);

/** The access profiles a team role is built from; each is documented in policies/roles/profiles/. */
export const ACCESS_PROFILES = [
  "inference",
  "batch-inference",
  "agent-development",
  "metadata-read",
  "content-read",
  "agent-runtime",
  "workspace-admin",
] as const;
export type AccessProfileId = (typeof ACCESS_PROFILES)[number];

const team = v.pipe(
  v.strictObject({
    name: identifier(id.SLUG, "The team's name: its resource addresses, tags and docs use it."),
    roleName: identifier(id.IAM_ROLE_NAME, "The role this baseline creates for the team in each of its accounts, at the root path."),
    accounts: v.pipe(
      list(accountId("An account that gets the team's role."), 1),
      v.description("The accounts that get the team's role; each gets its own roles-<account name> stack. At least one."),
    ),
    workspaces: v.pipe(
      workspaceSelection,
      v.description("The workspaces the role may use, or `all` for every workspace (declared or not) of each of the team's accounts."),
    ),
    access: v.pipe(
      list(oneOf(ACCESS_PROFILES), 1),
      v.description(
        "Named access profiles the role is built from: inference, batch-inference, agent-development, metadata-read, content-read, agent-runtime, workspace-admin (docs/roles/).",
      ),
    ),
    console: withDefault(
      oneOf(["none", "developer", "admin"]),
      "none",
      "Claude Console sign-in (AssumeConsole) with exactly this capability; none gives no console. Where controls.limitConsoleFederation applies, the role must be allowed that capability there. Default: none.",
    ),
    apiKeys: withDefault(
      oneOf(["none", "short-term"]),
      "none",
      "short-term lets the role use short-term API keys (CallWithBearerToken with SHORT_TERM tokens); none allows no bearer token. Long-term keys are never allowed. Default: none.",
    ),
    permissionSet: identifier(id.PERMISSION_SET_NAME, "The IAM Identity Center permission set whose role, in the same account, may assume the team role."),
    maxSessionSeconds: withDefault(wholeNumber(900, 43200), 3600, "The role's maximum session, in seconds (900-43200). Default: 3600 (one hour)."),
    sourceIdentity: flag(
      false,
      "Let the permission-set role set a source identity when it assumes the team role (sts:SetSourceIdentity in the trust policy). Default: false.",
    ),
    sessionTags: flag(
      false,
      "Let the permission-set role pass session tags when it assumes the team role (sts:TagSession in the trust policy). Default: false.",
    ),
  }),
  v.description(
    "One team: a least-privilege role in each of its accounts, built from access profiles and assumed through an IAM Identity Center permission set.",
  ),
);

const consolePrincipal = v.pipe(
  v.strictObject({
    principal: principalPattern,
    capabilities: v.pipe(
      list(oneOf(["developer", "admin"]), 1),
      v.description(
        "The console capabilities (developer, admin) this principal may open the console with; every other capability is denied to it. At least one.",
      ),
    ),
  }),
  v.description("A principal that may open the Claude Console, and with which capabilities."),
);

const controls = v.pipe(
  v.strictObject({
    denyServiceSpecificCredentials: v.optional(
      exemptableControl("Deny creating (or resetting) IAM service-specific credentials for Claude Platform: its long-term API keys.", false, {
        allServices: flag(
          false,
          "Deny service-specific credentials for every service (CodeCommit, Keyspaces, Bedrock…), not only Claude Platform. Default: false.",
        ),
      }),
    ),
    denyShadowApiKeyUsers: v.optional(
      exemptableControl("Deny creating AeaApiKey-* IAM users at any path, and giving them access keys, passwords, policies or credentials.", false, {}),
    ),
    denyLongTermBearerTokens: v.optional(
      control(
        "Deny CallWithBearerToken with a LONG_TERM bearer token (using a long-term API key). No exemption: the caller of a long-term key is always the key's own IAM user.",
        {
          denyIamUsers: flag(
            true,
            "Also deny bearer tokens used by any IAM user: long-term keys always belong to IAM users, so this holds even if the token-type value differs from LONG_TERM. Turn off only if IAM users mint short-term keys. Default: true.",
          ),
        },
      ),
    ),
    limitServiceCredentialAge: v.optional(
      exemptableControl(
        "For organizations that permit long-term keys: deny service-specific credentials that live longer than maxAgeDays or never expire.",
        false,
        {
          maxAgeDays: v.pipe(
            wholeNumber(1, 36600),
            v.description(
              "The longest lifetime, in days (1-36600), a new service-specific credential may be created with; longer ones, and ones that never expire, are denied.",
            ),
          ),
          allServices: flag(false, "Limit service-specific credentials of every service, not only Claude Platform. Default: false."),
        },
      ),
    ),
    protectWorkspaces: v.optional(
      exemptableControl(
        "Deny every Claude Platform action on each protected workspace (see workspaces[].protection) to principals outside its allow-list.",
        false,
        {
          keyAdmins: withDefault(
            v.array(principalPattern),
            [],
            "Principals who, besides the exemptions, may register, update or disable workspace keys in an account that holds a protected workspace (the key actions cannot be scoped to one workspace). Default: none.",
          ),
          splitByTarget: flag(
            false,
            "Give each target only the protected workspaces of the accounts this config places under it, so the control scales past one target's SCP slots. The protection then follows the config, not the organization: an account moved to another OU, or a workspace declared in the wrong account, is unprotected until the config says so. Default: false (every target carries every protected workspace, wherever it lives).",
          ),
        },
      ),
    ),
    approvedWorkspacesOnly: v.optional(
      v.pipe(
        list(
          exemptableControl("Deny every workspace-scoped action on any workspace not listed; actions that take no workspace keep working.", false, {
            name: v.optional(
              identifier(
                id.RULE_NAME,
                "A short name for the rule (sandbox-only), unique among the rules. Messages and the synth summary show it (approvedWorkspacesOnly[sandbox-only]) instead of the rule's position. Adding, changing or removing it changes nothing that is deployed. Default: none (the position is shown).",
              ),
            ),
            workspaces: v.pipe(
              list(workspaceId, 1),
              v.description("The approved workspaces (declared in workspaces): where the rule is attached, every other workspace is denied. At least one."),
            ),
            denyCreateWorkspace: flag(false, "Also deny CreateWorkspace where this rule is attached. Default: false."),
          }),
          1,
        ),
        v.description(
          "One rule per set of targets (OUs or accounts), each with its own approved workspaces. A target may be in one rule only (two lists on one target would allow only the workspaces in both).",
        ),
      ),
    ),
    limitConsoleFederation: v.optional(
      control(
        "Deny AssumeConsole (a 12-hour Claude Console session that CloudTrail does not see) except to the listed principals, each with the capabilities it may use; deny it when no capability is given.",
        {
          allow: withDefault(
            v.array(consolePrincipal),
            [],
            "The principals that may open the console, each with its capabilities. Default: none, so only the break-glass role (if allowBreakGlass) may.",
          ),
          allowBreakGlass: flag(true, "Let the break-glass role open the console with any capability. Default: true."),
        },
      ),
    ),
    protectAuditTrail: v.optional(
      exemptableControl(
        "Deny stopping, deleting or changing the governance trail, its log group and bucket, and the team roles, except to the exempt principals (the deployment role by default).",
        true,
        {
          protectTeamRoles: flag(
            true,
            "Also deny changing, passing or deleting the team roles this baseline creates (every role tagged claude-platform-baseline:role, which only the deployment role may set or remove), their permissions boundaries and the Identity Center SAML provider they trust through. The same size however many teams. Default: true.",
          ),
        },
      ),
    ),
    denyAnthropicManagedPolicies: v.optional(
      exemptableControl(
        "Deny attaching the AWS managed policies that grant Claude Platform broadly to users, groups and roles, except to the exempt principals.",
        true,
        {
          policies: withDefault(
            list(identifier(id.MANAGED_POLICY_NAME, "The name of an AWS managed policy."), 1),
            ["AnthropicFullAccess", "AnthropicLimitedAccess"],
            "AWS managed policies (by name, any path) nobody may attach. AnthropicLimitedAccess is the one the console's long-term key flow attaches. Default: AnthropicFullAccess, AnthropicLimitedAccess.",
          ),
        },
      ),
    ),
    disableClaudePlatform: v.optional(
      exemptableControl(
        "Turn Claude Platform off where attached: every aws-external-anthropic action, the web identity token for Anthropic's audiences, and Marketplace agreements for the product.",
        false,
        {},
      ),
    ),
    workspaceCreationRules: v.optional(
      exemptableControl("Deny CreateWorkspace unless it names a customer-managed key, carries the required tags, and is in an allowed region.", false, {
        requireCustomerManagedKey: flag(
          false,
          "Require aws-external-anthropic:KeyArn on CreateWorkspace: a workspace without a customer-managed key cannot be created. Default: false.",
        ),
        requiredTags: withDefault(
          v.array(
            v.pipe(
              v.string(),
              v.regex(/^[\w.:/=+\-@ ]{1,128}$/, (issue) => `${JSON.stringify(issue.input)} is not a tag key; use 1-128 letters, digits, spaces or _.:/=+-@`),
            ),
          ),
          [],
          "Tag keys every new workspace must carry; CreateWorkspace without one of them is denied. Default: none.",
        ),
        allowedRegions: v.optional(
          v.pipe(
            v.array(region("A region where workspaces may be created.")),
            v.description("Regions where workspaces may be created; CreateWorkspace elsewhere is denied. Default: any region."),
          ),
        ),
      }),
    ),
  }),
  v.description(
    "The service control policies to turn on, by control id (docs/controls/). A control that is absent is off; each one present is attached to its attachTo targets.",
  ),
);

/** The retention periods CloudWatch Logs accepts (PutRetentionPolicy). */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

const auditTrail = v.pipe(
  v.strictObject({
    name: identifier(id.TRAIL_NAME, "The governance trail's name; the default bucket name is derived from it."),
    account: accountId(
      "The audit account: the audit stack (trail, log bucket, log group, keys, alarms) is deployed here. It must be in organization.accounts; for an organization trail, it is the CloudTrail delegated administrator that creates it.",
    ),
    homeRegion: region("The trail's home region, where the trail, its bucket, log group and alarms live."),
    organizationTrail: flag(true, "An organization trail that logs every account (true) or a trail of the audit account only (false). Default: true."),
    bucketName: v.optional(identifier(id.S3_BUCKET, "The S3 bucket, in the audit account, that receives the trail's logs.")),
    dataEvents: withDefault(
      v.strictObject({
        workspaces: withDefault(
          workspaceSelection,
          "all",
          "The workspaces whose data events are logged: all (every Claude Platform workspace, declared or not), or a list of declared workspace ids. Default: all.",
        ),
        readOnly: withDefault(
          oneOf(["all", "read-only", "write-only"]),
          "all",
          "Which data events are logged: all, only read-only ones, or only write ones. Default: all.",
        ),
        eventNames: v.optional(
          v.pipe(
            v.array(
              v.pipe(
                v.string(),
                v.regex(/^[A-Za-z]+$/, (issue) => `${JSON.stringify(issue.input)} is not an event name; use an action name such as CreateInference`),
              ),
            ),
            v.description(
              "Log only these data events, by Claude Platform action name (CreateInference); each must be an action in the IAM reference data. Default: every data event.",
            ),
          ),
        ),
      }),
      {},
      "Which Claude Platform workspace data events the trail logs (an advanced event selector). Default: every data event of every workspace.",
    ),
    logGroup: v.pipe(
      v.strictObject({
        name: identifier(id.LOG_GROUP_NAME, "The CloudWatch Logs group the trail delivers to."),
        retentionDays: v.pipe(
          v.number((issue) => `expected a number, got ${describeValue(issue.input)}`),
          v.check(
            (days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days),
            (issue) => `${JSON.stringify(issue.input)} is not a retention CloudWatch Logs accepts; use one of ${LOG_RETENTION_DAYS.join(", ")}`,
          ),
          v.description(`Days to keep the logs; CloudWatch Logs accepts ${LOG_RETENTION_DAYS.join(", ")}.`),
        ),
      }),
      v.description("The CloudWatch Logs group the trail delivers to, where the alarms' metric filters read."),
    ),
    alarms: v.pipe(
      v.strictObject({
        email: v.pipe(
          list(identifier(id.EMAIL, "An email address subscribed to the alarm topic."), 1),
          v.description("Email addresses subscribed to the alarm topic; each must confirm its subscription. At least one."),
        ),
      }),
      v.description("Where the alarms on the trail's log group (tampering, long-term keys, console federation) are sent."),
    ),
    logLifecycleDays: withDefault(
      wholeNumber(1, 36500),
      365,
      "Days the log bucket (and its access-log bucket) keeps each object, and each noncurrent version, before S3 expires it (1-36500). Default: 365.",
    ),
    logReaders: withDefault(
      v.array(identifier(id.IAM_ROLE_ARN, "A role that may read the trail's log files in S3.")),
      [],
      "Roles (investigators, log-validation jobs) that may read and decrypt the trail's log files in S3. Nobody can otherwise: the trail key admits only CloudTrail, CloudWatch Logs and its administrator. The roles must exist when the key policy is applied. Default: none.",
    ),
    keyAdministrators: withDefault(
      v.array(identifier(id.IAM_ROLE_ARN, "A role that may administer the trail and alarm keys.")),
      [],
      "Roles, beside the deployment role and the break-glass role (deployment.breakGlassRoleArn), that may administer the trail and alarm keys (policy, rotation, deletion) but never use them, so losing one role does not lock the keys for good. The roles must exist when the key policy is applied. Default: none.",
    ),
    objectLock: v.optional(
      v.pipe(
        v.strictObject({
          mode: v.pipe(
            oneOf(["governance", "compliance"]),
            v.description(
              "governance: nobody deletes or overwrites a log file version before its retention ends unless they hold s3:BypassGovernanceRetention (nobody does by default); compliance: nobody at all, the root user included, and the mode cannot be shortened or removed.",
            ),
          ),
          retentionDays: v.pipe(wholeNumber(1, 36500), v.description("Days each log file version is locked after it is written (1-36500).")),
        }),
        v.description(
          "S3 Object Lock on the log bucket: a default retention on every log file, so a compromised deployment role cannot erase the evidence. Turning it on for an existing bucket keeps its objects; turning it off is refused by S3. Default: off.",
        ),
      ),
    ),
    replication: v.optional(
      v.pipe(
        v.strictObject({
          destinationBucket: identifier(id.S3_BUCKET, "The bucket that receives a copy of every log file; it must exist, with versioning on."),
          destinationAccount: accountId("The account that owns the destination bucket; it becomes the copies' owner."),
          destinationRegion: region("The destination bucket's region."),
          destinationKeyArn: identifier(id.KMS_KEY_ARN, "The KMS key the copies are encrypted with, in the destination bucket's region."),
        }),
        v.description(
          "Copy every log file to a second bucket (another account or region), so the archive survives the audit account. The destination bucket, its policy and its key policy are the destination owner's to set up (docs/audit.md). Default: off.",
        ),
      ),
    ),
    detections: withDefault(
      v.strictObject({
        modelCallsPerPrincipal: withDefault(
          wholeNumber(1, 1_000_000),
          100,
          "Model calls (inference and batch) one principal may make in five minutes before the model-call-spike alarm fires (the LLM-jacking pattern). Default: 100.",
        ),
        expectedUserAgents: v.optional(
          v.pipe(
            list(identifier(id.USER_AGENT_PATTERN, "A user agent the organization's callers send, with a * where it varies."), 1),
            v.description(
              "User agents Claude Platform callers are expected to send (the SDKs in use), each with * at its start and/or end; a workspace data event from any other agent raises the unexpected-user-agent alarm. Default: no such alarm.",
            ),
          ),
        ),
        eventBridge: flag(
          true,
          "Also deliver the high-severity patterns the audit account sees (trail, log group, key, bucket and alarm tampering) through EventBridge rules to the alarm topic, within seconds instead of an alarm period. Default: true.",
        ),
      }),
      {},
      "The detections on the trail's log group beyond the tamper alarms: bearer-token use, one principal in several regions, model-call spikes, unexpected user agents.",
    ),
    cisAlarms: flag(
      false,
      "Also create the CIS AWS Foundations metric filters and alarms with the exact patterns Security Hub's CloudWatch.1-14 controls look for, beside the baseline's tighter alarms. Default: false.",
    ),
  }),
  v.description(
    "The governance trail and its audit stack: a multi-region CloudTrail trail, KMS-encrypted S3 bucket, CloudWatch Logs group and alarms. Without it, there is no audit stack, and protectAuditTrail cannot be turned on.",
  ),
);

export const baselineConfigSchema = v.pipe(
  v.strictObject({
    $schema: v.optional(v.pipe(v.string(), v.description("Path of the JSON Schema, for editors."))),
    organization,
    deployment,
    stateBackend,
    exemptions: v.optional(
      v.pipe(
        v.array(principalPattern),
        v.description(
          "Principals exempt from the controls that set `exempt: true`. Defaults to the deployment role in every account: arn:aws:iam::*:role/<deployment.roleName>.",
        ),
      ),
    ),
    workspaces: withDefault(
      v.array(workspace),
      [],
      "The Claude Platform workspaces the config refers to (by teams, protection, controls and the trail); a workspace id used elsewhere must be declared here. Default: none.",
    ),
    teams: withDefault(v.array(team), [], "The teams that get a least-privilege role (docs/roles/). Default: none, so no role stacks."),
    controls,
    auditTrail: v.optional(auditTrail),
  }),
  v.title("Claude Platform on AWS governance baseline"),
  v.description("One organization's baseline: what it has and what it wants enforced."),
);

/** A config as the loader returns it: defaults applied, shape and syntax valid. */
export type BaselineConfig = v.InferOutput<typeof baselineConfigSchema>;
export type ControlsConfig = BaselineConfig["controls"];
export type ControlId = keyof ControlsConfig;

/** The control ids the schema knows, in schema order. */
export const CONTROL_IDS = Object.keys(controls.entries) as ControlId[];

/** How a control treats the `exemptions` principals: refused (no `exempt` field), or exempt by default or not. */
export function exemptionOf(controlId: ControlId): "never" | { exemptByDefault: boolean } {
  const wrapped = controls.entries[controlId].wrapped;
  const rule = wrapped.type === "array" ? wrapped.pipe[0].item : wrapped;
  const entries: v.ObjectEntries = rule.pipe[0].entries;
  if (!("exempt" in entries)) return "never";
  return { exemptByDefault: v.getDefault(entries.exempt as v.OptionalSchema<v.GenericSchema, boolean>) as boolean };
}
