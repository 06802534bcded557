/** The config loader: the sample org loads; every kind of bad input is one clear line naming the path and the fix. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ConfigError, configPathFromEnv, loadConfig, parseConfig, SAMPLE_CONFIG_PATH } from "../config/load";
import { configFromYaml, sampleYaml } from "./harness/synth";

function problemsOf(text: string): string[] {
  try {
    parseConfig(text, "test.yaml");
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  throw new Error("expected the config to be rejected");
}

/** The sample with `from` replaced by `to`; fails loudly if `from` is not in the sample. */
function edited(...edits: Array<[string, string]>): string {
  return edits.reduce((text, [from, to]) => {
    if (!text.includes(from)) throw new Error(`the sample config has no ${JSON.stringify(from)}`);
    return text.replace(from, to);
  }, sampleYaml());
}

describe("the sample organization", () => {
  const config = loadConfig(SAMPLE_CONFIG_PATH);

  test("encodes sample-org.md's identifiers", () => {
    expect(config.organization.id).toBe("o-a1b2c3d4e5");
    expect(config.organization.root.id).toBe("r-a1b2");
    expect(config.organization.organizationalUnits.map((ou) => [ou.id, ou.name])).toEqual([
      ["ou-a1b2-plat0001", "Platform"],
      ["ou-a1b2-work0001", "Workloads"],
      ["ou-a1b2-sand0001", "Sandbox"],
    ]);
    expect(config.organization.accounts.map((a) => [a.id, a.name, a.parent])).toEqual([
      ["111111111111", "management", "r-a1b2"],
      ["222222222222", "audit", "ou-a1b2-plat0001"],
      ["333333333333", "payments-prod", "ou-a1b2-work0001"],
      ["444444444444", "research-dev", "ou-a1b2-work0001"],
      ["555555555555", "sandbox", "ou-a1b2-sand0001"],
    ]);
    expect(config.workspaces.map((w) => [w.id, w.account, w.region, Boolean(w.protection)])).toEqual([
      ["wrkspc_01PaymentsProd", "333333333333", "us-east-1", true],
      ["wrkspc_01ResearchDev", "444444444444", "us-west-2", false],
      ["wrkspc_01SandboxPlay", "555555555555", "us-east-1", false],
    ]);
    expect(config.teams.map((t) => t.roleName)).toEqual(["payments-ai-inference", "research-ai-developer", "security-audit-ai-reader"]);
    expect(config.deployment.roleName).toBe("platform-governance-deployer");
    expect(config.stateBackend).toEqual({ bucket: "example-org-terraform-state", region: "us-east-1", keyPrefix: "claude-platform-baseline/" });
    expect(config.auditTrail?.logGroup).toEqual({ name: "/claude-platform/cloudtrail", retentionDays: 365 });
  });

  test("is the default, and BASELINE_CONFIG selects another file", () => {
    expect(configPathFromEnv({})).toBe(SAMPLE_CONFIG_PATH);
    expect(configPathFromEnv({ BASELINE_CONFIG: "org.yaml" })).toBe(path.resolve("org.yaml"));
  });

  test("an empty BASELINE_CONFIG is refused, not read as the sample organization", () => {
    for (const empty of ["", "  "]) {
      expect(() => configPathFromEnv({ BASELINE_CONFIG: empty })).toThrow(ConfigError);
      expect(() => configPathFromEnv({ BASELINE_CONFIG: empty })).toThrow(
        /BASELINE_CONFIG: 1 problem\n {2}is set but empty; set it to a YAML config file, or unset it/,
      );
    }
  });

  test("a relative BASELINE_CONFIG is the caller's: npm's INIT_CWD, not the project root npm runs scripts from", () => {
    expect(configPathFromEnv({ BASELINE_CONFIG: "org.yaml", INIT_CWD: "/home/me/orgs" })).toBe("/home/me/orgs/org.yaml");
    expect(configPathFromEnv({ BASELINE_CONFIG: "../org.yaml", INIT_CWD: "/home/me/orgs" })).toBe("/home/me/org.yaml");
    expect(configPathFromEnv({ BASELINE_CONFIG: "/etc/org.yaml", INIT_CWD: "/home/me/orgs" })).toBe("/etc/org.yaml");
  });
});

