/**
 * Identifier syntax for everything a config names. Each rule carries the message a user sees
 * when a value breaks it, so the schema, the validator and the docs all say the same thing.
 */

export interface IdentifierRule {
  readonly pattern: RegExp;
  /** Completes the sentence `"<value>" is not …`; says what a valid value looks like. */
  readonly expected: string;
}

function rule(pattern: RegExp, expected: string): IdentifierRule {
  return { pattern, expected };
}

export const ACCOUNT_ID = rule(/^\d{12}$/, 'an AWS account id; use the 12 digits, quoted in YAML ("111111111111")');
export const ROOT_ID = rule(/^r-[0-9a-z]{4,32}$/, "an organization root id; use r- followed by 4-32 lowercase letters or digits (r-a1b2)");
export const OU_ID = rule(
  /^ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}$/,
  "an organizational unit id; use ou-<root part>-<8-32 lowercase letters or digits> (ou-a1b2-work0001)",
);
export const ORG_ID = rule(/^o-[a-z0-9]{10,32}$/, "an organization id; use o- followed by 10-32 lowercase letters or digits (o-a1b2c3d4e5)");
export const WORKSPACE_ID = rule(/^wrkspc_[A-Za-z0-9]+$/, "a workspace id; use wrkspc_ followed by letters and digits (wrkspc_01PaymentsProd)");
/** Commercial, GovCloud, China and ISO region names, e.g. us-east-1, us-gov-west-1, cn-north-1, eu-central-2. */
export const REGION = rule(
  /^(us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov|us-iso|us-isob|eu-isoe)-(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d{1,2}$/,
  "an AWS region; use a region name such as us-east-1",
);
/** IAM role and user names: 1-64 characters of [\w+=,.@-]. */
export const IAM_ROLE_NAME = rule(/^[\w+=,.@-]{1,64}$/, "an IAM role name; use 1-64 letters, digits or +=,.@_-");
export const MANAGED_POLICY_NAME = rule(/^[\w+=,.@-]{1,128}$/, "an IAM managed policy name; use 1-128 letters, digits or +=,.@_- (AnthropicFullAccess)");
/** Role names that must still fit a prefix such as an SSO permission set's `AWSReservedSSO_<name>_`. */
export const PERMISSION_SET_NAME = rule(/^[\w+=,.@-]{1,32}$/, "a permission set name; use 1-32 letters, digits or +=,.@_-");
export const IAM_ROLE_ARN = rule(
  /^arn:aws(-cn|-us-gov|-iso|-iso-b)?:iam::\d{12}:role\/([\x21-\x7e]+\/)?[\w+=,.@-]{1,64}$/,
  "an IAM role ARN; use arn:aws:iam::<12-digit account>:role/<name>",
);
/**
 * A principal ARN pattern as `aws:PrincipalArn` sees it: an IAM role or user ARN in which the
 * account and the name may carry `*` or `?` (ArnLike). Session ARNs (sts assumed-role) are not
 * what `aws:PrincipalArn` holds for roles, so they are refused.
 */
export const PRINCIPAL_ARN_PATTERN = rule(
  /^arn:aws(-cn|-us-gov|-iso|-iso-b)?:iam::(\d{12}|\*):(role|user)\/[\w+=,.@\-/*?]{1,512}$/,
  "an IAM role or user ARN pattern; use arn:aws:iam::<account or *>:role/<name, * and ? allowed>",
);
export const EMAIL = rule(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, "an email address");
export const S3_BUCKET = rule(/^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "an S3 bucket name; use 3-63 lowercase letters, digits, dots or hyphens");
export const KMS_KEY_ARN = rule(
  /^arn:aws(-cn|-us-gov|-iso|-iso-b)?:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]{1,128}$/,
  "a KMS key ARN; use arn:aws:kms:<region>:<12-digit account>:key/<key id> (not an alias)",
);
/**
 * An expected user agent: a value CloudTrail records in userAgent, which may start and/or end with
 * `*` (CloudWatch Logs patterns accept a wildcard only there). No quote or backslash (the pattern
 * cannot carry one), no `*` inside.
 */
export const USER_AGENT_PATTERN = rule(
  /^\*?[^*"\\\s][^*"\\]{0,127}\*?$/,
  "a user agent pattern; use the agent's leading text with a trailing * (anthropic-sdk-python/*), no quote, backslash or * inside",
);
export const TRAIL_NAME = rule(/^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$/, "a CloudTrail trail name; use 3-128 letters, digits, ., _ or -");
export const LOG_GROUP_NAME = rule(/^[A-Za-z0-9_\-/.#]{1,512}$/, "a CloudWatch Logs group name; use 1-512 letters, digits or _-/.#");
export const SLUG = rule(/^[a-z][a-z0-9-]{0,31}$/, "a short name; use 1-32 lowercase letters, digits or hyphens, starting with a letter");
/**
 * The name of one rule of a list control (`approvedWorkspacesOnly`), shown in place of its position
 * (`approvedWorkspacesOnly[sandbox-only]`). It starts with a letter so that it can never read as
 * another rule's position (`approvedWorkspacesOnly[1]`).
 */
export const RULE_NAME = rule(/^[a-z][a-z0-9-]{0,62}$/, "a rule name; use 1-63 lowercase letters, digits or hyphens, starting with a letter (sandbox-only)");
/** Terraform state keys: no leading slash, no `..`, printable. */
export const STATE_KEY_PREFIX = rule(/^(?!\/)(?!.*\.\.)[\x21-\x7e]*$/, "an S3 key prefix; use printable characters, no leading / and no ..");

/**
 * An output's name, snake_case as Terraform modules name theirs, for other repositories to read
 * (`terraform_remote_state`, `terraform output -json`): `protectAuditTrail` → `protect_audit_trail`,
 * `ou-a1b2-work0001` → `ou_a1b2_work0001`. Team names that differ only in runs of
 * hyphens or a trailing one would share a name: config/validate.ts refuses them.
 */
export function snakeCase(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_|_$/g, "")
    .toLowerCase();
}
