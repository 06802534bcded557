/**
 * Intents of the team role stacks, proven on the synthesized output of the sample org with
 * iam-simulate: each team role's access policy and permissions boundary under its account's SCP
 * chain, as AWS evaluates them. The expected actions are written out here from sample-org.md and
 * the issue, not read from the profiles, so a profile that grants one action too many or too few
 * fails. Near misses: another workspace in the same account, the content gets, long-term tokens,
 * an admin console, IAM writes, and the boundary after AdministratorAccess is attached.
 */
import { Catalog, CLAUDE_SERVICE } from "../policies/catalog";
import { FULL_AWS_ACCESS, scpChain, type ChainLevel } from "./harness/organization";
import { teamRole, type TeamRoleView } from "./harness/roles";
import { ADMINISTRATOR, decide, type Decision, type Principal } from "./harness/simulate";
import { sampleConfig, synthesize } from "./harness/synth";

const PAYMENTS = "333333333333";
const RESEARCH = "444444444444";
const SANDBOX = "555555555555";
const claude = (...actions: string[]) => actions.map((a) => `${CLAUDE_SERVICE}:${a}`);
const workspace = (id: string, account: string, region: string) => `arn:aws:aws-external-anthropic:${region}:${account}:workspace/${id}`;
const PAYMENTS_PROD = workspace("wrkspc_01PaymentsProd", PAYMENTS, "us-east-1");
const RESEARCH_DEV = workspace("wrkspc_01ResearchDev", RESEARCH, "us-west-2");
const SANDBOX_PLAY = workspace("wrkspc_01SandboxPlay", SANDBOX, "us-east-1");

const STACK_OF: Record<string, string> = { [PAYMENTS]: "roles-payments-prod", [RESEARCH]: "roles-research-dev", [SANDBOX]: "roles-sandbox" };

/** What sample-org.md gives each team on its workspaces, spelled out. */
const EXPECTED_WORKSPACE_ACTIONS = {
  payments: claude(
    "CreateInference",
    "CountTokens",
    "ListModels",
    "GetModel",
    "CreateBatchInference",
    "ListBatchInferences",
    "GetBatchInference",
    "CancelBatchInference",
    "DeleteBatchInference",
  ),
  research: claude(
    "CreateInference",
    "CountTokens",
    "ListModels",
    "GetModel",
    "CreateAgent",
    "GetAgent",
    "ListAgents",
    "UpdateAgent",
    "ArchiveAgent",
    "CreateSession",
    "GetSession",
    "ListSessions",
    "UpdateSession",
    "ArchiveSession",
    "DeleteSession",
    "CreateEnvironment",
    "GetEnvironment",
    "ListEnvironments",
    "UpdateEnvironment",
    "ArchiveEnvironment",
    "DeleteEnvironment",
    "CreateSkill",
    "GetSkill",
    "ListSkills",
    "UpdateSkill",
    "DeleteSkill",
    "CreateFile",
    "GetFile",
    "ListFiles",
    "DeleteFile",
    "CreateMemoryStore",
    "GetMemoryStore",
    "ListMemoryStores",
    "UpdateMemoryStore",
    "ArchiveMemoryStore",
    "DeleteMemoryStore",
  ),
  "security-audit": claude(
    "ListAgents",
    "ListBatchInferences",
    "ListEnvironments",
    "ListFiles",
    "ListMemoryStores",
    "ListModels",
    "ListSessions",
    "ListSkills",
    "ListUserProfiles",
    "ListVaults",
    "ListWebhooks",
    "ListTagsForResource",
    "GetWorkspace",
    "GetModel",
    "GetEnvironment",
  ),
};
/** The gets that return content or secrets (or may): never for a metadata reader. */
const CONTENT_GETS = claude("GetFile", "GetSkill", "GetSession", "GetMemoryStore", "GetBatchInference", "GetVault", "GetUserProfile", "GetAgent", "GetWebhook");

/** Actions outside Claude Platform an administrator would have: none may reach a team role. */
const OTHER_SERVICES: Array<[string, string]> = [
  ["iam:CreateUser", "arn:aws:iam::ACCOUNT:user/intruder"],
  ["iam:AttachRolePolicy", "arn:aws:iam::ACCOUNT:role/ROLE"],
  ["iam:PutRolePolicy", "arn:aws:iam::ACCOUNT:role/ROLE"],
  ["iam:DeleteRolePermissionsBoundary", "arn:aws:iam::ACCOUNT:role/ROLE"],
  ["iam:UpdateAssumeRolePolicy", "arn:aws:iam::ACCOUNT:role/ROLE"],
  ["iam:CreatePolicyVersion", "arn:aws:iam::ACCOUNT:policy/claude-platform-baseline/ROLE-boundary"],
  ["iam:PassRole", "arn:aws:iam::ACCOUNT:role/ROLE"],
  ["iam:CreateServiceSpecificCredential", "arn:aws:iam::ACCOUNT:user/intruder"],
  ["sts:AssumeRole", "arn:aws:iam::ACCOUNT:role/Administrator"],
  ["s3:GetObject", "arn:aws:s3:::some-bucket/key"],
  ["bedrock:InvokeModel", "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude"],
];

