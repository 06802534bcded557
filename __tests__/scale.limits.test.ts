/**
 * Every list in the config that grows one document, statement, name or string with a hard AWS
 * limit, grown by a generator until it breaks: either the baseline spreads it (the output stays
 * within every quota, checked on the plan), or synthesis stops with one line per problem that
 * names the config field and a fix the config actually has. Never a plan that AWS would refuse
 * at `terraform apply`.
 */
import { dump, load } from "js-yaml";
import { planBaseline, type BaselinePlan } from "../policies/baseline";
import { Catalog } from "../policies/catalog";
import { SynthesisError } from "../policies/errors";
import { quotaViolations } from "./harness/quotas";
import { configFromYaml, sampleYaml } from "./harness/synth";

/** The sample as plain data, to grow. */
type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function sample(): Raw {
  return load(sampleYaml()) as Raw;
}

let catalog: Catalog;
beforeAll(async () => {
  catalog = await Catalog.load();
});

type Outcome = { ok: true; plan: BaselinePlan } | { ok: false; problems: readonly string[] };

async function outcome(raw: Raw): Promise<Outcome> {
  const config = configFromYaml(dump(raw, { lineWidth: -1 }));
  try {
    return { ok: true, plan: await planBaseline(config, catalog) };
  } catch (error) {
    if (error instanceof SynthesisError) return { ok: false, problems: error.problems };
    throw error;
  }
}

/** Grows `raw` with `grow(raw, n)` for n = step, 2·step, … until synthesis fails (or `max`); every success is checked against the quotas. */
async function breakingPoint(grow: (raw: Raw, n: number) => void, step: number, max: number): Promise<{ n: number; problems: readonly string[] } | undefined> {
  for (let n = step; n <= max; n += step) {
    const raw = sample();
    grow(raw, n);
    const result = await outcome(raw);
    if (!result.ok) return { n, problems: result.problems };
    expect({ n, violations: quotaViolations(result.plan) }).toEqual({ n, violations: [] });
  }
  return undefined;
}

const PAYMENTS = "333333333333";
const accountIds = (n: number) => Array.from({ length: n }, (_, i) => String(600000000000 + i));

/** `n` more accounts under the Workloads OU, named `w<i>`. */
function addAccounts(raw: Raw, n: number, parent = "ou-a1b2-work0001"): string[] {
  const ids = accountIds(n);
  raw.organization.accounts.push(...ids.map((id, i) => ({ id, name: `w${i}`, parent })));
  return ids;
}

/** No audit trail (the per-workspace alarms have a limit of their own), so no tamper protection, which needs it. */
function withoutTrail(raw: Raw): void {
  delete raw.auditTrail;
  delete raw.controls.protectAuditTrail;
}

/** A protected workspace; in the sample's accounts the security-audit team (granted every workspace there) is admitted. */
function protectedWorkspace(id: string, account: string, allowedPrincipals = [`arn:aws:iam::${account}:role/app-*`]): Raw {
  const allowedTeams = ["333333333333", "444444444444", "555555555555"].includes(account) ? ["security-audit"] : [];
  return { id, account, region: "us-east-1", protection: { allowedPrincipals, allowedTeams, allowBreakGlass: true } };
}

