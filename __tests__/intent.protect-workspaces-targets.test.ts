/**
 * protectWorkspaces on several targets, proven on the synthesized organization stack: the sample
 * with a second protected workspace, in the sandbox account (Sandbox OU), and the control attached
 * (a) to the root and (b) to both OUs. Either way each workspace is closed to an administrator of
 * its own account and open to its allow-list; on the OUs each OU's SCPs carry its own workspaces'
 * statements and key statement only, so adding to one OU never rewrites the other's documents.
 */
import { Catalog } from "../policies/catalog";
import { workspaceScopedActions } from "../policies/scp/approved-workspaces-only";
import { scpChain, scpsByTarget, type ChainLevel, type OrgPolicy } from "./harness/organization";
import { decide, type Principal } from "./harness/simulate";
import { configFromYaml, sampleYaml, synthesize } from "./harness/synth";

const PAYMENTS = "333333333333";
const RESEARCH = "444444444444";
const SANDBOX = "555555555555";
const WORKLOADS_OU = "ou-a1b2-work0001";
const SANDBOX_OU = "ou-a1b2-sand0001";
const arn = (id: string, account: string) => `arn:aws:aws-external-anthropic:us-east-1:${account}:workspace/${id}`;
const PAYMENTS_PROD = arn("wrkspc_01PaymentsProd", PAYMENTS);
const SANDBOX_PLAY = arn("wrkspc_01SandboxPlay", SANDBOX);
const admin = (account: string): Principal => ({ account, role: "Administrator" });

/** The sample, with wrkspc_01SandboxPlay protected (only `sandbox-lead` and the security-audit team) and protectWorkspaces on `targets`. */
function variant(targets: string): string {
  const swap = (text: string, from: string, to: string) => {
    if (!text.includes(from)) throw new Error(`the sample config no longer contains ${JSON.stringify(from)}`);
    return text.replace(from, to);
  };
  const yaml = swap(
    sampleYaml(),
    "  protectWorkspaces:\n    attachTo: [ou-a1b2-work0001]",
    `  protectWorkspaces:\n    attachTo: ${targets}\n    splitByTarget: true`,
  );
  return swap(
    yaml,
    '  - id: wrkspc_01SandboxPlay\n    account: "555555555555"\n    region: us-east-1',
    '  - id: wrkspc_01SandboxPlay\n    account: "555555555555"\n    region: us-east-1\n    protection:\n      allowedPrincipals: ["arn:aws:iam::555555555555:role/sandbox-lead"]\n      allowedTeams: [security-audit]\n      allowBreakGlass: false',
  );
}

interface Layout {
  readonly chains: Map<string, ChainLevel[]>;
  readonly attached: Map<string, OrgPolicy[]>;
}

async function layoutOf(targets: string): Promise<Layout> {
  const out = await synthesize(configFromYaml(variant(targets)));
  try {
    const stack = out.stack("organization");
    const attached = scpsByTarget(stack);
    const chains = new Map(out.config.organization.accounts.map((a) => [a.id, scpChain(out.config, stack, a.id)]));
    return { chains, attached };
  } finally {
    out.cleanup();
  }
}

/** The Sids of the protectWorkspaces statements attached directly to a target, with the key statement's accounts. */
function protection(layout: Layout, target: string): { sids: string[]; keyAccounts: unknown } {
  const statements = (layout.attached.get(target) ?? []).flatMap((p) => p.policy.Statement);
  const sids = statements.map((s) => String(s.Sid)).filter((sid) => sid.startsWith("ProtectWorkspace"));
  const keys = statements.find((s) => s.Sid === "ProtectWorkspaceKeys") as { Condition?: { StringEquals?: Record<string, unknown> } } | undefined;
  return { sids: sids.sort(), keyAccounts: keys?.Condition?.StringEquals?.["aws:PrincipalAccount"] };
}

let actions: string[];
const layouts = new Map<string, Layout>();

beforeAll(async () => {
  actions = workspaceScopedActions(await Catalog.load());
  for (const targets of ["[r-a1b2]", `[${WORKLOADS_OU}, ${SANDBOX_OU}]`]) layouts.set(targets, await layoutOf(targets));
});