/** The request context a well-formed call of each resource-less Claude action carries. */
const RESOURCELESS_CONTEXT: Record<string, Record<string, string>> = {
  [`${CLAUDE_SERVICE}:AssumeConsole`]: { [`${CLAUDE_SERVICE}:Capability`]: "developer" },
  [`${CLAUDE_SERVICE}:CallWithBearerToken`]: { [`${CLAUDE_SERVICE}:BearerTokenType`]: "SHORT_TERM" },
};
const GATEWAY_TOKEN_CONTEXT = { "sts:IdentityTokenAudience": ["https://api.anthropic.com"], "aws:CalledViaLast": "aws-external-anthropic.amazonaws.com" };

let chains: Map<string, ChainLevel[]>;
let roles: Map<string, TeamRoleView>;
let workspaceActions: string[];
let resourcelessActions: string[];

beforeAll(async () => {
  const out = await synthesize(sampleConfig());
  try {
    chains = new Map([PAYMENTS, RESEARCH, SANDBOX].map((a) => [a, scpChain(out.config, out.stack("organization"), a)]));
    roles = new Map();
    for (const team of out.config.teams) {
      for (const account of team.accounts) roles.set(`${team.name}@${account}`, teamRole(out.stack(STACK_OF[account]), team.roleName));
    }
  } finally {
    out.cleanup();
  }
  const catalog = await Catalog.load();
  const all = catalog.actionsOf(CLAUDE_SERVICE);
  workspaceActions = all.filter((a) => a.resourceTypes.length > 0).map((a) => a.name);
  resourcelessActions = all.filter((a) => a.resourceTypes.length === 0).map((a) => a.name);
});

function roleOf(team: string, account: string): TeamRoleView {
  const found = roles.get(`${team}@${account}`);
  if (!found) throw new Error(`no role for ${team} in ${account}`);
  return found;
}

const roleNameOf = (team: string, account: string): string => roleOf(team, account).roleArn.split("/").pop()!;
const principalOf = (team: string, account: string): Principal => ({ account, role: roleNameOf(team, account) });

/** The role's decision under its account's SCPs, its access policy and its boundary (plus any extra identity policy). */
async function asRole(
  team: string,
  account: string,
  action: string,
  resource = "*",
  context: Record<string, string | string[]> = {},
  extra: Array<{ name: string; policy: unknown }> = [],
  chain: ChainLevel[] = chains.get(account)!,
): Promise<Decision> {
  const role = roleOf(team, account);
  return decide(chain, {
    principal: principalOf(team, account),
    action,
    resource,
    context,
    identityPolicies: [...role.identityPolicies, ...extra],
    permissionsBoundary: role.permissionsBoundary,
  });
}

async function allowedOn(team: string, account: string, resource: string, extra: Array<{ name: string; policy: unknown }> = []): Promise<string[]> {
  const allowed: string[] = [];
  for (const action of workspaceActions) if ((await asRole(team, account, action, resource, {}, extra)).result === "Allowed") allowed.push(action);
  return allowed.sort();
}

async function allowedWithoutResource(team: string, account: string, extra: Array<{ name: string; policy: unknown }> = []): Promise<string[]> {
  const allowed: string[] = [];
  for (const action of resourcelessActions)
    if ((await asRole(team, account, action, "*", RESOURCELESS_CONTEXT[action] ?? {}, extra)).result === "Allowed") allowed.push(action);
  return allowed.sort();
}

const sorted = (values: string[]) => [...values].sort();

