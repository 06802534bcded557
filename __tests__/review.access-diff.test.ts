/**
 * The effective-access diff, on baselines synthesized from the sample org and small edits of it:
 * what changed is exactly what the edit means, collapsed for people and one entry per request for
 * tools; the CLI names the side that does not synthesize.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Catalog } from "../policies/catalog";
import { accessDiff, type AccessDiff, type Side } from "../review/diff";
import { chainFor, evaluate } from "../review/evaluate";
import { MATRIX_SERVICES, principalsOf, probesOf, requestOf } from "../review/matrix";
import { diffJson, diffMarkdown, verdict } from "../review/report";
import { chainFromAttachments, readStacks, scpsByTarget, stackAccount, teamRoles } from "../review/synthesized";
import { configFromYaml, sampleYaml, synthesize } from "./harness/synth";

let catalog: Catalog;
const sides = new Map<string, Side>();

async function side(yaml: string): Promise<Side> {
  const known = sides.get(yaml);
  if (known) return known;
  const out = await synthesize(configFromYaml(yaml));
  const made = { config: out.config, stacks: readStacks(out.outdir) };
  out.cleanup();
  sides.set(yaml, made);
  return made;
}

function edit(from: string, to: string): string {
  const yaml = sampleYaml();
  if (!yaml.includes(from)) throw new Error(`the sample config no longer contains ${JSON.stringify(from)}`);
  return yaml.replace(from, to);
}

async function diffOf(headYaml: string): Promise<AccessDiff> {
  return accessDiff(catalog, await side(sampleYaml()), await side(headYaml));
}

const PAYMENTS_SHORT_TERM_KEYS = edit(
  "access: [inference, batch-inference]\n    apiKeys: none",
  "access: [inference, batch-inference]\n    apiKeys: short-term",
);

beforeAll(async () => {
  catalog = await Catalog.load(MATRIX_SERVICES);
});

describe("access-diff", () => {
  test("the same baseline on both sides: no change, and nothing re-evaluated", async () => {
    const diff = await diffOf(sampleYaml());
    expect(diff.changes).toEqual([]);
    expect(diff.evaluated).toBe(0);
    expect(verdict(diff)).toBe("no change in effective access");
    expect(diffMarkdown(diff, "origin/main")).toContain("### Access diff: no change in effective access");
  });

  test("an API-key grant to one team: exactly that team's role gains CallWithBearerToken for short-term tokens, in its account", async () => {
    const diff = await diffOf(PAYMENTS_SHORT_TERM_KEYS);
    expect(diff.changes.map((c) => [c.account, c.principal, c.actionLabel, c.before, c.after])).toEqual([
      ["333333333333", "arn:aws:iam::333333333333:role/payments-ai-inference", "CallWithBearerToken (SHORT_TERM)", "Denied", "Allowed"],
    ]);
    expect(diff.changes[0].decidedBy).toEqual(["ApiKeysShortTerm"]);
    expect(diff.changes[0].decidedByBefore).toEqual(expect.arrayContaining(["no Allow in its identity policies"]));
    const markdown = diffMarkdown(diff, "origin/main");
    expect(markdown.split("\n")[0]).toBe("### Access diff: 1 grant gained, 0 lost");
    expect(markdown).toContain("#### Account 333333333333 (payments-prod)");
    expect(markdown).toContain("| team role payments-ai-inference | CallWithBearerToken (SHORT_TERM) | — | Denied → **Allowed** |");
    expect(markdown.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| Principal"))).toHaveLength(1);
    expect(markdown).toContain("policy roles-payments-prod: aws_iam_role_policy.team-payments-access.policy changed");
    expect(diff.policyChanges).toEqual([
      "policy roles-payments-prod: aws_iam_policy.team-payments-boundary.policy changed",
      "policy roles-payments-prod: aws_iam_role_policy.team-payments-access.policy changed",
    ]);
    expect(diffJson(diff, "origin/main")).toEqual({
      base: "origin/main",
      policyChanges: diff.policyChanges,
      changes: [
        {
          account: "333333333333",
          principal: "arn:aws:iam::333333333333:role/payments-ai-inference",
          action: "aws-external-anthropic:CallWithBearerToken",
          resource: "*",
          context: "SHORT_TERM",
          before: "Denied",
          after: "Allowed",
          decidedBy: ["ApiKeysShortTerm"],
          decidedByBefore: diff.changes[0].decidedByBefore,
        },
      ],
    });
  });

  test("a profile added to a team: its capabilities collapse to one row each, the JSON keeps every action", async () => {
    const diff = await diffOf(edit("access: [inference, agent-development]", "access: [inference, agent-development, batch-inference]"));
    const batch = ["CreateBatchInference", "ListBatchInferences", "GetBatchInference", "CancelBatchInference", "DeleteBatchInference"].map(
      (a) => `aws-external-anthropic:${a}`,
    );
    expect(
      diff.changes.every((c) => c.principal === "arn:aws:iam::444444444444:role/research-ai-developer" && c.before === "Denied" && c.after === "Allowed"),
    ).toBe(true);
    expect(diff.changes.map((c) => c.action).sort()).toEqual([...batch].sort());
    expect(diff.changes.every((c) => c.resource === "arn:aws:aws-external-anthropic:us-west-2:444444444444:workspace/wrkspc_01ResearchDev")).toBe(true);
    const rows = diffMarkdown(diff, "main")
      .split("\n")
      .filter((l) => l.startsWith("| team role"));
    expect(rows.map((r) => r.split(" | ")[1]).sort()).toEqual(["BatchManage (all 2)", "BatchRead (all 2)", "CreateBatchInference"]);
    expect(diffJson(diff, "main").changes.map((c) => c.action)).toEqual([...batch].sort());
  });

  test("a team added to an account: its new role gains access, decided before by the role not existing", async () => {
    const diff = await diffOf(
      edit(
        "  - name: security-audit\n",
        '  - name: sandbox-builders\n    roleName: sandbox-ai-inference\n    accounts: ["555555555555"]\n    workspaces: [wrkspc_01SandboxPlay]\n    access: [inference]\n    permissionSet: ClaudeSandbox\n  - name: security-audit\n',
      ),
    );
    const role = "arn:aws:iam::555555555555:role/sandbox-ai-inference";
    const gained = diff.changes.filter((c) => c.principal === role);
    expect(gained.every((c) => c.after === "Allowed" && c.decidedByBefore.includes("the role does not exist on this side"))).toBe(true);
    expect(gained.map((c) => c.action)).toEqual(expect.arrayContaining(["aws-external-anthropic:CreateInference", "aws-external-anthropic:CountTokens"]));
    expect(gained.some((c) => c.resource.endsWith("/wrkspc_NotInTheConfig"))).toBe(false);
    // Everyone else in the account loses only the power to rewrite the new role: tamper protection now covers it.
    const others = diff.changes.filter((c) => c.principal !== role);
    expect(others.length).toBeGreaterThan(0);
    expect(
      others.every((c) => c.account === "555555555555" && c.capability === "tamper with the baseline" && c.resource === role && c.after === "Denied"),
    ).toBe(true);
    expect(new Set(others.map((c) => c.principalKind))).toEqual(
      new Set(["administrator", "iam-user", "long-term-key-user", "look-alike-role", "admitted-role"]),
    );
  });

  test("an SCP edit on one OU: who gains what in its account only, and the statement that denied it before", async () => {
    const diff = await diffOf(edit("      denyCreateWorkspace: true", "      denyCreateWorkspace: false"));
    expect(new Set(diff.changes.map((c) => c.account))).toEqual(new Set(["555555555555"]));
    expect(new Set(diff.changes.map((c) => c.action))).toEqual(new Set(["aws-external-anthropic:CreateWorkspace"]));
    expect(
      diff.changes.every(
        (c) => c.before === "Denied" && c.after === "Allowed" && c.decidedByBefore.length > 0 && c.decidedByBefore.every((sid) => /^[A-Za-z0-9]+$/.test(sid)),
      ),
    ).toBe(true);
    // Administrators gain it; the look-alike and the deployment role alike, as nothing else holds them back.
    expect(new Set(diff.changes.map((c) => c.principalKind))).toEqual(
      new Set(["administrator", "iam-user", "long-term-key-user", "deployment-role", "look-alike-role", "admitted-role"]),
    );
    expect(verdict(diff)).toBe(`${diff.changes.length} grants gained, 0 lost`);
  }, 120_000);
});

test("spread over worker threads, the diff is the same as inline, in the same order", async () => {
  // The worker runs compiled code: the build npm test runs first puts it in dist/.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const compiled = require("../dist/review/diff") as typeof import("../review/diff");
  const head = await side(edit("      denyCreateWorkspace: true", "      denyCreateWorkspace: false"));
  const inline = await accessDiff(catalog, await side(sampleYaml()), head);
  const spread = await compiled.accessDiff(catalog, await side(sampleYaml()), head, { workers: 2, parallelFromRequests: 0 });
  expect(inline.changes.length).toBeGreaterThan(0);
  expect(spread.changes).toEqual(inline.changes);
  expect(spread.evaluated).toBe(inline.evaluated);
}, 120_000);

describe("what the matrix cannot see is still said", () => {
  test("a new exempt role, a new allowed principal of a protected workspace: each one's effect shows on a principal made from the pattern", async () => {
    const exempt = await diffOf(
      edit("\nworkspaces:\n", "\nexemptions: [arn:aws:iam::*:role/platform-governance-deployer, arn:aws:iam::*:role/ci-pipeline]\n\nworkspaces:\n"),
    );
    const ci = exempt.changes.filter((c) => c.principal.endsWith(":role/ci-pipeline"));
    expect(ci.length).toBeGreaterThan(0);
    expect(ci.every((c) => c.after === "Allowed")).toBe(true);
    expect(ci.filter((c) => c.capability === "tamper with the baseline" && c.action === "iam:UpdateAssumeRolePolicy").map((c) => c.account)).toEqual(
      expect.arrayContaining(["222222222222", "333333333333", "444444444444", "555555555555"]),
    );
    const allowed = await diffOf(
      edit(
        "        - arn:aws:iam::333333333333:role/payments-ai-*\n",
        "        - arn:aws:iam::333333333333:role/payments-ai-*\n        - arn:aws:iam::333333333333:role/contractor-admin\n",
      ),
    );
    expect(
      allowed.changes.filter(
        (c) => c.principal === "arn:aws:iam::333333333333:role/contractor-admin" && c.workspace === "wrkspc_01PaymentsProd" && c.after === "Allowed",
      ).length,
    ).toBeGreaterThan(10);
  }, 120_000);

  test("a change the matrix finds no effect of is listed, and the verdict says to review it", async () => {
    const diff = await diffOf(edit("    permissionSet: ClaudePayments", "    permissionSet: ClaudeEveryone"));
    expect(diff.changes).toEqual([]);
    expect(diff.policyChanges).toEqual(["policy roles-payments-prod: aws_iam_role.team-payments.assume_role_policy changed"]);
    expect(verdict(diff)).toBe("no change found in effective access, but 1 policy change to review by hand (below)");
  });
});

describe("the matrix", () => {
  test("every account's principals: team roles as synthesized, administrators, IAM users, the deployment and break-glass roles, a look-alike", async () => {
    const sample = await side(sampleYaml());
    const roles = teamRoles(sample.stacks.get("roles-research-dev")!);
    const labels = principalsOf(sample.config, "444444444444", roles).map((p) => p.arn);
    expect(labels).toEqual([
      "arn:aws:iam::444444444444:role/research-ai-developer",
      "arn:aws:iam::444444444444:role/security-audit-ai-reader",
      "arn:aws:iam::444444444444:role/Administrator",
      "arn:aws:iam::444444444444:user/developer",
      "arn:aws:iam::444444444444:user/claude-api-key-user",
      "arn:aws:iam::444444444444:role/platform-governance-deployer",
      "arn:aws:iam::444444444444:role/lookalike/platform-governance-deployer",
      // One for each role pattern of the config that can match here: the bootstrap principal and the console allow-list.
      "arn:aws:iam::444444444444:role/OrganizationAccountAccessRole",
      "arn:aws:iam::444444444444:role/research-ai-x",
    ]);
    expect(principalsOf(sample.config, "111111111111", []).map((p) => p.kind)).toContain("break-glass-role");
  });

  test("every Claude Platform action of the reference data is asked, on every workspace of the account and one it does not list", async () => {
    const sample = await side(sampleYaml());
    const roles = teamRoles(sample.stacks.get("roles-payments-prod")!);
    const probes = probesOf(catalog, [sample.config], "333333333333", { before: [], after: roles });
    const asked = new Set(probes.map((p) => p.action));
    for (const action of catalog.actionsOf("aws-external-anthropic")) expect(asked).toContain(action.name);
    expect(new Set(probes.filter((p) => p.action.endsWith(":CreateInference")).map((p) => p.workspace))).toEqual(
      new Set(["wrkspc_01PaymentsProd", "wrkspc_NotInTheConfig"]),
    );
    expect(probes.filter((p) => p.capability === "tamper with the baseline").map((p) => p.action)).toEqual(
      expect.arrayContaining(["organizations:DetachPolicy", "organizations:LeaveOrganization", "iam:UpdateAssumeRolePolicy"]),
    );
    for (const probe of probes) expect(catalog.action(probe.action)).toBeDefined();
    // A team role is asked about with the tags its stack gives it where it exists (tamper protection keys on them), and with none where it does not.
    const rewrite = probes.find((p) => p.action === "iam:UpdateAssumeRolePolicy" && p.resource.endsWith(":role/payments-ai-inference"))!;
    expect(rewrite.resourceContext).toEqual({
      before: {},
      after: { "aws:ResourceTag/team": "payments", "aws:ResourceTag/claude-platform-baseline:role": "team" },
    });
  });

  test("leaving out the SCP statements that cannot apply to an action changes no decision", async () => {
    const sample = await side(sampleYaml());
    const organization = sample.stacks.get("organization")!;
    // The account under the most SCPs (root and Workloads), with its team roles.
    const stack = sample.stacks.get("roles-payments-prod")!;
    const account = stackAccount(stack);
    const chain = chainFromAttachments(sample.config, scpsByTarget(organization), account);
    const principals = principalsOf(sample.config, account, teamRoles(stack));
    for (const probe of probesOf(catalog, [sample.config], account, { before: teamRoles(stack), after: teamRoles(stack) })) {
      for (const who of principals) {
        const request = requestOf(who, probe, "after");
        const [full, pruned] = [await evaluate(chain, request), await evaluate(chainFor(chain, probe.action), request)];
        expect({ probe: probe.label, who: who.arn, ...pruned }).toEqual({ probe: probe.label, who: who.arn, ...full });
      }
    }
  }, 300_000);
});

describe("the access-diff command", () => {
  const cli = path.join(__dirname, "..", "dist", "scripts", "access-diff.js");
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", cwd: path.join(__dirname, "..") });

  test("without --base, or with a ref that is not a commit: one line naming the flag, exit 1", () => {
    for (const [args, says] of [
      [[], "--base is required"],
      [["--base", "no-such-ref-anywhere"], "--base no-such-ref-anywhere is not a commit"],
      [["--base", "HEAD", "--colour"], "unknown argument --colour"],
    ] as Array<[string[], string]>) {
      const result = run(...args);
      expect(result.status).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr.trim().split("\n")).toEqual([expect.stringContaining(says)]);
    }
  });

  test("against HEAD with one config outside the repository: both sides synthesize, no change, and the JSON says so", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "access-diff-cli-"));
    const config = path.join(dir, "org.yaml");
    writeFileSync(config, sampleYaml());
    try {
      const json = path.join(dir, "diff.json");
      const result = run("--base", "HEAD", "--config", config, "--json", json, "--base-out", path.join(dir, "base-stacks"));
      expect(result.stderr).toContain("access-diff: both sides synthesized");
      expect(result.status).toBe(0);
      expect(result.stdout.split("\n")[0]).toBe("### Access diff: no change in effective access");
      expect(JSON.parse(readFileSync(json, "utf8"))).toEqual({ base: "HEAD", changes: [], policyChanges: [] });
      expect(JSON.parse(readFileSync(path.join(dir, "base-stacks", "organization", "cdk.tf.json"), "utf8")).resource.aws_organizations_policy).toBeDefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  test("a config that does not synthesize: the side is named, nothing on stdout, exit 1", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "access-diff-cli-"));
    const config = path.join(dir, "org.yaml");
    writeFileSync(config, sampleYaml().replace("roleName: platform-governance-deployer", 'roleName: "not a role name"'));
    try {
      const result = run("--base", "HEAD", "--config", config);
      expect(result.status).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr.trim().split("\n")).toEqual([
        expect.stringMatching(/^access-diff: the base side \(HEAD\) does not synthesize: .*deployment.roleName/),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
