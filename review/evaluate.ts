/**
 * Asks an independent evaluator (@cloud-copilot/iam-simulate) what a principal may do under an
 * account's SCP chain, its identity policies and its permissions boundary, and which statements
 * decided it. The principal is described once; the request context keys AWS would set for it
 * (aws:PrincipalArn, aws:PrincipalAccount, …) are derived here, so callers cannot get them out of
 * step. A review and test tool: the synthesized output never depends on it.
 */
import { runSimulation, type RequestAnalysis } from "@cloud-copilot/iam-simulate";
import type { ChainLevel } from "./synthesized";

export type Principal =
  { readonly account: string; readonly role: string; readonly path?: string } | { readonly account: string; readonly user: string; readonly path?: string };

export interface Request {
  readonly principal: Principal;
  readonly action: string;
  /** The resource ARN; `*` (the default) for actions that take no resource. */
  readonly resource?: string;
  readonly context?: Record<string, string | string[]>;
  /** Identity policies of the principal; an administrator (`*` on `*`) by default. */
  readonly identityPolicies?: ReadonlyArray<{ name: string; policy: unknown }>;
  /** The principal's permissions boundary, if it has one. */
  readonly permissionsBoundary?: { name: string; policy: unknown };
}

export type Result = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

export interface Evaluation {
  readonly result: Result;
  /** Sids of the SCP statements that denied the request, if any. */
  readonly deniedBy: string[];
  /**
   * What decided the result: the Sids of the denying statements (SCP, identity or boundary);
   * for an implicit deny, where no statement allowed; for an allow, the identity statements that
   * allowed it.
   */
  readonly decidedBy: string[];
}

export const ADMINISTRATOR = { name: "AdministratorAccess", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } };

export function principalArn(p: Principal): string {
  const path = p.path ? `${p.path.replace(/^\/|\/$/g, "")}/` : "";
  return "role" in p ? `arn:aws:iam::${p.account}:role/${path}${p.role}` : `arn:aws:iam::${p.account}:user/${path}${p.user}`;
}

/** What signs the request: a role session for roles, the user itself for users. */
function callerArn(p: Principal): string {
  return "role" in p ? `arn:aws:sts::${p.account}:assumed-role/${p.role}/session` : principalArn(p);
}

export function principalContext(p: Principal, orgId: string): Record<string, string> {
  return {
    "aws:PrincipalArn": principalArn(p),
    "aws:PrincipalAccount": p.account,
    "aws:PrincipalOrgID": orgId,
    "aws:PrincipalType": "role" in p ? "AssumedRole" : "User",
  };
}

/** The account a resource ARN lives in; for `*`, the caller's. */
function resourceAccount(resource: string, principal: Principal): string {
  const account = resource.split(":")[4];
  return account && /^\d{12}$/.test(account) ? account : principal.account;
}

interface AnalysedStatement {
  readonly policyId: string;
  readonly statement: { sid(): string | undefined; index(): number };
}

function sids(statements: readonly AnalysedStatement[] | undefined): string[] {
  return (statements ?? []).map((s) => s.statement.sid() ?? `${s.policyId}#${s.statement.index()}`);
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

export async function evaluate(chain: ChainLevel[], request: Request, orgId = "o-a1b2c3d4e5"): Promise<Evaluation> {
  const resource = request.resource ?? "*";
  const response = await runSimulation(
    {
      request: {
        principal: callerArn(request.principal),
        action: request.action,
        resource: { resource, accountId: resourceAccount(resource, request.principal) },
        contextVariables: { ...principalContext(request.principal, orgId), ...request.context },
      },
      identityPolicies: [...(request.identityPolicies ?? [ADMINISTRATOR])],
      serviceControlPolicies: chain,
      resourceControlPolicies: [],
      ...(request.permissionsBoundary ? { permissionBoundaryPolicies: [request.permissionsBoundary] } : {}),
    },
    {},
  );
  if (response.resultType === "error") throw new Error(`simulation rejected: ${JSON.stringify(response.errors)}`);
  // A key the evaluator does not know for this request is dropped, which can turn a condition into a silent non-match.
  const ignored = (response.resultType === "single" ? response.result.ignoredContextKeys : response.results.flatMap((r) => r.ignoredContextKeys ?? [])) ?? [];
  const asked = Object.keys(request.context ?? {}).map((k) => k.toLowerCase());
  const dropped = ignored.filter((k) => asked.includes(k.toLowerCase()));
  if (dropped.length > 0) throw new Error(`iam-simulate ignored context keys ${dropped.join(", ")} for ${request.action}`);
  const analysis = response.resultType === "single" ? response.result.analysis : response.results[0]?.analysis;
  const levels = analysis?.scpAnalysis?.ouAnalysis ?? [];
  const deniedBy = unique(levels.flatMap((level) => sids(level.denyStatements)));
  const result = response.overallResult;
  return { result, deniedBy, decidedBy: decisive(result, deniedBy, analysis) };
}

function decisive(result: Result, scpDenies: string[], analysis: RequestAnalysis | undefined): string[] {
  const identity = analysis?.identityAnalysis;
  const boundary = analysis?.permissionBoundaryAnalysis;
  if (result === "Allowed") return unique(sids(identity?.allowStatements));
  if (result === "ExplicitlyDenied") return unique([...scpDenies, ...sids(identity?.denyStatements), ...sids(boundary?.denyStatements)]);
  const missing = [
    ...(identity?.result === "ImplicitlyDenied" ? ["no Allow in its identity policies"] : []),
    ...(boundary?.result === "ImplicitlyDenied" ? ["no Allow in its permissions boundary"] : []),
    ...(analysis?.scpAnalysis?.ouAnalysis ?? [])
      .filter((level) => level.result === "ImplicitlyDenied")
      .map((level) => `no Allow in the SCPs at ${level.orgIdentifier}`),
  ];
  return missing;
}

/**
 * The chain with only the statements that can apply to `action`: each SCP statement whose
 * `Action` names no pattern matching it (wildcards and letter case as IAM reads them) is left out,
 * and a `NotAction` statement always stays. Levels and policies stay, so an SCP that allows nothing
 * still denies implicitly. Dropping a statement that cannot match changes no decision; it spares
 * the evaluator parsing hundreds of tamper-protection actions for every request.
 */
export function chainFor(chain: readonly ChainLevel[], action: string): ChainLevel[] {
  return chain.map((level) => ({
    orgIdentifier: level.orgIdentifier,
    policies: level.policies.map((p) => ({ name: p.name, policy: { ...p.policy, Statement: p.policy.Statement.filter((s) => mayApply(s, action)) } })),
  }));
}

const patterns = new Map<string, RegExp>();

function actionPattern(pattern: string): RegExp {
  let compiled = patterns.get(pattern);
  if (!compiled) {
    compiled = new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".")}$`,
      "i",
    );
    patterns.set(pattern, compiled);
  }
  return compiled;
}

function mayApply(statement: Record<string, unknown>, action: string): boolean {
  if (statement.Action === undefined) return true;
  const listed = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
  return listed.some((p) => typeof p !== "string" || actionPattern(p).test(action));
}
