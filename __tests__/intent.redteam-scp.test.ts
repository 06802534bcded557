/**
 * Red-team of two SCP changes: protectWorkspaces built per target (each attachment target carries
 * only the statements of protected workspaces in accounts under it) and Deny statements cut along
 * their Action or Resource list when too large for one SCP. Every attack is written as a test that
 * asserts the SECURE outcome, proven on the synthesized organization stack with iam-simulate: an
 * attack that holds is a regression test, a finding is a failing test.
 *
 * The attacker is an administrator of a member account (AdministratorAccess, no access to the
 * management account), or a config author making an honest mistake.
 */
import { Catalog } from "../policies/catalog";
import { workspaceScopedActions } from "../policies/scp/approved-workspaces-only";
import type { BaselineConfig } from "../config/schema";
import { scpsByTarget, type ChainLevel, type OrgPolicy } from "./harness/organization";
import { chainFromAttachments } from "../review/synthesized";
import { decide, type Principal } from "./harness/simulate";
import { configFromYaml, sampleYaml, synthesize } from "./harness/synth";
import { planBaseline } from "../policies/baseline";

const PAYMENTS = "333333333333";
const RESEARCH = "444444444444";
const SANDBOX = "555555555555";
const ROOT = "r-a1b2";
const WORKLOADS_OU = "ou-a1b2-work0001";
const SANDBOX_OU = "ou-a1b2-sand0001";
const wsArn = (id: string, account: string, region = "us-east-1") => `arn:aws:aws-external-anthropic:${region}:${account}:workspace/${id}`;
const PAYMENTS_PROD = wsArn("wrkspc_01PaymentsProd", PAYMENTS);
const SANDBOX_PLAY = wsArn("wrkspc_01SandboxPlay", SANDBOX);
const admin = (account: string): Principal => ({ account, role: "Administrator" });
const deployer = (account: string): Principal => ({ account, role: "platform-governance-deployer" });