describe("payments (payments-ai-inference in 333333333333): synchronous and batch inference on wrkspc_01PaymentsProd, SigV4 only", () => {
  test("on its protected workspace it may do exactly inference and batch inference (the SCP allow-list admits it)", async () => {
    expect(await allowedOn("payments", PAYMENTS, PAYMENTS_PROD)).toEqual(sorted(EXPECTED_WORKSPACE_ACTIONS.payments));
  });

  test("near miss: another workspace in the same account, and its own workspace id in another region, are denied", async () => {
    expect(await allowedOn("payments", PAYMENTS, workspace("wrkspc_01PaymentsOther", PAYMENTS, "us-east-1"))).toEqual([]);
    expect(await allowedOn("payments", PAYMENTS, workspace("wrkspc_01PaymentsProd", PAYMENTS, "us-west-2"))).toEqual([]);
  });

  test("no API keys, no console, no account-wide action", async () => {
    expect(await allowedWithoutResource("payments", PAYMENTS)).toEqual([]);
    for (const type of ["SHORT_TERM", "LONG_TERM"]) {
      const d = await asRole("payments", PAYMENTS, `${CLAUDE_SERVICE}:CallWithBearerToken`, "*", { [`${CLAUDE_SERVICE}:BearerTokenType`]: type });
      expect({ type, result: d.result }).toEqual({ type, result: type === "LONG_TERM" ? "ExplicitlyDenied" : "ImplicitlyDenied" });
    }
  });
});

describe("research (research-ai-developer in 444444444444): inference and Managed Agents development, console as developer, short-term keys", () => {
  test("on wrkspc_01ResearchDev it may do exactly inference and agent development", async () => {
    expect(await allowedOn("research", RESEARCH, RESEARCH_DEV)).toEqual(sorted(EXPECTED_WORKSPACE_ACTIONS.research));
  });

  test("never workspace settings, vaults, webhooks, user profiles, batch or the self-hosted worker action", async () => {
    for (const action of claude(
      "UpdateWorkspace",
      "ArchiveWorkspace",
      "TagResource",
      "CreateVault",
      "GetVault",
      "CreateWebhook",
      "CreateUserProfile",
      "CreateBatchInference",
      "ProcessEnvironmentWork",
    )) {
      expect({ action, result: (await asRole("research", RESEARCH, action, RESEARCH_DEV)).result }).toEqual({ action, result: "ImplicitlyDenied" });
    }
  });

  test("of the actions that take no workspace, only short-term bearer tokens and the developer console", async () => {
    expect(await allowedWithoutResource("research", RESEARCH)).toEqual(sorted(claude("AssumeConsole", "CallWithBearerToken")));
    expect((await asRole("research", RESEARCH, "aws-external-anthropic:CreateWorkspace")).result).toBe("ImplicitlyDenied");
  });

  test("near miss: a long-term token and the admin console are denied", async () => {
    const longTerm = await asRole("research", RESEARCH, `${CLAUDE_SERVICE}:CallWithBearerToken`, "*", { [`${CLAUDE_SERVICE}:BearerTokenType`]: "LONG_TERM" });
    expect(longTerm.result).toBe("ExplicitlyDenied");
    const admin = await asRole("research", RESEARCH, `${CLAUDE_SERVICE}:AssumeConsole`, "*", { [`${CLAUDE_SERVICE}:Capability`]: "admin" });
    expect(admin.result).not.toBe("Allowed");
    const none = await asRole("research", RESEARCH, `${CLAUDE_SERVICE}:AssumeConsole`);
    expect(none.result).not.toBe("Allowed");
  });
});

describe("security-audit (security-audit-ai-reader in three accounts): metadata only, in every workspace of each account", () => {
  test.each([
    ["the protected payments workspace", PAYMENTS, PAYMENTS_PROD],
    ["the research workspace", RESEARCH, RESEARCH_DEV],
    ["the sandbox workspace", SANDBOX, SANDBOX_PLAY],
    ["a workspace of the research account the config does not declare", RESEARCH, workspace("wrkspc_01Undeclared", RESEARCH, "eu-west-1")],
  ])("on %s it may list and read metadata, and nothing else", async (_name, account, resource) => {
    expect(await allowedOn("security-audit", account, resource)).toEqual(sorted(EXPECTED_WORKSPACE_ACTIONS["security-audit"]));
  });

  test("it can list files but never download one, nor read skills, agent prompts, sessions, memories, batch results, vaults, webhooks or user profiles", async () => {
    for (const [account, resource] of [
      [PAYMENTS, PAYMENTS_PROD],
      [RESEARCH, RESEARCH_DEV],
      [SANDBOX, SANDBOX_PLAY],
    ]) {
      expect((await asRole("security-audit", account, `${CLAUDE_SERVICE}:ListFiles`, resource)).result).toBe("Allowed");
      for (const action of CONTENT_GETS)
        expect({ account, action, result: (await asRole("security-audit", account, action, resource)).result }).toEqual({
          account,
          action,
          result: "ImplicitlyDenied",
        });
    }
  });

  test("in the sandbox, the approved-workspaces SCP still holds: an unapproved workspace is denied", async () => {
    const d = await asRole("security-audit", SANDBOX, `${CLAUDE_SERVICE}:ListFiles`, workspace("wrkspc_01SandboxOther", SANDBOX, "us-east-1"));
    expect(d.result).toBe("ExplicitlyDenied");
  });

  test("of the actions that take no workspace, only ListWorkspaces", async () => {
    for (const account of [PAYMENTS, RESEARCH, SANDBOX]) expect(await allowedWithoutResource("security-audit", account)).toEqual(claude("ListWorkspaces"));
  });

  test("a workspace of another account is denied (the role's grants name its own account)", async () => {
    expect(await allowedOn("security-audit", RESEARCH, workspace("wrkspc_01Foreign", "999999999999", "us-east-1"))).toEqual([]);
  });
});