describe("unusable files", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "baseline-config-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("a missing file", () => {
    expect(() => loadConfig(path.join(dir, "nope.yaml"))).toThrow(/no such file; set BASELINE_CONFIG to a YAML config file/);
  });

  test("a directory", () => {
    expect(() => loadConfig(dir)).toThrow(/is a directory/);
  });

  test("an empty file, or one with only comments", () => {
    for (const text of ["", "  \n# nothing here\n", "\n\n---\n"]) {
      writeFileSync(path.join(dir, "empty.yaml"), text);
      expect(() => loadConfig(path.join(dir, "empty.yaml"))).toThrow(/the file is empty; start from config\/sample-org.yaml/);
    }
  });

  test("unparsable YAML names the line and column", () => {
    expect(problemsOf("organization: [\n")).toEqual([expect.stringMatching(/^line \d+, column \d+: .*; fix the YAML syntax$/)]);
    expect(problemsOf("a: 1\na: 2\n")).toEqual([expect.stringMatching(/^line 2, column 1: duplicated mapping key; fix the YAML syntax$/)]);
  });

  test("a top level that is not a mapping", () => {
    expect(problemsOf("- organization\n")).toEqual([expect.stringContaining("the top level must be a mapping")]);
  });

  test("a wrong shape: missing sections and wrong types, all reported", () => {
    expect(problemsOf("organization: 3\n")).toEqual([
      "organization: expected a mapping, got 3; change the value",
      "deployment: is required; add it (config/baseline.schema.json describes it)",
      "stateBackend: is required; add it (config/baseline.schema.json describes it)",
      "controls: is required; add it (config/baseline.schema.json describes it)",
    ]);
  });
});

describe("identifier syntax", () => {
  test.each(
    [
      ['managementAccount: "111111111111"', "managementAccount: 1111", "organization.managementAccount: expected a string, got 1111; an AWS account id"],
      ["  root:\n    id: r-a1b2", "  root:\n    id: root-1", 'organization.root.id: "root-1" is not an organization root id'],
      ["{ id: ou-a1b2-work0001,", "{ id: ou-work,", 'organization.organizationalUnits[1].id: "ou-work" is not an organizational unit id'],
      ["id: o-a1b2c3d4e5", "id: o-123", 'organization.id: "o-123" is not an organization id'],
      ["  - id: wrkspc_01ResearchDev", "  - id: wrkspc-01", 'workspaces[1].id: "wrkspc-01" is not a workspace id; use wrkspc_ followed by letters and digits'],
      ["    region: us-west-2", "    region: us-west", 'workspaces[1].region: "us-west" is not an AWS region'],
      [
        "breakGlassRoleArn: arn:aws:iam::111111111111:role/platform-break-glass",
        "breakGlassRoleArn: arn:aws:iam::111111111111:user/bob",
        'deployment.breakGlassRoleArn: "arn:aws:iam::111111111111:user/bob" is not an IAM role ARN',
      ],
      [
        "- arn:aws:iam::333333333333:role/payments-ai-*",
        "- arn:aws:sts::333333333333:assumed-role/payments-ai-x/s",
        'workspaces[0].protection.allowedPrincipals[0]: "arn:aws:sts::333333333333:assumed-role/payments-ai-x/s" is not an IAM role or user ARN pattern',
      ],
      ["roleName: payments-ai-inference", `roleName: ${"r".repeat(65)}`, 'teams[0].roleName: "rrrr'],
      ["bucket: example-org-terraform-state", "bucket: Example_Bucket", 'stateBackend.bucket: "Example_Bucket" is not an S3 bucket name'],
      ["email: [security@example.com]", "email: [security]", 'auditTrail.alarms.email[0]: "security" is not an email address'],
      ["retentionDays: 365", "retentionDays: 366", "auditTrail.logGroup.retentionDays: 366 is not a retention CloudWatch Logs accepts"],
      [
        "    attachTo: [r-a1b2]\n  denyShadowApiKeyUsers",
        "    attachTo: [root]\n  denyShadowApiKeyUsers",
        'controls.denyServiceSpecificCredentials.attachTo[0]: "root" is not an attachment target',
      ],
      [
        "    - attachTo: [ou-a1b2-sand0001]",
        "    - name: Sandbox\n      attachTo: [ou-a1b2-sand0001]",
        'controls.approvedWorkspacesOnly[0].name: "Sandbox" is not a rule name; use 1-63 lowercase letters, digits or hyphens, starting with a letter',
      ],
      // A name that could read as another rule's position is refused.
      [
        "    - attachTo: [ou-a1b2-sand0001]",
        "    - name: '1'\n      attachTo: [ou-a1b2-sand0001]",
        'controls.approvedWorkspacesOnly[0].name: "1" is not a rule name',
      ],
    ].map(([from, to, expected]) => ({ from, to, expected })),
  )("$expected", ({ from, to, expected }) => {
    expect(problemsOf(edited([from, to]))).toEqual([expect.stringContaining(expected)]);
  });

  test("an unknown field is named, with how to fix it", () => {
    expect(problemsOf(edited(["deployment:\n", "deployment:\n  rolename: x\n"]))).toEqual([
      'deployment: unknown field "rolename"; remove it or fix the spelling (config/baseline.schema.json lists the fields)',
    ]);
  });

  test("exempt is refused on a control that allows no exemption", () => {
    expect(
      problemsOf(edited(["denyLongTermBearerTokens:\n    attachTo: [r-a1b2]", "denyLongTermBearerTokens:\n    attachTo: [r-a1b2]\n    exempt: true"])),
    ).toEqual([expect.stringContaining('controls.denyLongTermBearerTokens: unknown field "exempt"')]);
  });

  test("several problems are all reported in one run", () => {
    const problems = problemsOf(
      edited(
        ["  - id: wrkspc_01ResearchDev", "  - id: wrkspc-01"],
        ["retentionDays: 365", "retentionDays: 2"],
        ['managementAccount: "111111111111"', 'managementAccount: "1"'],
      ),
    );
    expect(problems).toHaveLength(3);
  });
});

