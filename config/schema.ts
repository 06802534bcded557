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

/** A value with a default and a description (the JSON Schema carries both). */
function withDefault<S extends v.GenericSchema>(schema: S, fallback: v.InferOutput<S>, description: string) {
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

const accountId = identifier(id.ACCOUNT_ID, "A 12-digit AWS account id, quoted.");
const region = identifier(id.REGION, "An AWS region name.");
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
    exempt: flag(exemptByDefault, "Exempt the principals in `exemptions` (the deployment role by default) from this control."),
    ...entries,
  });
}

const orgTarget = {
  reservedScpSlots: withDefault(
    wholeNumber(0, 9),
    0,
    "SCP attachment slots on this target taken by policies managed elsewhere (Control Tower guardrails, other tools). FullAWSAccess is counted separately.",
  ),
};

const organization = v.strictObject({
  id: identifier(id.ORG_ID, "The organization id (o-…)."),
  managementAccount: accountId,
  root: v.strictObject({ id: identifier(id.ROOT_ID, "The root id (r-…)."), ...orgTarget }),
  organizationalUnits: v.optional(
    v.array(
      v.strictObject({
        id: identifier(id.OU_ID, "The OU id (ou-…)."),
        name: v.pipe(v.string(), v.minLength(1, "is empty; give the OU its name"), v.maxLength(128, "is over 128 characters; shorten it")),
        parent: v.pipe(v.string(), v.description("The root id or the id of the parent OU.")),
        ...orgTarget,
      }),
    ),
    [],
  ),
  accounts: list(
    v.strictObject({
      id: accountId,
      name: identifier(id.SLUG, "A short name for the account, used in stack names."),
      parent: v.pipe(v.string(), v.description("The root id or the id of the OU that holds the account.")),
      ...orgTarget,
    }),
    1,
  ),
  fullAwsAccessAttached: flag(true, "Whether AWS's FullAWSAccess SCP stays attached to every target (it takes one slot on each)."),
});

const deployment = v.strictObject({
  roleName: identifier(id.IAM_ROLE_NAME, "The role the pipeline assumes in every account to deploy the baseline."),
  assumeRole: flag(true, "Whether the AWS provider of each stack assumes the deployment role in the stack's account."),
  breakGlassRoleArn: identifier(id.IAM_ROLE_ARN, "The break-glass role, admitted where the baseline allows emergency access."),
  homeRegion: region,
  planRoleName: v.optional(
    identifier(
      id.IAM_ROLE_NAME,
      "The read-only role pull-request plans run as in every account (README, Pull-request review). When set, the audit stack's key policies let it describe the keys, which a plan must read; it may do nothing else with them.",
    ),
  ),
  bootstrapPrincipals: withDefault(
    v.array(principalPattern),
    [],
    "Principals (an account-vending role, OrganizationAccountAccessRole) that may create the deployment role in a new account and give it policies, and nothing else the exemptions may do. Without one, only the deployment role can create itself, so a new account under tamper protection cannot be bootstrapped.",
  ),
});

const stateBackend = v.strictObject({
  bucket: identifier(id.S3_BUCKET, "The S3 bucket that holds Terraform state."),
  region,
  keyPrefix: v.optional(identifier(id.STATE_KEY_PREFIX, "Prefix of each stack's state key; the key is <prefix><stack>.tfstate."), "claude-platform-baseline/"),
});

const workspace = v.strictObject({
  id: identifier(id.WORKSPACE_ID, "The Claude Platform workspace id."),
  account: accountId,
  region,
  protection: v.optional(
    v.pipe(
      v.strictObject({
        allowedPrincipals: v.optional(v.array(principalPattern), []),
        allowedTeams: withDefault(v.array(v.string()), [], "Teams whose role (in this workspace's account) may act on the workspace."),
        allowBreakGlass: flag(true, "Admit the break-glass role."),
      }),
      v.description("Make the workspace protected: only these principals may act on it."),
    ),
  ),
});

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

const team = v.strictObject({
  name: identifier(id.SLUG, "The team's name: its resource addresses, tags and docs use it."),
  roleName: identifier(id.IAM_ROLE_NAME, "The role this baseline creates for the team in each of its accounts, at the root path."),
  accounts: v.pipe(list(accountId, 1), v.description("The accounts that get the team's role; each gets its own roles-<account name> stack.")),
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
    "Claude Console sign-in (AssumeConsole) with exactly this capability; none gives no console.",
  ),
  apiKeys: withDefault(
    oneOf(["none", "short-term"]),
    "none",
    "short-term lets the role use short-term API keys (CallWithBearerToken with SHORT_TERM tokens); none allows no bearer token.",
  ),
  permissionSet: identifier(id.PERMISSION_SET_NAME, "The IAM Identity Center permission set whose role, in the same account, may assume the team role."),
  maxSessionSeconds: withDefault(wholeNumber(900, 43200), 3600, "The role's maximum session, in seconds (900-43200)."),
  sourceIdentity: flag(false, "Let the permission-set role set a source identity when it assumes the team role (sts:SetSourceIdentity in the trust policy)."),
  sessionTags: flag(false, "Let the permission-set role pass session tags when it assumes the team role (sts:TagSession in the trust policy)."),
});

