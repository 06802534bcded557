/**
 * The team role stacks as Terraform sees them: one per account holding team roles, each with its
 * own state and provider; every policy a literal canonical JSON string; addresses that follow the
 * team, so reordering teams changes nothing and editing one team touches only its accounts'
 * stacks; and the checks that stop synthesis (quotas, wildcards, unknown actions) naming the team.
 */
import { Catalog } from "../policies/catalog";
import { checkDocument } from "../policies/check";
import { policyDocument } from "../policies/document";
import { SynthesisError } from "../policies/errors";
import { planRoles, wildcardProblems } from "../policies/roles";
import { profileStatements } from "../policies/roles/documents";
import { configFromYaml, sampleConfig, sampleYaml, synthesize, type TerraformJson } from "./harness/synth";

const ROLE_STACKS = ["roles-payments-prod", "roles-research-dev", "roles-sandbox"];

async function stacksOf(yaml?: string): Promise<Map<string, string>> {
  const out = await synthesize(yaml ? configFromYaml(yaml) : sampleConfig());
  try {
    return new Map(["organization", "audit", ...ROLE_STACKS].map((name) => [name, out.stackText(name)]));
  } finally {
    out.cleanup();
  }
}

let sample: Map<string, string>;
const json = (name: string) => JSON.parse(sample.get(name)!) as TerraformJson;

beforeAll(async () => {
  sample = await stacksOf();
});

describe("a roles-<account> stack", () => {
  test("keeps its own encrypted, locked state and acts only in its account, through the deployment role", () => {
    for (const [name, account] of [
      ["roles-payments-prod", "333333333333"],
      ["roles-research-dev", "444444444444"],
      ["roles-sandbox", "555555555555"],
    ]) {
      const stack = json(name);
      expect(stack.terraform?.backend).toEqual({
        s3: { bucket: "example-org-terraform-state", key: `claude-platform-baseline/${name}.tfstate`, region: "us-east-1", encrypt: true, use_lockfile: true },
      });
      expect(stack.provider?.aws?.[0]).toMatchObject({
        allowed_account_ids: [account],
        assume_role: [{ role_arn: `arn:aws:iam::${account}:role/platform-governance-deployer` }],
        default_tags: [{ tags: { "managed-by": "claude-platform-baseline" } }],
      });
    }
  });

  test("names every resource after its team; each role has its name, root path, description, tags, session limit and boundary, and exactly its own policies", () => {
    const stack = json("roles-payments-prod");
    expect(Object.keys(stack.resource ?? {}).sort()).toEqual([
      "aws_iam_policy",
      "aws_iam_role",
      "aws_iam_role_policies_exclusive",
      "aws_iam_role_policy",
      "aws_iam_role_policy_attachments_exclusive",
    ]);
    expect(stack.resource!.aws_iam_role_policies_exclusive["team-payments-inline-only"]).toMatchObject({
      role_name: "${aws_iam_role.team-payments.name}",
      policy_names: ["claude-platform-access"],
    });
    expect(stack.resource!.aws_iam_role_policy_attachments_exclusive["team-payments-no-attachments"]).toMatchObject({
      role_name: "${aws_iam_role.team-payments.name}",
      policy_arns: [],
    });
    expect(Object.keys(stack.resource!.aws_iam_role).sort()).toEqual(["team-payments", "team-security-audit"]);
    expect(Object.keys(stack.resource!.aws_iam_role_policy).sort()).toEqual(["team-payments-access", "team-security-audit-access"]);
    expect(Object.keys(stack.resource!.aws_iam_policy).sort()).toEqual(["team-payments-boundary", "team-security-audit-boundary"]);
    const role = stack.resource!.aws_iam_role["team-payments"];
    expect(role).toMatchObject({
      name: "payments-ai-inference",
      path: "/",
      max_session_duration: 3600,
      permissions_boundary: "arn:aws:iam::333333333333:policy/claude-platform-baseline/payments-ai-inference-boundary",
      tags: { team: "payments" },
    });
    expect(String(role.description)).toContain("team payments: inference, batch-inference on 1 workspace");
    expect(stack.resource!.aws_iam_policy["team-payments-boundary"]).toMatchObject({
      name: "payments-ai-inference-boundary",
      path: "/claude-platform-baseline/",
    });
    expect(stack.output?.["team_role_arn_payments"]).toMatchObject({ value: "arn:aws:iam::333333333333:role/payments-ai-inference" });
    expect(stack.output?.["team_role_arns"]).toMatchObject({
      value: { payments: "arn:aws:iam::333333333333:role/payments-ai-inference", "security-audit": "arn:aws:iam::333333333333:role/security-audit-ai-reader" },
    });
  });

  test("every policy is a literal, canonical, minified JSON string: no tokens, no data sources", () => {
    for (const name of ROLE_STACKS) {
      const stack = json(name);
      expect(stack).not.toHaveProperty("data");
      const documents = [
        ...Object.values(stack.resource!.aws_iam_role).map((r) => r.assume_role_policy),
        ...Object.values(stack.resource!.aws_iam_role_policy).map((r) => r.policy),
        ...Object.values(stack.resource!.aws_iam_policy).map((r) => r.policy),
      ];
      expect(documents.length).toBeGreaterThan(0);
      for (const text of documents) {
        expect(typeof text).toBe("string");
        expect(text).not.toContain("${");
        const parsed = JSON.parse(String(text));
        expect(JSON.stringify(policyDocument(parsed.Statement))).toBe(text);
      }
    }
  });

  test("no Allow in any role document names an action by wildcard", () => {
    for (const name of ROLE_STACKS) {
      const stack = json(name);
      const texts = [...Object.values(stack.resource!.aws_iam_role_policy), ...Object.values(stack.resource!.aws_iam_policy)].map((r) => String(r.policy));
      for (const text of texts) {
        for (const statement of JSON.parse(text).Statement) {
          for (const action of statement.Action ?? [])
            expect({ sid: statement.Sid, action, wildcard: /[*?]/.test(action) }).toEqual({ sid: statement.Sid, action, wildcard: false });
          expect(statement).not.toHaveProperty("NotAction");
        }
      }
    }
  });
});

