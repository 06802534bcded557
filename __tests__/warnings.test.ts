/**
 * Configs that cannot mean what they say: each case is built from the sample org by a small edit,
 * with a near miss that must pass clean. Errors (validate.ts) make loading fail; warnings
 * (warnings.ts) leave the config valid and say which part can have no effect. For the
 * approvedWorkspacesOnly and console cases, the synthesized SCPs are simulated to show the message
 * tells the truth: the flagged request really is denied, the near miss really is allowed.
 */
import { load as parseYaml } from "js-yaml";
import * as v from "valibot";
import { ConfigError, parseConfig } from "../config/load";
import { baselineConfigSchema, type BaselineConfig } from "../config/schema";
import { findWarnings } from "../config/warnings";
import { validateMeaning } from "../config/validate";
import { CLAUDE_SERVICE } from "../policies/catalog";
import { scpChain } from "./harness/organization";
import { teamRole } from "./harness/roles";
import { decide } from "./harness/simulate";
import { sampleConfig, sampleYaml, synthesize } from "./harness/synth";

const MANAGEMENT = "111111111111";
const PAYMENTS = "333333333333";
const RESEARCH = "444444444444";
const SANDBOX = "555555555555";

/** The sample with each `from` replaced by `to`; fails loudly if `from` is not in the text. */
function edited(...edits: Array<[string, string]>): string {
  return edits.reduce((text, [from, to]) => {
    if (!text.includes(from)) throw new Error(`the sample config has no ${JSON.stringify(from)}`);
    return text.replace(from, to);
  }, sampleYaml());
}

const line = (p: { path: string; message: string }) => `${p.path}: ${p.message}`;

/** The warnings of a config that must load. */
function warningsOf(text: string): string[] {
  return findWarnings(parseConfig(text, "test.yaml")).map(line);
}

/** The errors of a config that must be refused. */
function errorsOf(text: string): string[] {
  try {
    parseConfig(text, "test.yaml");
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map(line);
    throw error;
  }
  throw new Error("expected the config to be rejected");
}

/** Errors at one path (a config may have others), empty when it loads. */
function errorsAt(text: string, path: string): string[] {
  try {
    parseConfig(text, "test.yaml");
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.filter((p) => p.path === path).map(line);
  }
}

/** A config with valid shape whose meaning checks are skipped: to synthesize what an erroneous config would deploy. */
function unvalidated(text: string): BaselineConfig {
  return v.parse(baselineConfigSchema, parseYaml(text));
}

/** A workspace declared in `account`, appended to the workspaces list. */
function extraWorkspace(id: string, account: string, protection = ""): [string, string] {
  return ["\nteams:\n", `  - id: ${id}\n    account: "${account}"\n    region: us-east-1\n${protection}\nteams:\n`];
}

test("the sample organization has no warnings", () => {
  expect(findWarnings(sampleConfig())).toEqual([]);
});

describe("1. an account trail cannot see other accounts", () => {
  const accountTrail: [string, string] = ["organizationTrail: true", "organizationTrail: false"];
  const listed = (ids: string): [string, string] => ["dataEvents:\n    workspaces: all", `dataEvents:\n    workspaces: [${ids}]`];

  test("warns for listed data events, per-workspace alarms of other accounts, and the scp-changes alarm", () => {
    expect(warningsOf(edited(accountTrail, listed("wrkspc_01PaymentsProd")))).toEqual([
      "auditTrail.dataEvents.workspaces[0]: wrkspc_01PaymentsProd is in account 333333333333, but the account trail of 222222222222 records only its own account's events, so none of its data events are logged; set auditTrail.organizationTrail: true, or drop it from the list",
      "auditTrail.organizationTrail: the alarms protected-workspace-access-denied and protected-workspace-changes of wrkspc_01PaymentsProd (account 333333333333) can never fire: the account trail of 222222222222 does not see that account's events; set auditTrail.organizationTrail: true",
      "auditTrail.organizationTrail: the alarm scp-changes cannot see the policy changes made in the management account 111111111111 (where the organization stack applies them): the account trail of 222222222222 records only its own account; set auditTrail.organizationTrail: true",
    ]);
  });

  test("near miss: an account trail in the workspace's own account warns only about the management account's events", () => {
    expect(
      warningsOf(edited(accountTrail, listed("wrkspc_01PaymentsProd"), ['account: "222222222222"\n  homeRegion', `account: "${PAYMENTS}"\n  homeRegion`])),
    ).toEqual([expect.stringMatching(/^auditTrail\.organizationTrail: the alarm scp-changes cannot see the policy changes made in the management account/)]);
    expect(warningsOf(edited(accountTrail, ['account: "222222222222"\n  homeRegion', `account: "${MANAGEMENT}"\n  homeRegion`]))).toEqual([
      expect.stringMatching(/^auditTrail\.organizationTrail: the alarms protected-workspace-access-denied .* of wrkspc_01PaymentsProd/),
    ]);
  });

  test("near miss: an organization trail sees every account", () => {
    expect(warningsOf(edited(listed("wrkspc_01PaymentsProd, wrkspc_01ResearchDev")))).toEqual([]);
  });
});