function swap(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`the sample config no longer contains ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

const SANDBOX_PLAY_DECL = '  - id: wrkspc_01SandboxPlay\n    account: "555555555555"\n    region: us-east-1';
const PROTECT_ON_WORKLOADS = "  protectWorkspaces:\n    attachTo: [ou-a1b2-work0001]";

/** The sample with protectWorkspaces on `targets` (and `extra` options), wrkspc_01SandboxPlay protected for sandbox-lead and the security-audit team. */
function variant(targets: string, { extra = "", sandboxAccount = SANDBOX } = {}): string {
  const yaml = swap(sampleYaml(), PROTECT_ON_WORKLOADS, `  protectWorkspaces:\n    attachTo: ${targets}${extra}`);
  return swap(
    yaml,
    SANDBOX_PLAY_DECL,
    `  - id: wrkspc_01SandboxPlay\n    account: "${sandboxAccount}"\n    region: us-east-1\n    protection:\n      allowedPrincipals: ["arn:aws:iam::${sandboxAccount}:role/sandbox-lead"]\n      allowedTeams: [security-audit]\n      allowBreakGlass: false`,
  );
}

interface Synth {
  readonly config: BaselineConfig;
  readonly attached: Map<string, OrgPolicy[]>;
  chain(account: string, org?: BaselineConfig): ChainLevel[];
}

async function synth(yaml: string): Promise<Synth> {
  const out = await synthesize(configFromYaml(yaml));
  try {
    const attached = scpsByTarget(out.stack("organization"));
    return { config: out.config, attached, chain: (account, org = out.config) => chainFromAttachments(org, attached, account) };
  } finally {
    out.cleanup();
  }
}

/** A statement read loosely, for checking its lists. */
type Loose = { Sid: string; Action: string[]; Resource?: string[]; NotResource: string[]; Condition: Record<string, Record<string, string[]>> };

let actions: string[];
beforeAll(async () => {
  actions = workspaceScopedActions(await Catalog.load());
});

/** Every workspace-scoped action on `resource` by `principal` in `chain`: the ones not explicitly denied. */
async function notDenied(chain: ChainLevel[], principal: Principal, resource: string): Promise<string[]> {
  const open: string[] = [];
  for (const action of actions) {
    const d = await decide(chain, { principal, action, resource });
    if (d.result !== "ExplicitlyDenied") open.push(action);
  }
  return open;
}

describe("per-target split: every protected workspace stays closed to an administrator of its account", () => {
  test.each([
    ["the root and the Workloads OU", `[${ROOT}, ${WORKLOADS_OU}]`],
    ["both OUs and the payments account itself", `[${WORKLOADS_OU}, "${PAYMENTS}", ${SANDBOX_OU}]`],
    ["the payments account and the sandbox account directly", `["${PAYMENTS}", "${SANDBOX}"]`],
    ["both OUs", `[${WORKLOADS_OU}, ${SANDBOX_OU}]`],
    ["the root", `[${ROOT}]`],
  ])("attached to %s", async (_name, targets) => {
    const s = await synth(variant(targets));
    expect(await notDenied(s.chain(PAYMENTS), admin(PAYMENTS), PAYMENTS_PROD)).toEqual([]);
    expect(await notDenied(s.chain(SANDBOX), admin(SANDBOX), SANDBOX_PLAY)).toEqual([]);
    // The allow-lists still work.
    expect(await notDenied(s.chain(SANDBOX), { account: SANDBOX, role: "sandbox-lead" }, SANDBOX_PLAY)).toEqual(actions);
    // And the key statements follow the accounts.
    for (const account of [PAYMENTS, SANDBOX]) {
      for (const action of ["RegisterKey", "UpdateKey", "DisableKey"])
        expect(await decide(s.chain(account), { principal: admin(account), action: `aws-external-anthropic:${action}` })).toMatchObject({
          result: "ExplicitlyDenied",
        });
    }
    expect((await decide(s.chain(RESEARCH), { principal: admin(RESEARCH), action: "aws-external-anthropic:RegisterKey" })).result).toBe("Allowed");
  });

  test("a workspace ARN in another region or with a path under it is still denied (the ARN keeps its wildcards)", async () => {
    const s = await synth(variant(`[${WORKLOADS_OU}, ${SANDBOX_OU}]`));
    for (const resource of [wsArn("wrkspc_01PaymentsProd", PAYMENTS, "eu-west-1"), `${PAYMENTS_PROD}/session/x`]) {
      expect(await decide(s.chain(PAYMENTS), { principal: admin(PAYMENTS), action: "aws-external-anthropic:CreateInference", resource })).toMatchObject({
        result: "ExplicitlyDenied",
      });
    }
  });

  test("a role path look-alike of a wildcard allow-list entry is still denied on its target", async () => {
    const s = await synth(variant(`[${WORKLOADS_OU}, ${SANDBOX_OU}]`));
    const lookalike: Principal = { account: PAYMENTS, role: "anything", path: "payments-ai-x" };
    expect(await notDenied(s.chain(PAYMENTS), lookalike, PAYMENTS_PROD)).toEqual([]);
  });

  test("an administrator cannot create a role the allow-list admits, in the account of the workspace", async () => {
    const s = await synth(variant(`[${WORKLOADS_OU}, ${SANDBOX_OU}]`));
    for (const [account, role] of [
      [PAYMENTS, "payments-ai-evil"],
      [SANDBOX, "sandbox-lead"],
    ]) {
      const d = await decide(s.chain(account), { principal: admin(account), action: "iam:CreateRole", resource: `arn:aws:iam::${account}:role/${role}` });
      expect({ account, result: d.result }).toEqual({ account, result: "ExplicitlyDenied" });
    }
  });

  test("exempt: true on both OUs: the deployment role is let through, an administrator is not", async () => {
    const s = await synth(variant(`[${WORKLOADS_OU}, ${SANDBOX_OU}]`, { extra: "\n    exempt: true" }));
    expect(await notDenied(s.chain(SANDBOX), admin(SANDBOX), SANDBOX_PLAY)).toEqual([]);
    expect(await notDenied(s.chain(SANDBOX), deployer(SANDBOX), SANDBOX_PLAY)).toEqual(actions);
    // An administrator who names a role like the deployment role but at another path is not the deployment role.
    expect(await notDenied(s.chain(SANDBOX), { account: SANDBOX, role: "platform-governance-deployer", path: "x" }, SANDBOX_PLAY)).toEqual([]);
  });

  /**
   * FINDING (medium): the per-target split trusts the config's OU tree. Accounts are moved
   * between OUs in the management account (Organizations MoveAccount) and the config is updated
   * later, if at all. With protectWorkspaces on both OUs the whole-control layout put every
   * protected workspace on both OUs, so a moved account stayed protected; now the Sandbox OU's
   * document carries only what the config says lives under it.
   */
  test("an account moved to another OU that also carries protectWorkspaces keeps its workspace protected", async () => {
    const s = await synth(variant(`[${WORKLOADS_OU}, ${SANDBOX_OU}]`));
    // The organization as it really is: the sandbox account now sits in the Workloads OU (where no
    // approvedWorkspacesOnly rule happens to deny the workspace for another reason).
    const actual: BaselineConfig = {
      ...s.config,
      organization: {
        ...s.config.organization,
        accounts: s.config.organization.accounts.map((a) => (a.id === SANDBOX ? { ...a, parent: WORKLOADS_OU } : a)),
      },
    };
    expect(await notDenied(s.chain(SANDBOX, actual), admin(SANDBOX), SANDBOX_PLAY)).toEqual([]);
    const key = await decide(s.chain(SANDBOX, actual), { principal: admin(SANDBOX), action: "aws-external-anthropic:RegisterKey" });
    expect(key.result).toBe("ExplicitlyDenied");
  });

  /**
   * FINDING (medium): names.ts promises "in any region and account: the id alone decides, so a
   * wrong region in the config cannot open a gap", and the whole-control layout kept that for the
   * account too. Per target, a wrong `account` (an honest typo: the research account instead of
   * the sandbox account, which validation accepts when only allowedPrincipals are listed) drops
   * the workspace's statement from the OU it really lives under.
   */
  test("a protected workspace declared in the wrong account (another OU that carries the control) is still protected where it lives", async () => {
    const yaml = variant(`[${WORKLOADS_OU}, ${SANDBOX_OU}]`, { sandboxAccount: RESEARCH });
    const s = await synth(yaml);
    // The workspace really lives in the sandbox account; its allow-list meant sandbox-lead there.
    expect(await notDenied(s.chain(SANDBOX), admin(SANDBOX), SANDBOX_PLAY)).toEqual([]);
  });

  /**
   * Defense in depth (low): the split assumes no principal of another account can act on a
   * workspace (the service has no resource policies). Where both accounts' targets carry the
   * control, the whole-control layout also denied a principal of another account; now the
   * Workloads OU's SCPs say nothing about wrkspc_01SandboxPlay (the Sandbox OU's approvedWorkspacesOnly
   * happens to cover the reverse direction), so if cross-account access ever
   * appears (a resource policy, a console or gateway path acting as the caller's account), the
   * SCP no longer stands in the way.
   */
  test("an administrator of another account under a target carrying the control is denied the protected workspace's ARN", async () => {
    const s = await synth(variant(`[${WORKLOADS_OU}, ${SANDBOX_OU}]`));
    expect(await notDenied(s.chain(RESEARCH), admin(RESEARCH), SANDBOX_PLAY)).toEqual([]);
  });
});

describe("statements cut along their lists: never deny less, never deny more", () => {
  // 157 exact names put ProtectWorkspaceKeys just over the quota: cut along its three actions, each piece fits.
  const keyAdmins = Array.from({ length: 157 }, (_, i) => `arn:aws:iam::${PAYMENTS}:role/key-administrator-number-${String(i).padStart(4, "0")}`);

  test("a key-admin list too large for one SCP: each piece keeps the whole allow-list and account list; administrators denied, the last key admin allowed", async () => {
    const extra = `\n    keyAdmins:\n${keyAdmins.map((a) => `      - ${a}`).join("\n")}`;
    const s = await synth(variant(`[${WORKLOADS_OU}, ${SANDBOX_OU}]`, { extra }));
    const statements = (s.attached.get(WORKLOADS_OU) ?? []).flatMap((p) => p.policy.Statement) as unknown as Array<Loose>;
    const keys = statements.filter((st) => /^ProtectWorkspaceKeys(Part\d+)?$/.test(st.Sid));
    expect(keys.length).toBeGreaterThan(1);
    const actionsCovered = keys.flatMap((st) => st.Action).sort();
    expect(actionsCovered).toEqual(["aws-external-anthropic:DisableKey", "aws-external-anthropic:RegisterKey", "aws-external-anthropic:UpdateKey"]);
    for (const st of keys) {
      expect(st.Condition.StringEquals["aws:PrincipalAccount"]).toEqual([PAYMENTS, SANDBOX]); // whole (the default): every target carries every account with a protected workspace
      expect(st.Condition.ArnNotLike["aws:PrincipalArn"]).toEqual(expect.arrayContaining(keyAdmins));
    }
    for (const action of ["RegisterKey", "UpdateKey", "DisableKey"]) {
      const full = `aws-external-anthropic:${action}`;
      expect((await decide(s.chain(PAYMENTS), { principal: admin(PAYMENTS), action: full })).result).toBe("ExplicitlyDenied");
      expect((await decide(s.chain(PAYMENTS), { principal: { account: PAYMENTS, role: "key-administrator-number-0156" }, action: full })).result).toBe(
        "Allowed",
      );
    }
    // The role guard on the key admins, cut along its role list, still guards every one of them.
    for (const role of ["key-administrator-number-0000", "key-administrator-number-0156"]) {
      const d = await decide(s.chain(PAYMENTS), {
        principal: admin(PAYMENTS),
        action: "iam:UpdateAssumeRolePolicy",
        resource: `arn:aws:iam::${PAYMENTS}:role/${role}`,
      });
      expect({ role, result: d.result }).toEqual({ role, result: "ExplicitlyDenied" });
    }
  });

  test("an approvedWorkspacesOnly list too large for one statement: every piece keeps the whole NotResource list (the approved ones stay usable, the rest denied)", async () => {
    const approved = Array.from({ length: 50 }, (_, i) => `wrkspc_Approved${String(i).padStart(3, "0")}PaddingPaddingPadding`);
    const decls = approved.map((id) => `  - id: ${id}\n    account: "${SANDBOX}"\n    region: us-east-1`).join("\n");
    let yaml = swap(sampleYaml(), SANDBOX_PLAY_DECL, `${SANDBOX_PLAY_DECL}\n${decls}`);
    yaml = swap(yaml, "      workspaces: [wrkspc_01SandboxPlay]", `      workspaces: [wrkspc_01SandboxPlay, ${approved.join(", ")}]`);
    let s: Synth;
    try {
      s = await synth(yaml);
    } catch (e) {
      // Refusing with a config error is secure too.
      expect(String(e)).toMatch(/approvedWorkspacesOnly/);
      return;
    }
    const statements = (s.attached.get(SANDBOX_OU) ?? []).flatMap((p) => p.policy.Statement) as unknown as Array<Loose>;
    const pieces = statements.filter((st) => /^DenyUnapprovedWorkspaces(Part\d+)?$/.test(st.Sid));
    // 50 approved workspaces put the statement over the quota: it is cut along its actions.
    expect(pieces.length).toBeGreaterThan(1);
    for (const st of pieces) {
      expect(st.Resource).toBeUndefined();
      expect(st.NotResource.length).toBe((approved.length + 1) * 2);
    }
    expect(await notDenied(s.chain(SANDBOX), admin(SANDBOX), wsArn("wrkspc_NotApproved", SANDBOX))).toEqual([]);
    expect(await notDenied(s.chain(SANDBOX), admin(SANDBOX), wsArn(approved[49], SANDBOX))).toEqual(actions);
  });

  test("a console allow-list too large for one SCP is refused (its ArnNotLike list cannot be cut), not cut", async () => {
    const allow = Array.from(
      { length: 200 },
      (_, i) => `      - principal: arn:aws:iam::${RESEARCH}:role/research-console-user-${String(i).padStart(4, "0")}\n        capabilities: [developer]`,
    );
    const yaml = swap(
      sampleYaml(),
      "    allow:\n      - principal: arn:aws:iam::*:role/research-ai-*\n        capabilities: [developer]",
      `    allow:\n      - principal: arn:aws:iam::*:role/research-ai-*\n        capabilities: [developer]\n${allow.join("\n")}`,
    );
    await expect(planBaseline(configFromYaml(yaml))).rejects.toThrow(/limitConsoleFederation/);
  });
});

describe("Sids of cut pieces and of workspaces never collide", () => {
  /**
   * FINDING (low): a workspace id is `wrkspc_[A-Za-z0-9]+`, and its statements are named
   * `ProtectWorkspace<id>`, the same namespace as the key statements (`ProtectWorkspaceKeys`,
   * `ProtectWorkspaceKeysLookalikes`, the cut `ProtectWorkspaceKeysPart2`) and the cut pieces of
   * another workspace (`ProtectWorkspace<id>Part2`). A legal id such as `wrkspc_Keys` must give a
   * config error naming the field, or distinct Sids, never a crash.
   */
  test.each(["wrkspc_Keys", "wrkspc_01PaymentsProdRoles"])("a protected workspace named %s synthesizes, or is refused with a config error", async (id) => {
    const yaml = swap(
      sampleYaml(),
      SANDBOX_PLAY_DECL,
      `${SANDBOX_PLAY_DECL}\n  - id: ${id}\n    account: "${PAYMENTS}"\n    region: us-east-1\n    protection:\n      allowedPrincipals: ["arn:aws:iam::${PAYMENTS}:role/other-lead"]\n      allowBreakGlass: false`,
    );
    let error: unknown;
    try {
      await planBaseline(configFromYaml(yaml));
    } catch (e) {
      error = e;
    }
    if (error) expect(String(error)).toMatch(/workspaces\[\d+\]/);
  });
});