describe("every team role", () => {
  const everyRole = () => [...roles.keys()].map((key) => key.split("@") as [string, string]);

  test("may get the gateway's web identity token only for Anthropic's audiences and only through the service, and tag it", async () => {
    for (const [team, account] of everyRole()) {
      const call = (context: Record<string, string | string[]>) => asRole(team, account, "sts:GetWebIdentityToken", "*", context).then((d) => d.result);
      expect(await call(GATEWAY_TOKEN_CONTEXT)).toBe("Allowed");
      expect(await call({ ...GATEWAY_TOKEN_CONTEXT, "sts:IdentityTokenAudience": ["https://platform.claude.com"] })).toBe("Allowed");
      expect(await call({ ...GATEWAY_TOKEN_CONTEXT, "sts:IdentityTokenAudience": ["https://attacker.example.com"] })).toBe("ImplicitlyDenied");
      expect(await call({ ...GATEWAY_TOKEN_CONTEXT, "sts:IdentityTokenAudience": ["https://api.anthropic.com", "https://attacker.example.com"] })).toBe(
        "ImplicitlyDenied",
      );
      expect(await call({ "sts:IdentityTokenAudience": ["https://api.anthropic.com"] })).toBe("ImplicitlyDenied");
      expect(await call({ ...GATEWAY_TOKEN_CONTEXT, "aws:CalledViaLast": "lambda.amazonaws.com" })).toBe("ImplicitlyDenied");
      expect((await asRole(team, account, "sts:TagGetWebIdentityToken")).result).toBe("Allowed");
    }
  });

  test("can do nothing in IAM or any other service, by its own policies (no SCP needed) and under the SCPs", async () => {
    const noScps: ChainLevel[] = [{ orgIdentifier: "r-a1b2", policies: [FULL_AWS_ACCESS] }];
    for (const [team, account] of everyRole()) {
      const roleName = roleNameOf(team, account);
      for (const [action, pattern] of OTHER_SERVICES) {
        const resource = pattern.replace("ACCOUNT", account).replace("ROLE", roleName);
        expect({ team, account, action, result: (await asRole(team, account, action, resource, {}, [], noScps)).result }).toEqual({
          team,
          account,
          action,
          result: "ImplicitlyDenied",
        });
        expect({ team, account, action, allowed: (await asRole(team, account, action, resource)).result === "Allowed" }).toEqual({
          team,
          account,
          action,
          allowed: false,
        });
      }
    }
  });

  test("the boundary holds: with AdministratorAccess attached the role can do exactly what it could before", async () => {
    const cases: Array<[string, string, string]> = [
      ["payments", PAYMENTS, PAYMENTS_PROD],
      ["research", RESEARCH, RESEARCH_DEV],
      ["security-audit", SANDBOX, SANDBOX_PLAY],
    ];
    for (const [team, account, resource] of cases) {
      expect(await allowedOn(team, account, resource, [ADMINISTRATOR])).toEqual(await allowedOn(team, account, resource));
      expect(await allowedWithoutResource(team, account, [ADMINISTRATOR])).toEqual(await allowedWithoutResource(team, account));
      const noScps: ChainLevel[] = [{ orgIdentifier: "r-a1b2", policies: [FULL_AWS_ACCESS] }];
      for (const [action, pattern] of OTHER_SERVICES) {
        const resourceArn = pattern.replace("ACCOUNT", account).replace("ROLE", roleNameOf(team, account));
        expect({ team, action, result: (await asRole(team, account, action, resourceArn, {}, [ADMINISTRATOR], noScps)).result }).toEqual({
          team,
          action,
          result: "ImplicitlyDenied",
        });
      }
    }
  });

  test("without its boundary, AdministratorAccess would grant more: the boundary is what holds", async () => {
    const role = roleOf("payments", PAYMENTS);
    const d = await decide(chains.get(PAYMENTS)!, {
      principal: principalOf("payments", PAYMENTS),
      action: `${CLAUDE_SERVICE}:UpdateSkill`,
      resource: PAYMENTS_PROD,
      identityPolicies: [...role.identityPolicies, ADMINISTRATOR],
    });
    expect(d.result).toBe("Allowed");
  });
});