const consolePrincipal = v.strictObject({
  principal: principalPattern,
  capabilities: list(oneOf(["developer", "admin"]), 1),
});

const controls = v.strictObject({
  denyServiceSpecificCredentials: v.optional(
    exemptableControl("Deny creating (or resetting) IAM service-specific credentials for Claude Platform: its long-term API keys.", false, {
      allServices: flag(false, "Deny service-specific credentials for every service, not only Claude Platform."),
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
          "Also deny bearer tokens used by any IAM user: long-term keys always belong to IAM users, so this holds even if the token-type value differs from LONG_TERM. Turn off only if IAM users mint short-term keys.",
        ),
      },
    ),
  ),
  limitServiceCredentialAge: v.optional(
    exemptableControl(
      "For organizations that permit long-term keys: deny service-specific credentials that live longer than maxAgeDays or never expire.",
      false,
      {
        maxAgeDays: wholeNumber(1, 36600),
        allServices: flag(false, "Limit service-specific credentials of every service, not only Claude Platform."),
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
          "Principals who, besides the exemptions, may register, update or disable workspace keys in an account that holds a protected workspace (the key actions cannot be scoped to one workspace).",
        ),
      },
    ),
  ),
  approvedWorkspacesOnly: v.optional(
    v.pipe(
      list(
        exemptableControl("Deny every workspace-scoped action on any workspace not listed; actions that take no workspace keep working.", false, {
          workspaces: list(workspaceId, 1),
          denyCreateWorkspace: flag(false, "Also deny CreateWorkspace where this rule is attached."),
        }),
        1,
      ),
      v.description("One rule per set of targets (OUs or accounts), each with its own approved workspaces."),
    ),
  ),
  limitConsoleFederation: v.optional(
    control(
      "Deny AssumeConsole (a 12-hour Claude Console session that CloudTrail does not see) except to the listed principals, each with the capabilities it may use; deny it when no capability is given.",
      {
        allow: v.optional(v.array(consolePrincipal), []),
        allowBreakGlass: flag(true, "Let the break-glass role open the console with any capability."),
      },
    ),
  ),
  protectAuditTrail: v.optional(
    exemptableControl(
      "Deny stopping, deleting or changing the governance trail, its log group and bucket, and the team roles, except to the exempt principals (the deployment role by default).",
      true,
      { protectTeamRoles: flag(true, "Also deny changing or deleting the team roles this baseline creates and their permissions boundaries.") },
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
          "AWS managed policies (by name, any path) nobody may attach. AnthropicLimitedAccess is the one the console's long-term key flow attaches.",
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
      requireCustomerManagedKey: flag(false, "Require aws-external-anthropic:KeyArn on CreateWorkspace."),
      requiredTags: withDefault(
        v.array(
          v.pipe(
            v.string(),
            v.regex(/^[\w.:/=+\-@ ]{1,128}$/, (issue) => `${JSON.stringify(issue.input)} is not a tag key; use 1-128 letters, digits, spaces or _.:/=+-@`),
          ),
        ),
        [],
        "Tag keys every new workspace must carry.",
      ),
      allowedRegions: v.optional(v.pipe(v.array(region), v.description("Regions where workspaces may be created."))),
    }),
  ),
});

/** The retention periods CloudWatch Logs accepts (PutRetentionPolicy). */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

const auditTrail = v.strictObject({
  name: identifier(id.TRAIL_NAME, "The governance trail's name."),
  account: accountId,
  homeRegion: region,
  organizationTrail: flag(true, "An organization trail (true) or a trail of the audit account only (false)."),
  bucketName: v.optional(identifier(id.S3_BUCKET, "The S3 bucket, in the audit account, that receives the trail's logs.")),
  dataEvents: v.optional(
    v.strictObject({
      workspaces: v.optional(workspaceSelection, "all"),
      readOnly: v.optional(oneOf(["all", "read-only", "write-only"]), "all"),
      eventNames: v.optional(
        v.array(
          v.pipe(
            v.string(),
            v.regex(/^[A-Za-z]+$/, (issue) => `${JSON.stringify(issue.input)} is not an event name; use an action name such as CreateInference`),
          ),
        ),
      ),
    }),
    {},
  ),
  logGroup: v.strictObject({
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
  alarms: v.strictObject({
    email: list(identifier(id.EMAIL, "An email address subscribed to the alarm topic."), 1),
  }),
  logLifecycleDays: v.optional(wholeNumber(1, 36500), 365),
  logReaders: withDefault(
    v.array(identifier(id.IAM_ROLE_ARN, "A role that may read the trail's log files in S3.")),
    [],
    "Roles (investigators, log-validation jobs) that may read and decrypt the trail's log files in S3. Nobody can otherwise: the trail key admits only CloudTrail, CloudWatch Logs and its administrator. The roles must exist when the key policy is applied.",
  ),
});

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
    workspaces: v.optional(v.array(workspace), []),
    teams: v.optional(v.array(team), []),
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
