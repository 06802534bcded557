/**
 * The scale bench's organization (scripts/scale-org.ts) at 1,000 teams: the shape the bench
 * promises, the same bytes every time, and a config the baseline accepts as it stands (no
 * problem, no warning) and plans within every AWS quota, so the bench measures a buildable
 * organization and every stack type and control has work in it.
 */
import { findWarnings } from "../config/warnings";
import { ACCESS_PROFILES, CONTROL_IDS } from "../config/schema";
import { planBaseline, type BaselinePlan } from "../policies/baseline";
import { scaleOrg, scaleOrgYaml } from "../scripts/scale-org";
import { quotaViolations } from "./harness/quotas";
import { configFromYaml } from "./harness/synth";

const TEAMS = 1_000;
const yaml = scaleOrgYaml(TEAMS);
const config = configFromYaml(yaml);
let plan: BaselinePlan;

beforeAll(async () => {
  plan = await planBaseline(config);
}, 60_000);

describe("the generated organization of 1,000 teams", () => {
  test("has the bench's shape: one account and three workspaces per team, a tenth as many OUs", () => {
    expect({
      teams: config.teams.length,
      teamAccounts: config.organization.accounts.filter((a) => a.name.startsWith("acct-")).length,
      workspaces: config.workspaces.length,
      ous: config.organization.organizationalUnits.length,
    }).toEqual({ teams: 1_000, teamAccounts: 1_000, workspaces: 3_000, ous: 100 });
  });

  test("gives every control and team setting work: protected workspaces admitting teams, sandbox rules, all and listed grants, every profile, console and API keys", () => {
    const protectedWorkspaces = config.workspaces.filter((w) => w.protection);
    expect(protectedWorkspaces.length).toBeGreaterThanOrEqual(20);
    expect(protectedWorkspaces.some((w) => w.protection!.allowedTeams.length > 0)).toBe(true);
    expect(config.controls.approvedWorkspacesOnly!.length).toBeGreaterThanOrEqual(5);
    expect(new Set(config.teams.map((t) => (t.workspaces === "all" ? "all" : "listed")))).toEqual(new Set(["all", "listed"]));
    expect(new Set(config.teams.flatMap((t) => t.access))).toEqual(new Set(ACCESS_PROFILES));
    expect(config.teams.some((t) => t.console === "developer") && config.teams.some((t) => t.apiKeys === "short-term")).toBe(true);
    expect(config.teams.some((t) => t.accounts.length > 1)).toBe(true);
    // The sample's controls, every one on, with the sample's defaults (tamper protection over the team roles included).
    expect(Object.keys(config.controls).sort()).toEqual(Object.keys(configFromYaml(scaleOrgYaml(10)).controls).sort());
    expect(config.controls.protectAuditTrail?.protectTeamRoles).toBe(true);
    expect(CONTROL_IDS.filter((id) => config.controls[id]).length).toBeGreaterThanOrEqual(8);
  });

  test("is the same bytes every time it is generated", () => {
    expect(scaleOrgYaml(TEAMS)).toBe(yaml);
    expect(scaleOrg(100)).toEqual(scaleOrg(100));
  });

  test("validates with no warning", () => {
    expect(findWarnings(config)).toEqual([]);
  });

  test("plans every stack within every AWS quota: an organization stack, an audit stack and one role stack per team account", () => {
    expect(quotaViolations(plan)).toEqual([]);
    expect(plan.roles.stacks.length).toBe(1_000);
    expect(plan.audit).toBeDefined();
    expect(plan.scps.documents.length).toBeGreaterThan(0);
  });

  test("refuses a size under one group of ten teams, in one line", () => {
    expect(() => scaleOrg(5)).toThrow("a scale organization needs a whole number of at least 10 teams");
  });
});