describe("protected workspaces", () => {
  test("many in one account: split into parts on the OU until its slots run out, then an error that names protectWorkspaces and says to attach it lower", async () => {
    const end = await breakingPoint(
      (raw, n) => {
        withoutTrail(raw); // the per-workspace alarms have their own limit, below
        raw.workspaces.push(...Array.from({ length: n }, (_, i) => protectedWorkspace(`wrkspc_Gen${i}`, PAYMENTS)));
      },
      10,
      200,
    );
    expect(end).toBeDefined();
    expect(end!.problems).toEqual([
      expect.stringMatching(
        /^ou-a1b2-work0001 \(OU Workloads\): would carry \d+ SCPs .*set controls\.protectWorkspaces\.splitByTarget: true and attach it to the OUs or accounts that hold the protected workspaces/,
      ),
    ]);
  });

  test("spread over accounts with protectWorkspaces on each account and splitByTarget: each carries its own, and 300 protected workspaces synthesize within every quota", async () => {
    const raw = sample();
    const ids = addAccounts(raw, 30);
    raw.workspaces.push(...ids.flatMap((account, a) => Array.from({ length: 10 }, (_, i) => protectedWorkspace(`wrkspc_A${a}W${i}`, account))));
    raw.controls.protectWorkspaces.attachTo = [PAYMENTS, ...ids];
    raw.controls.protectWorkspaces.splitByTarget = true;
    withoutTrail(raw);
    const result = await outcome(raw);
    expect(result.ok ? quotaViolations(result.plan) : result.problems).toEqual([]);
    const plan = (result as { plan: BaselinePlan }).plan;
    const onAccount = plan.scps.documents.filter((d) => d.targets.includes(ids[0]));
    // Ten protected workspaces are more than one SCP holds: two parts, on that account only, holding its own workspaces only.
    expect(onAccount.map((d) => [d.controls, d.targets])).toEqual([
      [["protectWorkspaces (part 1 of 2)"], [ids[0]]],
      [["protectWorkspaces (part 2 of 2)"], [ids[0]]],
    ]);
    const content = onAccount.map((d) => d.content).join("");
    for (let i = 0; i < 10; i++) expect(content).toContain(`"ProtectWorkspaceA0W${i}"`);
    expect(content).not.toMatch(/wrkspc_A[1-9]|wrkspc_01PaymentsProd/);
  });

  test("a workspace's allow-list too long for one statement: an error naming that workspace's protection and the pattern fix", async () => {
    const end = await breakingPoint(
      (raw, n) => {
        raw.workspaces[0].protection.allowedPrincipals.push(
          ...Array.from({ length: n }, (_, i) => `arn:aws:iam::${PAYMENTS}:role/service-role/generated-principal-${i}`),
        );
      },
      25,
      1000,
    );
    expect(end).toBeDefined();
    expect(end!.problems.length).toBeGreaterThan(0);
    for (const p of end!.problems)
      expect(p).toMatch(/^controls\.protectWorkspaces .*admit fewer principals in workspaces\[0\]\.protection\.allowedPrincipals and allowedTeams/);
  });

  test("keyAdmins too long: an error naming controls.protectWorkspaces.keyAdmins", async () => {
    const end = await breakingPoint(
      (raw, n) => {
        raw.controls.protectWorkspaces.keyAdmins = Array.from({ length: n }, (_, i) => `arn:aws:iam::${PAYMENTS}:role/key-admin-number-${i}`);
      },
      25,
      1000,
    );
    expect(end).toBeDefined();
    for (const p of end!.problems) expect(p).toMatch(/controls\.protectWorkspaces\.keyAdmins/);
  });
});

describe("approvedWorkspacesOnly", () => {
  test("many approved workspaces: the action list is cut into statements while the workspace list fits one, then an error naming the rule's workspaces", async () => {
    let cut = false;
    const end = await breakingPoint(
      (raw, n) => {
        const ids = Array.from({ length: n }, (_, i) => `wrkspc_SandboxGenerated${i}`);
        raw.workspaces.push(...ids.map((id) => ({ id, account: "555555555555", region: "us-east-1" })));
        raw.controls.approvedWorkspacesOnly[0].workspaces.push(...ids);
      },
      5,
      400,
    ).then(async (e) => e);
    expect(end).toBeDefined();
    // Just below the breaking point the rule synthesized, its action list cut over two statements.
    const raw = sample();
    const ids = Array.from({ length: end!.n - 5 }, (_, i) => `wrkspc_SandboxGenerated${i}`);
    raw.workspaces.push(...ids.map((id) => ({ id, account: "555555555555", region: "us-east-1" })));
    raw.controls.approvedWorkspacesOnly[0].workspaces.push(...ids);
    const below = await outcome(raw);
    if (below.ok) cut = below.plan.scps.documents.some((d) => d.content.includes("DenyUnapprovedWorkspacesPart2"));
    expect(cut).toBe(true);
    expect(end!.problems).toEqual([
      expect.stringMatching(/^controls\.approvedWorkspacesOnly\[0\] .*approve fewer workspaces in controls\.approvedWorkspacesOnly\[0\]\.workspaces/),
    ]);
  });
});

describe("principal lists in SCP conditions", () => {
  test("limitConsoleFederation.allow too long: an error naming it", async () => {
    const end = await breakingPoint(
      (raw, n) => {
        raw.controls.limitConsoleFederation.allow.push(
          ...Array.from({ length: n }, (_, i) => ({ principal: `arn:aws:iam::*:role/console-user-number-${i}`, capabilities: ["developer"] })),
        );
      },
      25,
      1000,
    );
    expect(end).toBeDefined();
    for (const p of end!.problems) expect(p).toMatch(/^controls\.limitConsoleFederation .*list fewer principals in controls\.limitConsoleFederation\.allow/);
  });

  test("exemptions too long: an error naming exemptions", async () => {
    const end = await breakingPoint(
      (raw, n) => {
        raw.exemptions = Array.from({ length: n }, (_, i) => `arn:aws:iam::*:role/exempt-pipeline-role-${i}`);
      },
      25,
      1000,
    );
    expect(end).toBeDefined();
    expect(end!.problems.length).toBeGreaterThan(0);
    for (const p of end!.problems) expect(p).toMatch(/list fewer principals in (exemptions|deployment\.bootstrapPrincipals or exemptions)/);
  });

  test("team roles under tamper protection: a thousand synthesize within every quota, and tamper protection is what it is with three", async () => {
    const raw = sample();
    raw.teams.push(
      ...Array.from({ length: 1000 }, (_, i) => ({
        name: `gen-${i}`,
        roleName: `generated-team-role-with-a-long-name-${i}`,
        accounts: [["444444444444", "555555555555"][i % 2]],
        workspaces: "all",
        access: ["inference"],
        permissionSet: `Gen${i}`,
      })),
    );
    const [many, three] = [await outcome(raw), await outcome(sample())];
    if (!many.ok || !three.ok) throw new Error(`did not synthesize: ${JSON.stringify(many.ok ? three : many)}`);
    expect(quotaViolations(many.plan)).toEqual([]);
    expect(many.plan.roles.stacks.flatMap((s) => s.roles)).toHaveLength(1003 + 2);
    const protection = (plan: BaselinePlan) => plan.scps.documents.filter((d) => d.controlIds.includes("protectAuditTrail")).map((d) => d.content);
    expect(protection(many.plan)).toEqual(protection(three.plan));
  }, 120_000);
});

