/**
 * A Deny statement too large for one SCP is cut along its action list (policies/scp/overflow.ts):
 * proven on the synthesized output that the pieces, in documents of their own, deny exactly what
 * the whole statement did. The sample's Sandbox OU approves 59 workspaces, more than one SCP holds
 * with the workspace-scoped action list.
 */
import { CLAUDE_SERVICE, Catalog } from "../policies/catalog";
import { workspaceScopedActions } from "../policies/scp/approved-workspaces-only";
import { accountChains, scpsByTarget, type ChainLevel } from "./harness/organization";
import { decide, type Principal } from "./harness/simulate";
import { configFromYaml, sampleYaml, synthesize } from "./harness/synth";

const SANDBOX = "555555555555";
const admin: Principal = { account: SANDBOX, role: "Administrator" };
const arn = (id: string, region = "us-east-1") => `arn:aws:aws-external-anthropic:${region}:${SANDBOX}:workspace/${id}`;
const APPROVED = Array.from({ length: 58 }, (_, i) => `wrkspc_SandboxApproved${i}`);

function yaml(): string {
  const text = sampleYaml();
  const declared = APPROVED.map((id) => `  - id: ${id}\n    account: "555555555555"\n    region: us-east-1\n`).join("");
  const withWorkspaces = text.replace("\nteams:\n", `${declared}\nteams:\n`);
  const rule = "      workspaces: [wrkspc_01SandboxPlay]";
  if (!withWorkspaces.includes(rule) || withWorkspaces === text) throw new Error("the sample config no longer has the shape this test edits");
  return withWorkspaces.replace(rule, `      workspaces: [wrkspc_01SandboxPlay, ${APPROVED.join(", ")}]`);
}

let chain: ChainLevel[];
let actions: string[];
let sandboxSids: string[];

beforeAll(async () => {
  const config = configFromYaml(yaml());
  actions = workspaceScopedActions(await Catalog.load());
  chain = (await accountChains(config)).get(SANDBOX)!;
  const out = await synthesize(config);
  try {
    sandboxSids = (scpsByTarget(out.stack("organization")).get("ou-a1b2-sand0001") ?? []).flatMap((p) => p.policy.Statement.map((s) => String(s.Sid)));
  } finally {
    out.cleanup();
  }
});

test("the rule is cut: its action list is spread over several statements, in more than one SCP on the Sandbox OU", () => {
  const pieces = sandboxSids.filter((sid) => sid.startsWith("DenyUnapprovedWorkspaces"));
  expect(pieces[0]).toBe("DenyUnapprovedWorkspaces");
  expect(pieces).toContain("DenyUnapprovedWorkspacesPart2");
});

test.each(["us-east-1", "eu-west-1"])("an unapproved workspace in %s is denied every workspace action, by one piece or another", async (region) => {
  for (const action of actions) {
    const d = await decide(chain, { principal: admin, action, resource: arn("wrkspc_01Unapproved", region) });
    expect({ action, result: d.result, by: d.deniedBy.length === 1 && /^DenyUnapprovedWorkspaces(Part\d+)?$/.test(d.deniedBy[0]) }).toEqual({
      action,
      result: "ExplicitlyDenied",
      by: true,
    });
  }
});

test.each([["wrkspc_01SandboxPlay"], [APPROVED[0]], [APPROVED[57]]])("the approved workspace %s is usable for every workspace action", async (id) => {
  for (const action of actions) {
    const d = await decide(chain, { principal: admin, action, resource: arn(id) });
    expect({ action, result: d.result }).toEqual({ action, result: "Allowed" });
  }
});

test("actions that take no workspace keep working", async () => {
  for (const action of ["ListWorkspaces", "GetAccountStatus", "ListKeys"].map((a) => `${CLAUDE_SERVICE}:${a}`)) {
    expect({ action, result: (await decide(chain, { principal: admin, action })).result }).toEqual({ action, result: "Allowed" });
  }
});