describe("2. approvedWorkspacesOnly against the teams' grants", () => {
  const overWorkloads = (ids: string): [string, string] => [
    "  - attachTo: [ou-a1b2-sand0001]\n      workspaces: [wrkspc_01SandboxPlay]",
    `  - attachTo: [ou-a1b2-work0001]\n      workspaces: [${ids}]`,
  ];
  const scratch = extraWorkspace("wrkspc_01ResearchScratch", RESEARCH);
  const RESEARCH_DEV = `arn:aws:${CLAUDE_SERVICE}:us-west-2:${RESEARCH}:workspace/wrkspc_01ResearchDev`;
  const RESEARCH_SCRATCH = `arn:aws:${CLAUDE_SERVICE}:us-east-1:${RESEARCH}:workspace/wrkspc_01ResearchScratch`;

  /** Synthesizes `text` (validated or not) and asks whether `team`'s role in `account` may call `action` on `resource`. */
  async function asTeam(text: string, team: string, account: string, stack: string, action: string, resource: string) {
    const out = await synthesize(unvalidated(text));
    try {
      const role = teamRole(out.stack(stack), out.config.teams.find((t) => t.name === team)!.roleName);
      return await decide(scpChain(out.config, out.stack("organization"), account), {
        principal: { account, role: role.roleName },
        action,
        resource,
        identityPolicies: role.identityPolicies,
        permissionsBoundary: role.permissionsBoundary,
      });
    } finally {
      out.cleanup();
    }
  }

  test("a workspace granted by id that a covering rule does not approve is an error naming the rule and the fix", () => {
    expect(errorsOf(edited(overWorkloads("wrkspc_01PaymentsProd")))).toEqual([
      "teams[1].workspaces[0]: team research is granted wrkspc_01ResearchDev, but controls.approvedWorkspacesOnly[0] (attached to ou-a1b2-work0001, over account 444444444444) does not approve it, so arn:aws:iam::444444444444:role/research-ai-developer is denied every action on it; add wrkspc_01ResearchDev to controls.approvedWorkspacesOnly[0].workspaces, or drop it from the team",
    ]);
  });

  test("…and the synthesized SCPs do deny it; near miss: approved, it is allowed", async () => {
    const inference = `${CLAUDE_SERVICE}:CreateInference`;
    const denied = await asTeam(edited(overWorkloads("wrkspc_01PaymentsProd")), "research", RESEARCH, "roles-research-dev", inference, RESEARCH_DEV);
    expect(denied).toEqual({ result: "ExplicitlyDenied", deniedBy: ["DenyUnapprovedWorkspaces"] });
    const nearMiss = edited(overWorkloads("wrkspc_01PaymentsProd, wrkspc_01ResearchDev"));
    expect(errorsAt(nearMiss, "teams[1].workspaces[0]")).toEqual([]);
    expect((await asTeam(nearMiss, "research", RESEARCH, "roles-research-dev", inference, RESEARCH_DEV)).result).toBe("Allowed");
  });

  test("a workspace reached by `all` that a covering rule does not approve is a warning", () => {
    expect(warningsOf(edited(scratch, overWorkloads("wrkspc_01PaymentsProd, wrkspc_01ResearchDev")))).toEqual([
      "teams[2].workspaces: team security-audit is granted all workspaces of account 444444444444, but controls.approvedWorkspacesOnly[0] does not approve wrkspc_01ResearchScratch there, so the team's role can never use it; add wrkspc_01ResearchScratch to controls.approvedWorkspacesOnly[0].workspaces, or grant the team its workspaces by id",
    ]);
    expect(warningsOf(edited(scratch, overWorkloads("wrkspc_01PaymentsProd, wrkspc_01ResearchDev, wrkspc_01ResearchScratch")))).toEqual([]);
  });

  test("…and the synthesized SCPs do deny it; near miss: approved, it is allowed", async () => {
    const get = `${CLAUDE_SERVICE}:GetWorkspace`;
    const warned = edited(scratch, overWorkloads("wrkspc_01PaymentsProd, wrkspc_01ResearchDev"));
    expect(await asTeam(warned, "security-audit", RESEARCH, "roles-research-dev", get, RESEARCH_SCRATCH)).toEqual({
      result: "ExplicitlyDenied",
      deniedBy: ["DenyUnapprovedWorkspaces"],
    });
    const nearMiss = edited(scratch, overWorkloads("wrkspc_01PaymentsProd, wrkspc_01ResearchDev, wrkspc_01ResearchScratch"));
    expect((await asTeam(nearMiss, "security-audit", RESEARCH, "roles-research-dev", get, RESEARCH_SCRATCH)).result).toBe("Allowed");
  });

  test("near miss: the management account is never covered, even by a rule on the root", () => {
    const config = unvalidated(
      edited(
        ["  - attachTo: [ou-a1b2-sand0001]", "  - attachTo: [r-a1b2]"],
        ["workspaces: [wrkspc_01SandboxPlay]\n", "workspaces: [wrkspc_01SandboxPlay, wrkspc_01PaymentsProd, wrkspc_01ResearchDev]\n"],
        extraWorkspace("wrkspc_01ManagementOnly", MANAGEMENT),
        ['accounts: ["333333333333", "444444444444", "555555555555"]', `accounts: ["${MANAGEMENT}", "333333333333", "444444444444", "555555555555"]`],
      ),
    );
    const problems = validateMeaning(config).map(line);
    expect(problems.filter((p) => p.includes("ManagementOnly"))).toEqual([]);
  });

  test("a rule approving a workspace of an account it does not cover warns; near miss: its own account's workspace", () => {
    expect(warningsOf(edited(["workspaces: [wrkspc_01SandboxPlay]\n", "workspaces: [wrkspc_01SandboxPlay, wrkspc_01PaymentsProd]\n"]))).toEqual([
      "controls.approvedWorkspacesOnly[0].workspaces[1]: wrkspc_01PaymentsProd is in account 333333333333, which this rule does not cover, so approving it here has no effect; attach the rule over account 333333333333, or drop the workspace from the rule",
    ]);
  });

  test("two rules over one account: a workspace only the inner one approves warns; near miss: both approve it", () => {
    const two = (outer: string) =>
      edited(extraWorkspace("wrkspc_01SandboxTwo", SANDBOX), [
        "      denyCreateWorkspace: true\n",
        `      denyCreateWorkspace: true\n    - attachTo: ["${SANDBOX}"]\n      workspaces: [wrkspc_01SandboxPlay, wrkspc_01SandboxTwo]\n`,
      ]).replace("workspaces: [wrkspc_01SandboxPlay]\n", `workspaces: [${outer}]\n`);
    expect(warningsOf(two("wrkspc_01SandboxPlay"))).toEqual([
      expect.stringMatching(
        /^teams\[2\]\.workspaces: team security-audit is granted all workspaces of account 555555555555, but controls\.approvedWorkspacesOnly\[0\] does not approve wrkspc_01SandboxTwo/,
      ),
      "controls.approvedWorkspacesOnly[1].workspaces[1]: controls.approvedWorkspacesOnly[0] also covers account 555555555555 and does not approve wrkspc_01SandboxTwo, so it stays denied there; add it to that rule too, or merge the rules",
    ]);
    expect(warningsOf(two("wrkspc_01SandboxPlay, wrkspc_01SandboxTwo"))).toEqual([]);
  });
});

