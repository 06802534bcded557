/**
 * The one schema of a baseline config. It is the source of the TypeScript types (`BaselineConfig`),
 * the runtime validation of shape and identifier syntax (`loadConfig`), and the JSON Schema that
 * editors use for completion (`config/baseline.schema.json`, written by `npm run schema`).
 * Meaning (references resolve, the OU tree is a tree, names are unique) is checked after the
 * shape, in `validate.ts`.
 */
import { z } from "zod";
import * as id from "./identifiers";

// A config is parsed once per run: generating zod's JIT fast paths costs more than it saves.
z.config({ jitless: true });

/** A string that must follow an identifier rule; its message names the bad value and the fix. */
function identifier(rule: id.IdentifierRule, description: string) {
  return z
    .string({ error: (issue) => `expected a string, got ${typeName(issue.input)}; ${rule.expected}` })
    .regex(rule.pattern, { error: (issue) => `${JSON.stringify(issue.input)} is not ${rule.expected}` })
    .meta({ description });
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (value === undefined) return "nothing";
  return `a ${typeof value}`;
}

const accountId = identifier(id.ACCOUNT_ID, "A 12-digit AWS account id, quoted.");
const region = identifier(id.REGION, "An AWS region name.");
const principalPattern = identifier(
  id.PRINCIPAL_ARN_PATTERN,
  "An IAM role or user ARN pattern as aws:PrincipalArn sees it; * and ? match any characters (ArnLike).",
);
/** Where an SCP is attached: the root id, an OU id or an account id. */
const attachmentTarget = z
  .string()
  .regex(/^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|\d{12})$/, {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is not an attachment target; use the root id (r-…), an OU id (ou-…) or a 12-digit account id`,
  })
  .meta({ description: "The root id, an OU id or an account id of this organization." });

const attachTo = z
  .array(attachmentTarget)
  .min(1, { error: "lists no target; attach the control to the root id, an OU id or an account id" })
  .meta({ description: "Where the control's SCP is attached." });

/**
 * Fields every SCP control has. `exempt` exists only on controls that allow an exemption, so a
 * config that asks to exempt principals from, say, the long-term bearer-token deny is refused by
 * the schema itself.
 */
function control<T extends z.ZodRawShape>(
  description: string,
  exemption: { exemptByDefault: boolean } | "never",
  shape: T,
) {
  const exemptField =
    exemption === "never"
      ? {}
      : {
          exempt: z
            .boolean()
            .default(exemption.exemptByDefault)
            .meta({ description: "Exempt the principals in `exemptions` (the deployment role by default) from this control." }),
        };
  return z.strictObject({ attachTo, ...exemptField, ...shape }).meta({ description });
}

const orgTarget = {
  reservedScpSlots: z
    .number()
    .int()
    .min(0)
    .max(9)
    .default(0)
    .meta({
      description:
        "SCP attachment slots on this target taken by policies managed elsewhere (Control Tower guardrails, other tools). FullAWSAccess is counted separately.",
    }),
};

const organization = z.strictObject({
  id: identifier(id.ORG_ID, "The organization id (o-…)."),
  managementAccount: accountId,
  root: z.strictObject({ id: identifier(id.ROOT_ID, "The root id (r-…)."), ...orgTarget }),
  organizationalUnits: z
    .array(
      z.strictObject({
        id: identifier(id.OU_ID, "The OU id (ou-…)."),
        name: z.string().min(1).max(128),
        parent: z
          .string()
          .meta({ description: "The root id or the id of the parent OU." }),
        ...orgTarget,
      }),
    )
    .default([]),
  accounts: z
    .array(
      z.strictObject({
        id: accountId,
        name: identifier(id.SLUG, "A short name for the account, used in stack names."),
        parent: z.string().meta({ description: "The root id or the id of the OU that holds the account." }),
        ...orgTarget,
      }),
    )
    .min(1),
  fullAwsAccessAttached: z
    .boolean()
    .default(true)
    .meta({ description: "Whether AWS's FullAWSAccess SCP stays attached to every target (it takes one slot on each)." }),
});

const deployment = z.strictObject({
  roleName: identifier(id.IAM_ROLE_NAME, "The role the pipeline assumes in every account to deploy the baseline."),
  assumeRole: z
    .boolean()
    .default(true)
    .meta({ description: "Whether the AWS provider of each stack assumes the deployment role in the stack's account." }),
  breakGlassRoleArn: identifier(id.IAM_ROLE_ARN, "The break-glass role, admitted where the baseline allows emergency access."),
  homeRegion: region,
});

const stateBackend = z.strictObject({
  bucket: identifier(id.S3_BUCKET, "The S3 bucket that holds Terraform state."),
  region,
  keyPrefix: identifier(id.STATE_KEY_PREFIX, "Prefix of each stack's state key; the key is <prefix><stack>.tfstate.").default(
    "claude-platform-baseline/",
  ),
});

const workspace = z.strictObject({
  id: identifier(id.WORKSPACE_ID, "The Claude Platform workspace id."),
  account: accountId,
  region,
  protection: z
    .strictObject({
      allowedPrincipals: z.array(principalPattern).default([]),
      allowedTeams: z
        .array(z.string())
        .default([])
        .meta({ description: "Teams whose role (in this workspace's account) may act on the workspace." }),
      allowBreakGlass: z.boolean().default(true),
    })
    .optional()
    .meta({ description: "Make the workspace protected: only these principals may act on it." }),
});

export const ACCESS_PROFILES = ["inference", "batch-inference", "agent-development", "metadata-read"] as const;

const team = z.strictObject({
  name: identifier(id.SLUG, "The team's name."),
  roleName: identifier(id.IAM_ROLE_NAME, "The role this baseline creates for the team in each of its accounts."),
  accounts: z.array(accountId).min(1),
  workspaces: z
    .union([z.literal("all"), z.array(identifier(id.WORKSPACE_ID, "A workspace id."))])
    .meta({ description: "The workspaces the role may use, or `all` for every workspace in the team's accounts." }),
  access: z.array(z.enum(ACCESS_PROFILES)).min(1).meta({ description: "Named access profiles the role is built from." }),
  console: z.enum(["none", "developer", "admin"]).default("none"),
  apiKeys: z.enum(["none", "short-term"]).default("none"),
  permissionSet: identifier(id.PERMISSION_SET_NAME, "The IAM Identity Center permission set whose role may assume the team role."),
  maxSessionSeconds: z.number().int().min(900).max(43200).default(3600),
});

const consolePrincipal = z.strictObject({
  principal: principalPattern,
  capabilities: z.array(z.enum(["developer", "admin"])).min(1),
});

const controls = z.strictObject({
  denyServiceSpecificCredentials: control(
    "Deny creating (or resetting) IAM service-specific credentials for Claude Platform: its long-term API keys.",
    { exemptByDefault: false },
    { allServices: z.boolean().default(false).meta({ description: "Deny service-specific credentials for every service, not only Claude Platform." }) },
  ).optional(),
  denyShadowApiKeyUsers: control(
    "Deny creating AeaApiKey-* IAM users at any path, and giving them access keys, passwords, policies or credentials.",
    { exemptByDefault: false },
    {},
  ).optional(),
  denyLongTermBearerTokens: control(
    "Deny CallWithBearerToken with a LONG_TERM bearer token (using a long-term API key). No exemption: the caller of a long-term key is always the key's own IAM user.",
    "never",
    {},
  ).optional(),
  limitServiceCredentialAge: control(
    "For organizations that permit long-term keys: deny service-specific credentials that live longer than maxAgeDays or never expire.",
    { exemptByDefault: false },
    {
      maxAgeDays: z.number().int().min(1).max(36600),
      allServices: z.boolean().default(false),
    },
  ).optional(),
  protectWorkspaces: control(
    "Deny every Claude Platform action on each protected workspace (see workspaces[].protection) to principals outside its allow-list.",
    { exemptByDefault: false },
    {},
  ).optional(),
  approvedWorkspacesOnly: z
    .array(
      control(
        "Deny every workspace-scoped action on any workspace not listed; actions that take no workspace keep working.",
        { exemptByDefault: false },
        {
          workspaces: z.array(identifier(id.WORKSPACE_ID, "An approved workspace id.")).min(1),
          denyCreateWorkspace: z.boolean().default(false).meta({ description: "Also deny CreateWorkspace where this rule is attached." }),
        },
      ),
    )
    .min(1)
    .optional()
    .meta({ description: "One rule per set of targets (OUs or accounts), each with its own approved workspaces." }),
  limitConsoleFederation: control(
    "Deny AssumeConsole (a 12-hour Claude Console session that CloudTrail does not see) except to the listed principals, each with the capabilities it may use; deny it when no capability is given.",
    "never",
    {
      allow: z.array(consolePrincipal).default([]),
      allowBreakGlass: z.boolean().default(true).meta({ description: "Let the break-glass role open the console with any capability." }),
    },
  ).optional(),
  protectAuditTrail: control(
    "Deny stopping, deleting or changing the governance trail, its log group and bucket, and the team roles, except to the exempt principals (the deployment role by default).",
    { exemptByDefault: true },
    {
      protectTeamRoles: z.boolean().default(true).meta({ description: "Also deny changing or deleting the team roles this baseline creates." }),
    },
  ).optional(),
  workspaceCreationRules: control(
    "Deny CreateWorkspace unless it names a customer-managed key, carries the required tags, and is in an allowed region.",
    { exemptByDefault: false },
    {
      requireCustomerManagedKey: z.boolean().default(false).meta({ description: "Require aws-external-anthropic:KeyArn on CreateWorkspace." }),
      requiredTags: z
        .array(z.string().regex(/^[\w.:/=+\-@ ]{1,128}$/, { error: (issue) => `${JSON.stringify(issue.input)} is not a tag key; use 1-128 letters, digits, spaces or _.:/=+-@` }))
        .default([])
        .meta({ description: "Tag keys every new workspace must carry." }),
      allowedRegions: z.array(region).optional().meta({ description: "Regions where workspaces may be created." }),
    },
  ).optional(),
});

/** The retention periods CloudWatch Logs accepts (PutRetentionPolicy). */
const LOG_RETENTION_DAYS: readonly number[] = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

const auditTrail = z.strictObject({
  name: identifier(id.TRAIL_NAME, "The governance trail's name."),
  account: accountId,
  homeRegion: region,
  organizationTrail: z.boolean().default(true),
  bucketName: identifier(id.S3_BUCKET, "The S3 bucket, in the audit account, that receives the trail's logs.").optional(),
  dataEvents: z
    .strictObject({
      workspaces: z.union([z.literal("all"), z.array(identifier(id.WORKSPACE_ID, "A workspace id."))]).default("all"),
      readOnly: z.enum(["all", "read-only", "write-only"]).default("all"),
      eventNames: z.array(z.string().regex(/^[A-Za-z]+$/)).optional(),
    })
    .prefault({}),
  logGroup: z.strictObject({
    name: identifier(id.LOG_GROUP_NAME, "The CloudWatch Logs group the trail delivers to."),
    retentionDays: z
      .number()
      .int()
      .refine((days) => LOG_RETENTION_DAYS.includes(days), {
        error: (issue) => `${JSON.stringify(issue.input)} is not a retention CloudWatch Logs accepts; use one of ${LOG_RETENTION_DAYS.join(", ")}`,
      })
      .meta({ description: `Days to keep the logs; CloudWatch Logs accepts ${LOG_RETENTION_DAYS.join(", ")}.` }),
  }),
  alarms: z.strictObject({
    email: z.array(identifier(id.EMAIL, "An email address subscribed to the alarm topic.")).min(1),
  }),
  logLifecycleDays: z.number().int().min(1).default(365),
});

/** Whether a control exempts the `exemptions` principals when its config does not say (false where it allows no exemption). */
export function exemptByDefault(id: keyof z.infer<typeof controls>): boolean {
  const optional = controls.shape[id];
  const inner = optional.unwrap();
  const rule = inner instanceof z.ZodArray ? (inner.element as z.ZodObject) : (inner as z.ZodObject);
  const exempt = rule.shape.exempt as z.ZodType<boolean> | undefined;
  return exempt?.parse(undefined) ?? false;
}

export const baselineConfigSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: "Path of the JSON Schema, for editors." }),
    organization,
    deployment,
    stateBackend,
    exemptions: z
      .array(principalPattern)
      .optional()
      .meta({
        description:
          "Principals exempt from the controls that set `exempt: true`. Defaults to the deployment role in every account: arn:aws:iam::*:role/<deployment.roleName>.",
      }),
    workspaces: z.array(workspace).default([]),
    teams: z.array(team).default([]),
    controls,
    auditTrail: auditTrail.optional(),
  })
  .meta({ title: "Claude Platform on AWS governance baseline", description: "One organization's baseline: what it has and what it wants enforced." });

/** A config as the loader returns it: defaults applied, shape and syntax valid. */
export type BaselineConfig = z.output<typeof baselineConfigSchema>;
/** A config as a user writes it. */
export type BaselineConfigInput = z.input<typeof baselineConfigSchema>;
export type ControlsConfig = BaselineConfig["controls"];
export type ControlId = keyof ControlsConfig;
export type TeamConfig = BaselineConfig["teams"][number];
export type WorkspaceConfig = BaselineConfig["workspaces"][number];

/** The JSON Schema editors use; generated from the schema above, never edited by hand. */
export function baselineJsonSchema(): string {
  return JSON.stringify(z.toJSONSchema(baselineConfigSchema, { io: "input", unrepresentable: "any" }), null, 2) + "\n";
}
