/**
 * Tamper protection of the team roles, proven on the synthesized output of the sample org with
 * iam-simulate: every role a role stack creates carries the baseline's tag; the root SCPs deny an
 * administrator of any account every change to a role with that tag, and passing it, while the
 * deployment role keeps them; nobody else can create a role with the tag, add it or remove it; a
 * role without it is left alone; and the statements are the same for 3 teams or 300.
 */
import { dump, load } from "js-yaml";
import { TEAM_ROLE_TAG } from "../config/arns";
import { planBaseline } from "../policies/baseline";
import { Catalog } from "../policies/catalog";
import { ROLE_CHANGE_ACTIONS } from "../policies/scp/control";
import { scpChain, type ChainLevel } from "./harness/organization";
import { teamRoles, type TeamRoleView } from "../review/synthesized";
import { decide, type Principal } from "./harness/simulate";
import { configFromYaml, sampleConfig, sampleYaml, synthesize } from "./harness/synth";

const SANDBOX = "555555555555";
const admin = (account: string): Principal => ({ account, role: "Administrator" });
const deployer = (account: string): Principal => ({ account, role: "platform-governance-deployer" });
const TAG_CONTEXT = { [`aws:ResourceTag/${TEAM_ROLE_TAG.key}`]: TEAM_ROLE_TAG.value };

let roles: TeamRoleView[];
const chains = new Map<string, ChainLevel[]>();

beforeAll(async () => {
  const out = await synthesize(sampleConfig());
  try {
    const config = out.config;
    roles = ["roles-payments-prod", "roles-research-dev", "roles-sandbox"].flatMap((stack) => teamRoles(out.stack(stack)));
    for (const a of config.organization.accounts) chains.set(a.id, scpChain(config, out.stack("organization"), a.id));
  } finally {
    out.cleanup();
  }
});

/** The request context AWS builds for a call on this role: its tags as the synthesized role has them. */
function tagsOf(role: TeamRoleView): Record<string, string> {
  return Object.fromEntries(Object.entries((role.role.tags ?? {}) as Record<string, string>).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));
}

const CHANGES = ROLE_CHANGE_ACTIONS.filter((action) => action !== "iam:CreateRole");

test("every team role the role stacks create carries the baseline's tag", () => {
  expect(roles.length).toBe(5);
  for (const role of roles)
    expect({ role: role.roleArn, tag: (role.role.tags as Record<string, string>)[TEAM_ROLE_TAG.key] }).toEqual({ role: role.roleArn, tag: "team" });
});

test("an administrator of the role's account is denied every change to a team role, and passing it; the deployment role is not", async () => {
  expect(CHANGES).toEqual(expect.arrayContaining(["iam:UpdateAssumeRolePolicy", "iam:PassRole", "iam:DeleteRole", "iam:UntagRole", "iam:PutRolePolicy"]));
  for (const role of roles) {
    const chain = chains.get(role.account)!;
    for (const action of CHANGES) {
      const request = { action, resource: role.roleArn, context: tagsOf(role) };
      const byAdmin = await decide(chain, { principal: admin(role.account), ...request });
      expect({ role: role.roleArn, action, ...byAdmin }).toEqual({
        role: role.roleArn,
        action,
        result: "ExplicitlyDenied",
        deniedBy: expect.arrayContaining(["ProtectTeamRoles"]),
      });
      expect({ role: role.roleArn, action, ...(await decide(chain, { principal: deployer(role.account), ...request })) }).toMatchObject({
        role: role.roleArn,
        action,
        result: "Allowed",
      });
    }
  }
});

test("a role without the tag is not a team role: its administrator may change or delete it", async () => {
  const chain = chains.get(SANDBOX)!;
  for (const action of CHANGES) {
    const d = await decide(chain, { principal: admin(SANDBOX), action, resource: `arn:aws:iam::${SANDBOX}:role/payments-ai-inference-old` });
    expect({ action, ...d }).toMatchObject({ action, result: "Allowed" });
  }
});

describe("the tag means 'made by the baseline': only the deployment role can set or remove it", () => {
  const role = `arn:aws:iam::${SANDBOX}:role/anything`;
  const withKey = (key: string) => ({ "aws:TagKeys": [key], [`aws:RequestTag/${key}`]: "team" });

  test.each([TEAM_ROLE_TAG.key, TEAM_ROLE_TAG.key.toUpperCase(), "Claude-Platform-Baseline:Role"])("creating a role tagged %s is denied", async (key) => {
    const d = await decide(chains.get(SANDBOX)!, { principal: admin(SANDBOX), action: "iam:CreateRole", resource: role, context: withKey(key) });
    expect(d).toEqual({ result: "ExplicitlyDenied", deniedBy: ["ProtectTeamRoleTag"] });
  });

  test("adding the tag to a role is denied; removing it from a team role is denied", async () => {
    const chain = chains.get(SANDBOX)!;
    expect(await decide(chain, { principal: admin(SANDBOX), action: "iam:TagRole", resource: role, context: withKey(TEAM_ROLE_TAG.key) })).toEqual({
      result: "ExplicitlyDenied",
      deniedBy: ["ProtectTeamRoleTag"],
    });
    expect(
      await decide(chain, {
        principal: admin(SANDBOX),
        action: "iam:UntagRole",
        resource: role,
        context: { ...TAG_CONTEXT, "aws:TagKeys": [TEAM_ROLE_TAG.key] },
      }),
    ).toEqual({ result: "ExplicitlyDenied", deniedBy: expect.arrayContaining(["ProtectTeamRoles", "ProtectTeamRoleTag"]) });
  });

  test("near misses: other tags on other roles are the administrator's; the deployment role creates team roles with the tag", async () => {
    const chain = chains.get(SANDBOX)!;
    expect((await decide(chain, { principal: admin(SANDBOX), action: "iam:CreateRole", resource: role, context: withKey("team") })).result).toBe("Allowed");
    expect((await decide(chain, { principal: admin(SANDBOX), action: "iam:TagRole", resource: role, context: withKey("cost-centre") })).result).toBe("Allowed");
    expect((await decide(chain, { principal: deployer(SANDBOX), action: "iam:CreateRole", resource: role, context: withKey(TEAM_ROLE_TAG.key) })).result).toBe(
      "Allowed",
    );
  });
});

test("tamper protection is the same size for 3 teams or 300: the team roles take one tag, not one entry each", async () => {
  const catalog = await Catalog.load();
  const raw = load(sampleYaml()) as { teams: Array<Record<string, unknown>> };
  const sandboxTeam = raw.teams.find((t) => t.name === "security-audit")!;
  for (let i = 0; i < 297; i++)
    raw.teams.push({ ...sandboxTeam, name: `generated-${i}`, roleName: `generated-team-role-with-a-long-name-${i}`, accounts: [SANDBOX] });
  const protection = async (text: string) =>
    (await planBaseline(configFromYaml(text), catalog)).scps.documents.filter((d) => d.controlIds.includes("protectAuditTrail")).map((d) => d.content);
  const many = await protection(dump(raw, { lineWidth: -1 }));
  expect(many.length).toBeGreaterThan(0);
  expect(many).toEqual(await protection(sampleYaml()));
}, 60_000);