describe("3. a team's console against limitConsoleFederation", () => {
  const paymentsConsole: [string, string] = ["    apiKeys: none\n    console: none", "    apiKeys: none\n    console: developer"];
  const CONSOLE = `${CLAUDE_SERVICE}:AssumeConsole`;
  const developer = { [`${CLAUDE_SERVICE}:Capability`]: "developer" };

  test("a denied console grant is an error; the synthesized SCPs deny it and allow the near miss (research, listed as developer)", async () => {
    expect(errorsOf(edited(paymentsConsole))).toEqual([
      expect.stringMatching(/^teams\[0\]\.console: .*add the role to controls\.limitConsoleFederation\.allow/),
    ]);
    const out = await synthesize(unvalidated(edited(paymentsConsole)));
    try {
      const ask = async (team: string, account: string, stack: string) => {
        const role = teamRole(out.stack(stack), out.config.teams.find((t) => t.name === team)!.roleName);
        return decide(scpChain(out.config, out.stack("organization"), account), {
          principal: { account, role: role.roleName },
          action: CONSOLE,
          context: developer,
          identityPolicies: role.identityPolicies,
          permissionsBoundary: role.permissionsBoundary,
        });
      };
      expect(await ask("payments", PAYMENTS, "roles-payments-prod")).toEqual({ result: "ExplicitlyDenied", deniedBy: ["LimitConsoleDeveloper"] });
      expect((await ask("research", RESEARCH, "roles-research-dev")).result).toBe("Allowed");
    } finally {
      out.cleanup();
    }
  });

  test("near miss: a team in the management account is not an error (SCPs do not apply there), but warns that the guarantees do not hold", () => {
    const text = edited([
      "controls:\n",
      `  - name: ops\n    roleName: ops-ai-console\n    accounts: ["${MANAGEMENT}"]\n    workspaces: all\n    access: [metadata-read]\n    console: developer\n    permissionSet: ClaudeOps\n\ncontrols:\n`,
    ]);
    expect(warningsOf(text)).toEqual([
      "teams[3].accounts[0]: 111111111111 is the management account, where SCPs have no effect, so denyServiceSpecificCredentials, denyShadowApiKeyUsers, denyLongTermBearerTokens, limitConsoleFederation, protectAuditTrail, denyAnthropicManagedPolicies do not hold for team ops's role there; give the team a member account instead",
    ]);
  });
});