describe("the audit trail", () => {
  test("data events for a list of workspaces: past CloudTrail's 500 values, an error naming auditTrail.dataEvents", async () => {
    const end = await breakingPoint(
      (raw, n) => {
        const ids = Array.from({ length: n }, (_, i) => `wrkspc_Trail${i}`);
        raw.workspaces.push(...ids.map((id) => ({ id, account: "444444444444", region: "us-west-2" })));
        raw.auditTrail.dataEvents.workspaces = ids;
      },
      50,
      1000,
    );
    expect(end).toBeDefined();
    expect(end!.problems).toEqual([expect.stringMatching(/^auditTrail\.dataEvents: .*over CloudTrail's 500 per trail.*set workspaces: all, or list fewer/)]);
  });

  test("per-workspace alarms: past the log group's metric filter quota, an error naming the protected workspaces", async () => {
    const end = await breakingPoint(
      (raw, n) => raw.workspaces.push(...Array.from({ length: n }, (_, i) => protectedWorkspace(`wrkspc_Alarm${i}`, PAYMENTS))),
      5,
      200,
    );
    expect(end).toBeDefined();
    expect(end!.problems).toEqual(expect.arrayContaining([expect.stringMatching(/metric filters .* over CloudWatch Logs' 100 per log group/)]));
  });

  test("a long trail name with a protected workspace: an alarm name over CloudWatch's 255 characters is an error naming auditTrail.name", async () => {
    const raw = sample();
    raw.auditTrail.name = "t".repeat(128);
    raw.auditTrail.bucketName = "governance-trail-logs-222222222222";
    raw.workspaces[0].id = `wrkspc_${"P".repeat(100)}`;
    raw.teams[0].workspaces = [raw.workspaces[0].id];
    const result = await outcome(raw);
    // (An id this long also makes the pattern of one alarm too long: reported on its own line.)
    expect(result.ok ? quotaViolations(result.plan) : result.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^auditTrail\.name: the alarm name t+-protected-workspace-access-denied-P+ \(with workspace wrkspc_P+, workspaces\[0\]\) is \d+ characters, over CloudWatch's 255; shorten auditTrail\.name$/,
        ),
        expect.stringMatching(/^auditTrail\.name: the alarm name t+-protected-workspace-changes-P+ .*shorten auditTrail\.name$/),
      ]),
    );
  });
});

test("log readers: past the S3 bucket policy quota, an error naming auditTrail.logReaders", async () => {
  const end = await breakingPoint(
    (raw, n) => {
      raw.auditTrail.logReaders = Array.from({ length: n }, (_, i) => `arn:aws:iam::222222222222:role/investigations/log-reader-number-${i}`);
    },
    50,
    2000,
  );
  expect(end).toBeDefined();
  expect(end!.problems).toEqual([
    expect.stringMatching(/^auditTrail: the log bucket policy is [\d,]+ bytes, over the quota of 20,480 .*list fewer roles in auditTrail\.logReaders/),
  ]);
});

describe("team roles", () => {
  test("a team listing many workspaces: past IAM's inline policy quota, an error naming the team and workspaces: all", async () => {
    const end = await breakingPoint(
      (raw, n) => {
        const ids = Array.from({ length: n }, (_, i) => `wrkspc_ResearchGenerated${i}`);
        raw.workspaces.push(...ids.map((id) => ({ id, account: "444444444444", region: "us-west-2" })));
        raw.teams[1].workspaces.push(...ids);
      },
      10,
      500,
    );
    expect(end).toBeDefined();
    expect(end!.problems.length).toBeGreaterThan(0);
    for (const p of end!.problems) expect(p).toMatch(/^teams\[1\] \(research\) in account 444444444444: .*give it workspaces: all/);
  });
});