describe("a small config edit makes a small plan", () => {
  test("reordering the teams changes no byte of any stack", async () => {
    const text = sampleYaml();
    const start = text.indexOf("  - name: payments");
    const research = text.indexOf("  - name: research");
    const audit = text.indexOf("  - name: security-audit");
    const end = text.indexOf("\ncontrols:");
    const reordered =
      text.slice(0, start) + text.slice(audit, end) + "\n" + text.slice(research, audit) + text.slice(start, research).trimEnd() + "\n" + text.slice(end);
    expect(reordered).not.toBe(text);
    const after = await stacksOf(reordered);
    for (const name of ROLE_STACKS) expect({ name, same: after.get(name) === sample.get(name) }).toEqual({ name, same: true });
  });

  test("changing one team's profiles changes only the stacks of its accounts", async () => {
    const after = await stacksOf(sampleYaml().replace("access: [inference, agent-development]", "access: [inference]"));
    const changed = [...after].filter(([name, text]) => sample.get(name) !== text).map(([name]) => name);
    expect(changed).toEqual(["roles-research-dev"]);
  });
});

describe("what stops synthesis, naming the team", () => {
  const manyWorkspaces = (count: number) => {
    const ids = Array.from({ length: count }, (_, i) => `wrkspc_01Research${String(i).padStart(3, "0")}`);
    const declared = ids.map((id) => `  - id: ${id}\n    account: "444444444444"\n    region: us-west-2\n`).join("");
    return sampleYaml()
      .replace("\nteams:\n", `${declared}\nteams:\n`)
      .replace("workspaces: [wrkspc_01ResearchDev]", `workspaces: [${ids.join(", ")}]`)
      .replace("access: [inference, agent-development]", "access: [inference, agent-development, metadata-read, content-read, workspace-admin]");
  };

  test("an access policy over IAM's inline quota says which team to split and how", async () => {
    const config = configFromYaml(manyWorkspaces(3));
    const error = await planRoles(config, await Catalog.load(["aws-external-anthropic", "sts"])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SynthesisError);
    expect((error as SynthesisError).problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^teams\[1\] \(research\) in account 444444444444: the access policy is [\d,]+ characters, over IAM's 10,240 \(.+\); split team research into teams with fewer workspaces or profiles each, or give it workspaces: all$/,
        ),
      ]),
    );
  });

  test("just under the quota it builds: two workspaces with five profiles", async () => {
    const plan = await planRoles(configFromYaml(manyWorkspaces(2)), await Catalog.load(["aws-external-anthropic", "sts"]));
    const research = plan.stacks.find((s) => s.name === "roles-research-dev")!.roles.find((r) => r.team === "research")!;
    expect(research.workspaceArns.length).toBe(2);
    expect(research.policies.access.length).toBeLessThanOrEqual(10_240);
  });

  test("the no-wildcard rule fails on a Get* or NotAction in an Allow, and leaves Deny alone", () => {
    const problems = wildcardProblems(
      policyDocument([
        { Sid: "Reader", Effect: "Allow", Action: ["aws-external-anthropic:Get*", "aws-external-anthropic:ListFiles"], Resource: ["*"] },
        { Sid: "Everything", Effect: "Allow", NotAction: ["iam:*"], Resource: ["*"] },
        { Sid: "Guard", Effect: "Deny", Action: ["aws-external-anthropic:*"], Resource: ["*"] },
      ]),
    );
    expect(problems).toEqual([
      "statement Everything: allows everything but iam:* by wildcard; name each action",
      "statement Reader: allows aws-external-anthropic:Get* by wildcard; name each action",
    ]);
  });

  test("a profile action the reference data does not know is reported by the document checks", async () => {
    const catalog = await Catalog.load(["aws-external-anthropic"]);
    const problems: string[] = [];
    const statements = profileStatements(
      [
        {
          id: "inference",
          title: "t",
          summary: "s",
          omits: "o",
          nearestManagedPolicy: { name: "n", difference: "d" },
          capabilities: [{ sid: "Typo", does: "d", actions: ["aws-external-anthropic:CreateInferense"] }],
        },
      ],
      ["arn:aws:aws-external-anthropic:us-east-1:333333333333:workspace/wrkspc_01PaymentsProd"],
      catalog,
      problems,
    );
    expect(await checkDocument(policyDocument(statements), catalog)).toEqual([
      "statement Typo: action aws-external-anthropic:CreateInferense is not in the IAM reference data",
    ]);
  });

  test("a capability mixing workspace actions with resource-less ones is refused", async () => {
    const catalog = await Catalog.load(["aws-external-anthropic"]);
    const problems: string[] = [];
    profileStatements(
      [
        {
          id: "metadata-read",
          title: "t",
          summary: "s",
          omits: "o",
          nearestManagedPolicy: { name: "n", difference: "d" },
          capabilities: [{ sid: "Mixed", does: "d", actions: ["aws-external-anthropic:ListFiles", "aws-external-anthropic:ListWorkspaces"] }],
        },
      ],
      ["arn:aws:aws-external-anthropic:us-east-1:333333333333:workspace/wrkspc_01PaymentsProd"],
      catalog,
      problems,
    );
    expect(problems).toEqual([`profile metadata-read, Mixed: mixes actions that take a workspace with actions that take only "*"; split it`]);
  });
});