describe("4. a protected workspace that admits nobody", () => {
  const locked = (breakGlass: boolean) =>
    extraWorkspace("wrkspc_01Locked", PAYMENTS, `    protection:\n      allowedPrincipals: []\n      allowedTeams: []\n      allowBreakGlass: ${breakGlass}\n`);

  test("is an error that says how to lock a workspace on purpose", () => {
    expect(errorsAt(edited(locked(false)), "workspaces[3].protection")).toEqual([
      "workspaces[3].protection: admits nobody (no allowedPrincipals, no allowedTeams, allowBreakGlass: false), so controls.protectWorkspaces would deny every action on wrkspc_01Locked to everyone, the deployment role included; list who may use it, or to make it unusable on purpose set allowBreakGlass: true (only the break-glass role) or leave it out of a controls.approvedWorkspacesOnly rule covering account 333333333333",
    ]);
  });

  test("near miss: admitting the break-glass role alone is not that error", () => {
    expect(errorsAt(edited(locked(true)), "workspaces[3].protection")).toEqual([]);
  });
});

describe("5. a control attached to the management account by its id", () => {
  test("warns that the attachment does nothing", () => {
    expect(warningsOf(edited(["denyShadowApiKeyUsers:\n    attachTo: [r-a1b2]", `denyShadowApiKeyUsers:\n    attachTo: [r-a1b2, "${MANAGEMENT}"]`]))).toEqual([
      "controls.denyShadowApiKeyUsers.attachTo[1]: 111111111111 is the management account, where SCPs have no effect, so this attachment does nothing; attach the control to the root or to OUs and member accounts, and keep workloads out of the management account",
    ]);
  });

  test("near miss: the root (above the management account) and a member account do not warn", () => {
    expect(warningsOf(edited(["denyShadowApiKeyUsers:\n    attachTo: [r-a1b2]", `denyShadowApiKeyUsers:\n    attachTo: [r-a1b2, "${PAYMENTS}"]`]))).toEqual([]);
  });
});