describe("meaning", () => {
  const SECOND_RULE = "    - attachTo: [ou-a1b2-plat0001]\n      workspaces: [wrkspc_01ResearchDev]\n";
  const twoRules = (first: string, second: string) =>
    edited(
      ["    - attachTo: [ou-a1b2-sand0001]", `    - ${first}attachTo: [ou-a1b2-sand0001]`],
      ["      denyCreateWorkspace: true\n", `      denyCreateWorkspace: true\n${SECOND_RULE.replace("    - ", `    - ${second}`)}`],
    );

  test("rules of a list control with different names, or none, load", () => {
    const config = parseConfig(twoRules("name: sandbox-only\n      ", "name: platform\n      "), "test.yaml");
    expect(config.controls.approvedWorkspacesOnly?.map((r) => r.name)).toEqual(["sandbox-only", "platform"]);
    expect(parseConfig(twoRules("", "name: platform\n      "), "test.yaml").controls.approvedWorkspacesOnly?.map((r) => r.name)).toEqual([
      undefined,
      "platform",
    ]);
  });

  test("two rules of a list control with one name: both places and the fix", () => {
    expect(problemsOf(twoRules("name: sandbox-only\n      ", "name: sandbox-only\n      "))).toEqual([
      'controls.approvedWorkspacesOnly[1].name: rule name "sandbox-only" is already used at controls.approvedWorkspacesOnly[0].name; give each one a unique value',
    ]);
  });

  test("an account in an OU that does not exist", () => {
    expect(
      problemsOf(
        edited(['{ id: "555555555555", name: sandbox, parent: ou-a1b2-sand0001 }', '{ id: "555555555555", name: sandbox, parent: ou-a1b2-gone0001 }']),
      ),
    ).toEqual([expect.stringMatching(/^organization\.accounts\[4\]\.parent: "ou-a1b2-gone0001" is neither the root \(r-a1b2\) nor an OU/)]);
  });

  test("OU placement must form a tree", () => {
    const problems = problemsOf(
      edited(
        ["{ id: ou-a1b2-work0001, name: Workloads, parent: r-a1b2 }", "{ id: ou-a1b2-work0001, name: Workloads, parent: ou-a1b2-sand0001 }"],
        ["{ id: ou-a1b2-sand0001, name: Sandbox, parent: r-a1b2 }", "{ id: ou-a1b2-sand0001, name: Sandbox, parent: ou-a1b2-work0001 }"],
      ),
    );
    expect(problems).toEqual([
      expect.stringContaining("organization.organizationalUnits[1].parent: OU ou-a1b2-work0001 is its own ancestor"),
      expect.stringContaining("organization.organizationalUnits[2].parent: OU ou-a1b2-sand0001 is its own ancestor"),
    ]);
  });

  test("an OU id of another root", () => {
    expect(
      problemsOf(edited(["{ id: ou-a1b2-plat0001, name: Platform, parent: r-a1b2 }", "{ id: ou-zzzz-plat0001, name: Platform, parent: r-a1b2 }"])),
    ).toEqual(expect.arrayContaining([expect.stringContaining('organization.organizationalUnits[0].id: "ou-zzzz-plat0001" does not belong to root r-a1b2')]));
  });

  test("names and ids are unique", () => {
    expect(problemsOf(edited(["name: research-dev", "name: payments-prod"]))).toEqual([
      'organization.accounts[3].name: account name "payments-prod" is already used at organization.accounts[2].name; give each one a unique value',
    ]);
  });

  test("team names that would share a role ARN output once snake_cased", () => {
    const doubled = sampleYaml().replaceAll("security-audit", "research--");
    expect(problemsOf(doubled)).toEqual(
      expect.arrayContaining([
        'teams[2].name: team "research--" and team "research" (teams[1]) would share the output team_role_arn_research; rename one (no doubled or trailing hyphens)',
      ]),
    );
    expect(() => configFromYaml(sampleYaml().replaceAll("security-audit", "research-audit"))).not.toThrow();
  });

  test("a workspace in an account outside the organization", () => {
    expect(problemsOf(edited(['account: "444444444444"\n    region: us-west-2', 'account: "999999999999"\n    region: us-west-2']))).toEqual(
      expect.arrayContaining([expect.stringContaining("workspaces[1].account: account 999999999999 is not in organization.accounts")]),
    );
  });

  test("a team's workspace must be declared and lie in one of the team's accounts", () => {
    expect(problemsOf(edited(["workspaces: [wrkspc_01ResearchDev]", "workspaces: [wrkspc_01SandboxPlay, wrkspc_01Missing]"]))).toEqual([
      "teams[1].workspaces[0]: workspace wrkspc_01SandboxPlay is in account 555555555555, which is not one of team research's accounts; add the account to teams[1].accounts or drop the workspace",
      "teams[1].workspaces[1]: workspace wrkspc_01Missing is not in workspaces; declare it there with its account and region",
      "teams[1].accounts[0]: none of team research's workspaces is in account 444444444444, so its role there could do nothing; add a workspace of that account to teams[1].workspaces, use all, or drop the account",
    ]);
  });

  test("a team granted a protected workspace its allow-list would not admit is rejected, naming both", () => {
    const problems = problemsOf(edited(["roleName: payments-ai-inference", "roleName: payments-inference"]));
    expect(problems).toEqual([
      "teams[0].workspaces[0]: team payments is granted protected workspace wrkspc_01PaymentsProd, but its role arn:aws:iam::333333333333:role/payments-inference is not on the workspace's allow-list; add the team to workspaces[0].protection.allowedTeams or a matching pattern to allowedPrincipals",
    ]);
  });

  test("the same holds for a team granted every workspace of its accounts", () => {
    const problems = problemsOf(edited(["allowedTeams: [security-audit]", "allowedTeams: []"]));
    expect(problems).toEqual([expect.stringMatching(/^teams\[2\]\.workspaces: team security-audit is granted protected workspace wrkspc_01PaymentsProd/)]);
  });

  test("a control attached to a target outside the organization", () => {
    expect(problemsOf(edited(["denyShadowApiKeyUsers:\n    attachTo: [r-a1b2]", "denyShadowApiKeyUsers:\n    attachTo: [ou-a1b2-gone0001]"]))).toEqual([
      "controls.denyShadowApiKeyUsers.attachTo[0]: ou-a1b2-gone0001 is not the root, an OU or an account of this organization; use an id from the organization section",
    ]);
  });

  test("an allowed team that does not exist, or has no role in the workspace's account", () => {
    expect(problemsOf(edited(["allowedTeams: [security-audit]", "allowedTeams: [security-audit, auditors, research]"]))).toEqual([
      'workspaces[0].protection.allowedTeams[1]: team "auditors" is not in teams; use the name of a team',
      "workspaces[0].protection.allowedTeams[2]: team research has no role in account 333333333333, where wrkspc_01PaymentsProd lives; add the account to the team or remove the team here",
    ]);
  });

  test("a team whose profiles could apply to no workspace: an empty list, or an account holding none of its workspaces", () => {
    expect(problemsOf(edited(["workspaces: [wrkspc_01ResearchDev]", "workspaces: []"]))).toEqual([
      "teams[1].workspaces: lists no workspace, so team research's profiles would apply to nothing; list its workspaces or use all",
    ]);
    expect(problemsOf(edited(['accounts: ["444444444444"]', 'accounts: ["444444444444", "555555555555"]']))).toEqual([
      "teams[1].accounts[1]: none of team research's workspaces is in account 555555555555, so its role there could do nothing; add a workspace of that account to teams[1].workspaces, use all, or drop the account",
    ]);
  });

  test("a team given the console that limitConsoleFederation would deny it, naming the role and the fix", () => {
    expect(problemsOf(edited(["    apiKeys: none\n    console: none", "    apiKeys: none\n    console: developer"]))).toEqual([
      "teams[0].console: team payments is given the console as developer, but controls.limitConsoleFederation denies arn:aws:iam::333333333333:role/payments-ai-inference that capability; add the role to controls.limitConsoleFederation.allow with developer, or set console: none",
    ]);
    expect(problemsOf(edited(["console: developer\n    permissionSet: ClaudeResearch", "console: admin\n    permissionSet: ClaudeResearch"]))).toEqual([
      expect.stringMatching(
        /^teams\[1\]\.console: team research is given the console as admin, but controls\.limitConsoleFederation denies arn:aws:iam::444444444444:role\/research-ai-developer/,
      ),
    ]);
  });

  test("the console check follows where limitConsoleFederation is attached", () => {
    const elsewhere = edited(
      ["    apiKeys: none\n    console: none", "    apiKeys: none\n    console: developer"],
      ["limitConsoleFederation:\n    attachTo: [r-a1b2]", "limitConsoleFederation:\n    attachTo: [ou-a1b2-sand0001]"],
    );
    expect(() => parseConfig(elsewhere, "test.yaml")).not.toThrow();
  });

  test("two teams with one role name in one account, and a team role named like the deployment or break-glass role", () => {
    expect(problemsOf(edited(["roleName: security-audit-ai-reader", "roleName: payments-ai-inference"]))).toEqual([
      "teams[2].roleName: role payments-ai-inference in account 333333333333 is already team payments's; give each team its own role name",
    ]);
    expect(problemsOf(edited(["roleName: security-audit-ai-reader", "roleName: platform-governance-deployer"]))).toEqual([
      "teams[2].roleName: platform-governance-deployer is the name of the role in deployment.roleName; give team security-audit a role of its own",
    ]);
    expect(problemsOf(edited(["roleName: security-audit-ai-reader", "roleName: platform-break-glass"]))).toEqual([
      "teams[2].roleName: platform-break-glass is the name of the role in deployment.breakGlassRoleArn; give team security-audit a role of its own",
    ]);
  });

  test("deployment.planRoleName: a read-only role of its own, never the deployment, break-glass or a team role", () => {
    const plan = (name: string) =>
      edited(["  roleName: platform-governance-deployer\n", `  roleName: platform-governance-deployer\n  planRoleName: ${name}\n`]);
    expect(parseConfig(plan("claude-platform-pr-plan"), "test.yaml").deployment.planRoleName).toBe("claude-platform-pr-plan");
    expect(problemsOf(plan("platform-governance-deployer"))).toEqual([
      "deployment.planRoleName: platform-governance-deployer is also the deployment role; pull-request plans need a read-only role of their own (README, Pull-request review)",
    ]);
    expect(problemsOf(plan("platform-break-glass"))).toEqual([
      "deployment.planRoleName: platform-break-glass is also the break-glass role; pull-request plans need a read-only role of their own (README, Pull-request review)",
    ]);
    expect(problemsOf(plan("research-ai-developer"))).toEqual([
      "deployment.planRoleName: research-ai-developer is a team role's name; pull-request plans need a read-only role of their own",
    ]);
  });

  test("an unknown access profile lists the ones that exist", () => {
    expect(problemsOf(edited(["access: [metadata-read]", "access: [metadata-reader]"]))).toEqual([
      'teams[2].access[0]: "metadata-reader" is not allowed; use one of "inference", "batch-inference", "agent-development", "metadata-read", "content-read", "agent-runtime", "workspace-admin"',
    ]);
  });
});
