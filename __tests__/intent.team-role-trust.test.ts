/**
 * Who may assume each team role: `sts:AssumeRole` (and the session extras) evaluated by
 * iam-simulate against every synthesized trust policy. Only the team's IAM Identity Center
 * permission-set role of the same account, with or without the region segment, from inside the
 * organization; never a permission set whose name merely starts the same, a self-made role named
 * like the permission-set role, the account's administrators, IAM users, another account, or a
 * principal outside the organization.
 */
import { decideOnResource, type Caller } from "./harness/resource-policy";
import { teamRole, type TeamRoleView } from "./harness/roles";
import { configFromYaml, sampleConfig, sampleYaml, synthesize } from "./harness/synth";

const PAYMENTS = "333333333333";
const RESEARCH = "444444444444";
const SSO_PATH = "aws-reserved/sso.amazonaws.com";
const SUFFIX = "0a1b2c3d4e5f6a7b";
const STACK_OF: Record<string, string> = { "333333333333": "roles-payments-prod", "444444444444": "roles-research-dev", "555555555555": "roles-sandbox" };

/** The permission-set role Identity Center creates: at the reserved path, optionally under its region. */
const ssoRole = (account: string, permissionSet: string, region?: string): Caller => ({
  account,
  role: `AWSReservedSSO_${permissionSet}_${SUFFIX}`,
  path: region ? `${SSO_PATH}/${region}` : SSO_PATH,
});

interface RoleUnderTest {
  readonly team: string;
  readonly permissionSet: string;
  readonly account: string;
  readonly view: TeamRoleView;
}

let sampleRoles: RoleUnderTest[];

async function rolesOf(yaml?: string): Promise<RoleUnderTest[]> {
  const out = await synthesize(yaml ? configFromYaml(yaml) : sampleConfig());
  try {
    return out.config.teams.flatMap((team) =>
      team.accounts.map((account) => ({
        team: team.name,
        permissionSet: team.permissionSet,
        account,
        view: teamRole(out.stack(STACK_OF[account]), team.roleName),
      })),
    );
  } finally {
    out.cleanup();
  }
}

beforeAll(async () => {
  sampleRoles = await rolesOf();
});

async function assume(role: RoleUnderTest, caller: Caller, action = "sts:AssumeRole", context: Record<string, string | string[]> = {}) {
  return decideOnResource(role.view.trust, { caller, action, resource: role.view.roleArn, resourceAccount: role.account, context });
}

describe("each synthesized trust policy", () => {
  test("admits the team's permission-set role of the same account, with and without the region segment", async () => {
    expect(sampleRoles.length).toBe(5);
    for (const role of sampleRoles) {
      for (const region of [undefined, "eu-west-1", "us-west-2"]) {
        expect({ role: role.view.roleArn, region, result: await assume(role, ssoRole(role.account, role.permissionSet, region)) }).toEqual({
          role: role.view.roleArn,
          region,
          result: "Allowed",
        });
      }
    }
  });

  test.each([
    ["a permission set whose name merely starts the same", (r: RoleUnderTest) => ssoRole(r.account, `${r.permissionSet}Admin`)],
    ["a permission set whose name starts the same up to an underscore", (r: RoleUnderTest) => ssoRole(r.account, `${r.permissionSet}_Admin`)],
    ["the same, under a region segment", (r: RoleUnderTest) => ssoRole(r.account, `${r.permissionSet}_Admin`, "eu-west-1")],
    ["another team's permission set", (r: RoleUnderTest) => ssoRole(r.account, r.permissionSet === "ClaudeResearch" ? "ClaudePayments" : "ClaudeResearch")],
    [
      "a self-made role named like the permission-set role, at the root path",
      (r: RoleUnderTest) => ({ account: r.account, role: `AWSReservedSSO_${r.permissionSet}_${SUFFIX}` }),
    ],
    [
      "a self-made role named like it under a look-alike path",
      (r: RoleUnderTest) => ({ account: r.account, role: `AWSReservedSSO_${r.permissionSet}_${SUFFIX}`, path: "sso.amazonaws.com" }),
    ],
    ["the account's administrator role", (r: RoleUnderTest) => ({ account: r.account, role: "Administrator" })],
    ["the deployment role", (r: RoleUnderTest) => ({ account: r.account, role: "platform-governance-deployer" })],
    ["an IAM user", (r: RoleUnderTest) => ({ account: r.account, user: "admin" })],
    ["an IAM user named like the permission-set role", (r: RoleUnderTest) => ({ account: r.account, user: `AWSReservedSSO_${r.permissionSet}_${SUFFIX}` })],
    ["the team's permission-set role of another account", (r: RoleUnderTest) => ssoRole(r.account === PAYMENTS ? RESEARCH : PAYMENTS, r.permissionSet)],
    ["the team's permission-set role of the management account", (r: RoleUnderTest) => ssoRole("111111111111", r.permissionSet)],
    ["another team role", (r: RoleUnderTest) => ({ account: r.account, role: "research-ai-developer" })],
  ])("refuses %s", async (_name, callerFor) => {
    for (const role of sampleRoles) {
      const caller = callerFor(role);
      expect({ role: role.view.roleArn, caller, result: await assume(role, caller) }).toEqual({ role: role.view.roleArn, caller, result: "ImplicitlyDenied" });
    }
  });

  test("refuses the right permission-set role when it comes from outside the organization", async () => {
    for (const role of sampleRoles) {
      const result = await assume(role, ssoRole(role.account, role.permissionSet), "sts:AssumeRole", { "aws:PrincipalOrgID": "o-zzzzzzzzzz" });
      expect({ role: role.view.roleArn, result }).toEqual({ role: role.view.roleArn, result: "ImplicitlyDenied" });
    }
  });

  test("the sample's roles take no source identity or session tags, and last at most one hour", async () => {
    for (const role of sampleRoles) {
      const caller = ssoRole(role.account, role.permissionSet);
      expect(await assume(role, caller, "sts:SetSourceIdentity", { "sts:SourceIdentity": "alice" })).toBe("ImplicitlyDenied");
      expect(await assume(role, caller, "sts:TagSession", { "aws:RequestTag/project": "x", "aws:TagKeys": ["project"] })).toBe("ImplicitlyDenied");
      expect(role.view.role.max_session_duration).toBe(3600);
    }
  });
});

describe("sourceIdentity and sessionTags", () => {
  test("add sts:SetSourceIdentity and sts:TagSession for the same permission-set role only", async () => {
    const yaml = sampleYaml().replace(
      "    permissionSet: ClaudePayments\n",
      "    permissionSet: ClaudePayments\n    sourceIdentity: true\n    sessionTags: true\n",
    );
    const payments = (await rolesOf(yaml)).find((r) => r.team === "payments")!;
    const right = ssoRole(PAYMENTS, "ClaudePayments", "eu-west-1");
    expect(await assume(payments, right, "sts:SetSourceIdentity", { "sts:SourceIdentity": "alice" })).toBe("Allowed");
    expect(await assume(payments, right, "sts:TagSession", { "aws:RequestTag/project": "x", "aws:TagKeys": ["project"] })).toBe("Allowed");
    const wrong = { account: PAYMENTS, role: "Administrator" };
    expect(await assume(payments, wrong, "sts:SetSourceIdentity", { "sts:SourceIdentity": "alice" })).toBe("ImplicitlyDenied");
    expect(await assume(payments, wrong, "sts:TagSession", { "aws:RequestTag/project": "x", "aws:TagKeys": ["project"] })).toBe("ImplicitlyDenied");
  });
});