describe.each(["[r-a1b2]", `[${WORKLOADS_OU}, ${SANDBOX_OU}]`])("protectWorkspaces attached to %s", (targets) => {
  const chain = (account: string) => layouts.get(targets)!.chains.get(account)!;

  test.each([
    ["wrkspc_01PaymentsProd", PAYMENTS, PAYMENTS_PROD, "ProtectWorkspace01PaymentsProd"],
    ["wrkspc_01SandboxPlay", SANDBOX, SANDBOX_PLAY, "ProtectWorkspace01SandboxPlay"],
  ])("%s: an administrator of its account is denied every workspace action", async (_id, account, resource, sid) => {
    expect(actions.length).toBeGreaterThan(60);
    for (const action of actions) {
      const d = await decide(chain(account), { principal: admin(account), action, resource });
      expect({ action, ...d }).toEqual({ action, result: "ExplicitlyDenied", deniedBy: expect.arrayContaining([sid]) });
    }
  });

  test.each([
    ["payments-ai-inference on wrkspc_01PaymentsProd", { account: PAYMENTS, role: "payments-ai-inference" }, PAYMENTS_PROD],
    ["sandbox-lead on wrkspc_01SandboxPlay", { account: SANDBOX, role: "sandbox-lead" }, SANDBOX_PLAY],
    ["the security-audit role on wrkspc_01SandboxPlay", { account: SANDBOX, role: "security-audit-ai-reader" }, SANDBOX_PLAY],
  ] as Array<[string, Principal, string]>)("%s: the allow-listed principal is allowed every workspace action", async (_name, principal, resource) => {
    for (const action of actions) {
      const d = await decide(chain(principal.account), { principal, action, resource });
      expect({ action, result: d.result }).toEqual({ action, result: "Allowed" });
    }
  });

  test("one workspace's allow-list does not admit to the other: sandbox-lead's name in the payments account is denied wrkspc_01PaymentsProd", async () => {
    const d = await decide(chain(PAYMENTS), {
      principal: { account: PAYMENTS, role: "sandbox-lead" },
      action: "aws-external-anthropic:CreateInference",
      resource: PAYMENTS_PROD,
    });
    expect(d).toEqual({ result: "ExplicitlyDenied", deniedBy: ["ProtectWorkspace01PaymentsProd"] });
  });

  test.each([
    ["denied in 333333333333, which holds a protected workspace", PAYMENTS, { result: "ExplicitlyDenied", deniedBy: ["ProtectWorkspaceKeys"] }],
    ["denied in 555555555555, which holds a protected workspace", SANDBOX, { result: "ExplicitlyDenied", deniedBy: ["ProtectWorkspaceKeys"] }],
    ["allowed in 444444444444, which holds none (its keys are its own business)", RESEARCH, { result: "Allowed", deniedBy: [] }],
  ])("RegisterKey by an administrator: %s", async (_name, account, expected) => {
    expect(await decide(chain(account), { principal: admin(account), action: "aws-external-anthropic:RegisterKey", resource: "*" })).toEqual(expected);
  });
});

describe("attached to both OUs: each OU carries only its own workspaces", () => {
  const layout = () => layouts.get(`[${WORKLOADS_OU}, ${SANDBOX_OU}]`)!;

  test("the Workloads OU: wrkspc_01PaymentsProd and the keys of 333333333333 only", () => {
    expect(protection(layout(), WORKLOADS_OU)).toEqual({
      sids: ["ProtectWorkspace01PaymentsProd", "ProtectWorkspace01PaymentsProdLookalikes", "ProtectWorkspace01PaymentsProdRoles", "ProtectWorkspaceKeys"],
      keyAccounts: [PAYMENTS],
    });
  });

  test("the Sandbox OU: wrkspc_01SandboxPlay and the keys of 555555555555 only", () => {
    expect(protection(layout(), SANDBOX_OU)).toEqual({
      sids: ["ProtectWorkspace01SandboxPlay", "ProtectWorkspace01SandboxPlayRoles", "ProtectWorkspaceKeys"],
      keyAccounts: [SANDBOX],
    });
  });

  test("the root carries no protectWorkspaces statement", () => {
    expect(protection(layout(), "r-a1b2")).toEqual({ sids: [], keyAccounts: undefined });
  });
});

test("attached to the root: the root carries both workspaces and the keys of both accounts, no OU carries any", () => {
  const layout = layouts.get("[r-a1b2]")!;
  expect(protection(layout, "r-a1b2")).toEqual({
    sids: [
      "ProtectWorkspace01PaymentsProd",
      "ProtectWorkspace01PaymentsProdLookalikes",
      "ProtectWorkspace01PaymentsProdRoles",
      "ProtectWorkspace01SandboxPlay",
      "ProtectWorkspace01SandboxPlayRoles",
      "ProtectWorkspaceKeys",
    ],
    keyAccounts: [PAYMENTS, SANDBOX],
  });
  for (const ou of [WORKLOADS_OU, SANDBOX_OU]) expect({ ou, ...protection(layout, ou) }).toEqual({ ou, sids: [], keyAccounts: undefined });
});
