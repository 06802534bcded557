/**
 * Asks iam-simulate whether a request is allowed by a resource policy (a bucket, key, topic or
 * role trust policy), optionally together with the caller's identity policies: for AWS service
 * principals (`cloudtrail.amazonaws.com`, which have no identity policies and are allowed only by
 * the resource policy) and for IAM roles and users, whose request context keys are derived here
 * as in simulate.ts. No SCPs: these tests prove what the audit account's own policies allow.
 *
 * Two guards keep a result from being right by accident:
 * - A context key iam-simulate does not know for the request is ignored by it, which can turn a
 *   condition into a silent non-match; any ignored key is an error here.
 * - iam-simulate 0.1.173 recognises variable condition keys only after a `/`
 *   (`aws:PrincipalTag/x`), so it ignores `kms:EncryptionContext:<key>` and every condition on it
 *   fails as "missing". The harness renames each such key, in the resource policy, the identity
 *   policies (a replication role's kms:Encrypt is conditioned on one) and the request alike,
 *   to a `/`-variable key iam-simulate evaluates with the same operator and values
 *   (`aws:PrincipalTag/kms-EncryptionContext-<key>`); nothing else about the policy changes.
 */
import { allowedContextKeysForRequest, anonymousPrincipal, runSimulation } from "@cloud-copilot/iam-simulate";
import { ADMINISTRATOR, principalArn, principalContext, type Principal } from "./simulate";

/** The key administrators' actions, stated here (for every key-policy test) independently of the code that writes them. */
export const KEY_ADMINISTRATION = [
  "kms:CancelKeyDeletion",
  "kms:CreateAlias",
  "kms:DeleteAlias",
  "kms:DescribeKey",
  "kms:DisableKey",
  "kms:EnableKey",
  "kms:EnableKeyRotation",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListGrants",
  "kms:ListKeyPolicies",
  "kms:ListResourceTags",
  "kms:PutKeyPolicy",
  "kms:RevokeGrant",
  "kms:ScheduleKeyDeletion",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:UpdateAlias",
  "kms:UpdateKeyDescription",
];

/** What the pull-request plan role may read of a key. */
export const KEY_DESCRIPTION = ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"];

export type Caller = { readonly service: string } | Principal | "anonymous";

export interface ResourceRequest {
  readonly caller: Caller;
  readonly action: string;
  readonly resource: string;
  /** The account that owns the resource; bucket ARNs carry none. */
  readonly resourceAccount: string;
  readonly context?: Record<string, string | string[]>;
  /** For IAM callers: their identity policies (an administrator by default). */
  readonly identityPolicies?: ReadonlyArray<{ name: string; policy: unknown }>;
}

export type Result = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

const ORG_ID = "o-a1b2c3d4e5";

function signer(caller: Exclude<Caller, "anonymous">): string {
  if ("service" in caller) return caller.service;
  return "role" in caller ? `arn:aws:sts::${caller.account}:assumed-role/${caller.role}/session` : principalArn(caller);
}

const ENCRYPTION_CONTEXT = /^kms:EncryptionContext:/i;
const contextAlias = (key: string) => key.replace(ENCRYPTION_CONTEXT, "aws:PrincipalTag/kms-EncryptionContext-");

/** The policy with every kms:EncryptionContext:<key> condition key renamed (see the file comment). */
function withEvaluableKeys(policy: unknown): unknown {
  const doc = policy as { Statement: Array<{ Condition?: Record<string, Record<string, unknown>> }> };
  return {
    ...doc,
    Statement: doc.Statement.map((statement) =>
      statement.Condition
        ? {
            ...statement,
            Condition: Object.fromEntries(
              Object.entries(statement.Condition).map(([operator, keys]) => [
                operator,
                Object.fromEntries(Object.entries(keys).map(([key, values]) => [contextAlias(key), values])),
              ]),
            ),
          }
        : statement,
    ),
  };
}

export async function decideOnResource(resourcePolicy: unknown, request: ResourceRequest): Promise<Result> {
  const caller = request.caller;
  const context = Object.fromEntries(Object.entries(request.context ?? {}).map(([key, value]) => [contextAlias(key), value]));
  const iam = caller !== "anonymous" && !("service" in caller);
  const response = await runSimulation(
    {
      request: {
        principal: caller === "anonymous" ? anonymousPrincipal : signer(caller),
        action: request.action,
        resource: { resource: request.resource, accountId: request.resourceAccount },
        contextVariables: {
          "aws:SecureTransport": "true",
          ...(iam ? principalContext(caller as Principal, ORG_ID) : {}),
          ...context,
        },
      },
      identityPolicies: iam ? (request.identityPolicies ?? [ADMINISTRATOR]).map(({ name, policy }) => ({ name, policy: withEvaluableKeys(policy) })) : [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: resourcePolicy === undefined ? undefined : withEvaluableKeys(resourcePolicy),
    },
    {},
  );
  if (response.resultType === "error") throw new Error(`simulation rejected: ${JSON.stringify(response.errors)}`);
  const ignored = response.resultType === "single" ? response.result.ignoredContextKeys : response.results.flatMap((r) => r.ignoredContextKeys ?? []);
  if (ignored && ignored.length > 0) throw new Error(`iam-simulate ignored context keys ${ignored.join(", ")} for ${request.action}`);
  return response.overallResult;
}

/** The context keys iam-simulate accepts for this action and resource (lower-cased comparison, `/`-variables by prefix). */
async function applicableContext(action: string, resource: string, context: Record<string, string | string[]>): Promise<Record<string, string | string[]>> {
  const [service, name] = action.split(":");
  const allowed = new Set(await allowedContextKeysForRequest(service, name, resource, false, undefined));
  const applies = (key: string) => {
    // An encryption-context key applies where the action takes kms:EncryptionContext:<key>, not everywhere its alias would.
    if (ENCRYPTION_CONTEXT.test(key)) return [...allowed].some((k) => k.startsWith("kms:encryptioncontext:"));
    const lower = key.toLowerCase();
    const slash = lower.indexOf("/");
    return allowed.has(lower) || (slash > 0 && [...allowed].some((k) => k.startsWith(lower.slice(0, slash + 1))));
  };
  return Object.fromEntries(Object.entries(context).filter(([key]) => applies(key)));
}

/**
 * Every action of `actions` the caller is allowed on `resourceFor(action)` (actions for which it
 * returns undefined are skipped), given every context key of `context` that applies to the action:
 * the most a caller that meets all the policy's conditions can do. For least-privilege proofs.
 */
export async function allowedActions(
  resourcePolicy: unknown,
  base: Omit<ResourceRequest, "action" | "resource">,
  actions: readonly string[],
  resourceFor: (action: string) => string | undefined,
): Promise<string[]> {
  const allowed: string[] = [];
  for (const action of actions) {
    const resource = resourceFor(action);
    if (resource === undefined) continue;
    const context = await applicableContext(action, resource, base.context ?? {});
    if ((await decideOnResource(resourcePolicy, { ...base, action, resource, context })) === "Allowed") allowed.push(action);
  }
  return allowed.sort();
}