describe("6. regions", () => {
  test("a region that does not exist is an error naming the field and the nearest real regions", () => {
    expect(errorsOf(edited(["region: us-west-2", "region: us-west-9"]))).toEqual([
      "workspaces[1].region: us-west-9 is not an AWS region; use a real one (nearest: us-west-1, us-west-2, ca-west-1)",
    ]);
    expect(
      errorsOf(
        edited(
          ["homeRegion: us-east-1", "homeRegion: eu-north-7"],
          ["bucket: example-org-terraform-state\n  region: us-east-1", "bucket: x-y-z\n  region: ap-east-9"],
        ),
      ),
    ).toEqual([
      expect.stringMatching(/^deployment\.homeRegion: eu-north-7 is not an AWS region; use a real one \(nearest: eu-north-1, /),
      expect.stringMatching(/^stateBackend\.region: ap-east-9 is not an AWS region; use a real one \(nearest: ap-east-1, ap-east-2, /),
    ]);
  });

  test("…in workspaceCreationRules.allowedRegions and auditTrail.homeRegion too", () => {
    const rules: [string, string] = [
      "\nauditTrail:\n",
      "  workspaceCreationRules:\n    attachTo: [r-a1b2]\n    allowedRegions: [us-east-1, eu-west-5]\n\nauditTrail:\n",
    ];
    expect(errorsOf(edited(rules, ["  homeRegion: us-east-1\n  organizationTrail", "  homeRegion: sa-west-1\n  organizationTrail"]))).toEqual([
      expect.stringMatching(/^controls\.workspaceCreationRules\.allowedRegions\[1\]: eu-west-5 is not an AWS region/),
      expect.stringMatching(/^auditTrail\.homeRegion: sa-west-1 is not an AWS region/),
    ]);
  });

  test("near miss: a recent region the maintained list knows is accepted", () => {
    expect(warningsOf(edited(["region: us-west-2", "region: ap-southeast-5"]))).toEqual([]);
  });

  test("a real region of another partition warns; a home region whose partition gets no ARNs is an error", () => {
    expect(warningsOf(edited(["region: us-west-2", "region: cn-north-1"]))).toEqual([
      "workspaces[1].region: cn-north-1 is in partition aws-cn, but deployment.homeRegion us-east-1 puts the organization in aws, whose ARNs and credentials never reach it; use a region of aws",
    ]);
    expect(errorsAt(edited(["homeRegion: us-east-1", "homeRegion: us-iso-east-1"]), "deployment.homeRegion")).toEqual([
      "deployment.homeRegion: us-iso-east-1 is in partition aws-iso, but this baseline builds ARNs only for aws, aws-cn and aws-us-gov; use a region of one of those partitions",
    ]);
  });
});

describe("alarm emails", () => {
  test("an address listed twice, or twice in different case, warns", () => {
    expect(
      warningsOf(edited(["email: [security@example.com]", "email: [security@example.com, soc@example.com, security@example.com, SOC@example.com]"])),
    ).toEqual([
      "auditTrail.alarms.email[2]: security@example.com is already listed at auditTrail.alarms.email[0], and one address is one subscription; remove the repeat",
      "auditTrail.alarms.email[3]: SOC@example.com differs from auditTrail.alarms.email[1] (soc@example.com) only in letter case, so the same mailbox gets every alarm twice; keep one",
    ]);
  });

  test("near miss: distinct addresses", () => {
    expect(warningsOf(edited(["email: [security@example.com]", "email: [security@example.com, soc@example.com]"]))).toEqual([]);
  });
});

describe("the rest of the class", () => {
  test("protection nothing enforces warns: no protectWorkspaces, or attached elsewhere", () => {
    expect(
      warningsOf(
        edited(["  protectWorkspaces:\n    attachTo: [ou-a1b2-work0001]\n", "  protectWorkspaces:\n    attachTo: [ou-a1b2-sand0001, ou-a1b2-work0001]\n"]),
      ),
    ).toEqual([]);
    expect(
      warningsOf(edited(["  protectWorkspaces:\n    attachTo: [ou-a1b2-work0001]\n", "  protectWorkspaces:\n    attachTo: [ou-a1b2-sand0001]\n"])),
    ).toEqual([
      "workspaces[0].protection: controls.protectWorkspaces is not attached over account 333333333333, so nothing enforces wrkspc_01PaymentsProd's allow-list; attach controls.protectWorkspaces to account 333333333333 or an OU above it",
    ]);
    expect(warningsOf(edited(["  protectWorkspaces:\n    attachTo: [ou-a1b2-work0001]\n", ""]))).toEqual([
      "workspaces[0].protection: there is no controls.protectWorkspaces, so nothing enforces wrkspc_01PaymentsProd's allow-list; add controls.protectWorkspaces attached over its account",
    ]);
  });

  test("an allowed principal of another account, or of another partition, can never match; near miss: any account", () => {
    const allowed = (pattern: string): [string, string] => [
      "        - arn:aws:iam::333333333333:role/payments-ai-*\n",
      `        - arn:aws:iam::333333333333:role/payments-ai-*\n        - ${pattern}\n`,
    ];
    expect(warningsOf(edited(allowed(`arn:aws:iam::${RESEARCH}:role/auditor`)))).toEqual([
      "workspaces[0].protection.allowedPrincipals[1]: arn:aws:iam::444444444444:role/auditor is a principal of account 444444444444, but wrkspc_01PaymentsProd is in account 333333333333 and Claude Platform has no resource policies, so it can never act on the workspace; name the role it assumes in account 333333333333",
    ]);
    expect(warningsOf(edited(allowed("arn:aws-cn:iam::*:role/auditor")))).toEqual([
      "workspaces[0].protection.allowedPrincipals[1]: arn:aws-cn:iam::*:role/auditor is in partition aws-cn, but deployment.homeRegion puts the organization in aws, so it can never match; write arn:aws:…",
    ]);
    expect(warningsOf(edited(allowed("arn:aws:iam::*:role/auditor")))).toEqual([]);
  });

  test("a team account disableClaudePlatform covers is an error; near miss: the sample's Platform OU holds no team", () => {
    expect(errorsOf(edited(["disableClaudePlatform:\n    attachTo: [ou-a1b2-plat0001]", "disableClaudePlatform:\n    attachTo: [ou-a1b2-sand0001]"]))).toEqual([
      "teams[2].accounts[2]: controls.disableClaudePlatform (attached to ou-a1b2-sand0001) turns Claude Platform off in account 555555555555, so team security-audit's role there could do nothing; drop the account from the team, or attach disableClaudePlatform where the team has no role",
    ]);
  });

  test("empty lists that would deny everything or be refused by AWS are errors", () => {
    expect(errorsOf(edited(["dataEvents:\n    workspaces: all", "dataEvents:\n    workspaces: all\n    eventNames: []"]))).toEqual([
      "auditTrail.dataEvents.eventNames: lists no event name; remove eventNames to record every event, or list the events to record",
    ]);
    expect(errorsOf(edited(["\nauditTrail:\n", "  workspaceCreationRules:\n    attachTo: [r-a1b2]\n    allowedRegions: []\n\nauditTrail:\n"]))).toEqual([
      expect.stringMatching(
        /^controls\.workspaceCreationRules\.allowedRegions: lists no region, which would deny every CreateWorkspace; .*denyCreateWorkspace/,
      ),
    ]);
  });
});

test("findWarnings stays linear: a config with 2,000 workspaces and teams is checked in well under a second", () => {
  const base = sampleConfig();
  const workspaces = Array.from({ length: 2000 }, (_, i) => ({ id: `wrkspc_${i}`, account: SANDBOX, region: "us-east-1" }));
  const teams = Array.from({ length: 2000 }, (_, i) => ({
    ...base.teams[2],
    name: `t${i}`,
    roleName: `r${i}`,
    accounts: [RESEARCH],
    workspaces: "all" as const,
  }));
  const big: BaselineConfig = { ...base, workspaces: [...base.workspaces, ...workspaces], teams: [...base.teams, ...teams] };
  const started = performance.now();
  findWarnings(big);
  expect(performance.now() - started).toBeLessThan(1000);
});
