/**
 * The pull-request review's pure steps: which stacks changed, a plan's summary (counts as
 * `terraform plan` prints them, replacements named), the comment (marker, skipped, failed and
 * removed stacks, truncation), and the override that plans as a read-only role.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { compareStacks, readStacks, stacksToPlan, terraformContent, type ChangedStacks } from "../scripts/changed-stacks";
import {
  COMMENT_LIMIT,
  COMMENT_MARKER,
  MAX_LISTED,
  readPlans,
  renderComment,
  summarizePlan,
  type CommentInput,
  type PlannedStack,
  type StackPlan,
} from "../scripts/pr-comment";
import { OVERRIDE_FILE, planRoleOverride, writePlanRoleOverride } from "../scripts/pr-plan-role";
import { buildTerraformEnv, renderCliConfig } from "../scripts/terraform-tier-lib";
import { configFromYaml, sampleConfig, sampleYaml, synthesize } from "./harness/synth";
import { offlineTerraform } from "./harness/terraform-plan";

const FIXTURES = path.join(__dirname, "fixtures", "plans");
const fixture = (name: string): unknown => JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), "utf8"));

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), "pr-review-"));
}

function writeStack(stacksDir: string, name: string, doc: unknown): void {
  mkdirSync(path.join(stacksDir, name), { recursive: true });
  writeFileSync(path.join(stacksDir, name, "cdk.tf.json"), typeof doc === "string" ? doc : JSON.stringify(doc, null, 2));
}

describe("changed stacks", () => {
  const role = (policy: string) => ({
    "//": { metadata: { version: "0.21.0", stackName: "s" } },
    resource: { aws_iam_role: { team: { "//": { metadata: { path: "a/b/team" } }, name: "team", inline_policy: policy } } },
    terraform: { backend: { s3: { key: "s.tfstate" } } },
  });

  test("added, changed, removed and unchanged stacks, from two stacks directories", () => {
    const root = tempDir();
    try {
      const base = path.join(root, "base");
      const head = path.join(root, "head");
      writeStack(base, "organization", role("{}"));
      writeStack(head, "organization", role("{}"));
      writeStack(base, "roles-payments-prod", role('{"Statement":[]}'));
      writeStack(head, "roles-payments-prod", role('{"Statement":[{"Effect":"Allow"}]}'));
      writeStack(base, "roles-sandbox", role("{}"));
      writeStack(head, "roles-playground", role("{}"));
      // Not a stack: no cdk.tf.json.
      mkdirSync(path.join(head, "notes"));
      const stacks = compareStacks(readStacks(head), readStacks(base));
      expect(stacks).toEqual({
        compared: true,
        added: ["roles-playground"],
        changed: ["roles-payments-prod"],
        removed: ["roles-sandbox"],
        unchanged: ["organization"],
      });
      expect(stacksToPlan(stacks)).toEqual(["roles-payments-prod", "roles-playground"]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test("key order, whitespace and cdktf's comments are not changes; a value, an array order or a new key is", () => {
    const doc = role("{}");
    const same = JSON.stringify(doc);
    expect(terraformContent(JSON.stringify({ terraform: doc.terraform, resource: doc.resource }, null, 4))).toBe(terraformContent(same));
    const upgraded = { ...doc, "//": { metadata: { version: "0.22.0", stackName: "s" } } };
    expect(terraformContent(JSON.stringify(upgraded))).toBe(terraformContent(same));
    const moved = role("{}");
    moved.resource.aws_iam_role.team["//"].metadata.path = "a/c/team";
    expect(terraformContent(JSON.stringify(moved))).toBe(terraformContent(same));
    expect(terraformContent(JSON.stringify(role("{ }")))).not.toBe(terraformContent(same));
    const reordered = { ...doc, provider: { aws: [{ allowed_account_ids: ["1", "2"] }] } };
    const reversed = { ...doc, provider: { aws: [{ allowed_account_ids: ["2", "1"] }] } };
    expect(terraformContent(JSON.stringify(reordered))).not.toBe(terraformContent(JSON.stringify(reversed)));
    expect(terraformContent(JSON.stringify({ ...doc, output: {} }))).not.toBe(terraformContent(same));
  });

  test("without a base every head stack is planned, and nothing is called removed", () => {
    const head = new Map([
      ["b", "{}"],
      ["a", "{}"],
    ]);
    expect(compareStacks(head, undefined)).toEqual({ compared: false, added: [], changed: ["a", "b"], removed: [], unchanged: [] });
  });

  test("a stack name that is unsafe as a path, artifact or matrix value is refused", () => {
    const root = tempDir();
    try {
      writeStack(root, "roles-$(id)", {});
      expect(() => readStacks(root)).toThrow(/"roles-\$\(id\)" is not a stack name/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test("the sample org synthesized twice, once with one team's access changed: only that team's account stack changes", async () => {
    const base = await synthesize(sampleConfig());
    const head = await synthesize(
      configFromYaml(sampleYaml().replace("access: [inference, agent-development]", "access: [inference, agent-development, metadata-read]")),
    );
    try {
      const stacks = compareStacks(readStacks(path.join(head.outdir, "stacks")), readStacks(path.join(base.outdir, "stacks")));
      expect(stacks).toEqual({
        compared: true,
        added: [],
        changed: ["roles-research-dev"],
        removed: [],
        unchanged: ["audit", "organization", "roles-payments-prod", "roles-sandbox"],
      });
    } finally {
      base.cleanup();
      head.cleanup();
    }
  });
});

describe("plan summary", () => {
  test("a real plan from empty state: five to add, nothing else", () => {
    expect(summarizePlan("roles-sandbox", fixture("roles-sandbox-create"))).toEqual({
      stack: "roles-sandbox",
      status: "planned",
      add: 5,
      change: 0,
      destroy: 0,
      replacements: [],
      destroys: [],
    });
  });

  test("a real plan with replacements counts as terraform prints it (2 to add, 1 to change, 3 to destroy) and names what is replaced and why", () => {
    expect(summarizePlan("roles-sandbox", fixture("roles-sandbox-replace"))).toEqual({
      stack: "roles-sandbox",
      status: "planned",
      add: 2,
      change: 1,
      destroy: 3,
      replacements: [
        { address: "aws_iam_policy.team-security-audit-boundary", because: "description cannot change in place" },
        { address: "aws_iam_role.team-security-audit", because: "name cannot change in place" },
      ],
      destroys: [{ address: "aws_iam_role.team-payments", because: "no longer in the configuration" }],
    });
  });

  test("create-before-destroy is a replacement too; reads and no-ops count for nothing", () => {
    const summary = summarizePlan("organization", fixture("organization-create-before-destroy")) as PlannedStack;
    expect([summary.add, summary.change, summary.destroy]).toEqual([1, 1, 1]);
    expect(summary.replacements).toEqual([{ address: "aws_organizations_policy_attachment.scp-1-r-a1b2", because: "target_id cannot change in place" }]);
    expect(summarizePlan("audit", fixture("audit-no-changes"))).toMatchObject({ add: 0, change: 0, destroy: 0, replacements: [], destroys: [] });
  });

  test("the summary holds addresses and actions, never the plan's values", () => {
    const text = JSON.stringify(summarizePlan("roles-sandbox", fixture("roles-sandbox-replace")));
    expect(text).not.toContain("arn:aws:iam::555555555555");
    expect(text).not.toContain("aws-external-anthropic:");
    expect(text).not.toContain("AROAEXAMPLE");
  });

  test("an errored plan is a failure; anything but show -json output is refused", () => {
    expect(summarizePlan("audit", { ...(fixture("audit-no-changes") as object), errored: true })).toEqual({
      stack: "audit",
      status: "failed",
      reason: "the plan errored",
    });
    expect(() => summarizePlan("audit", { resource_changes: [] })).toThrow(/not the output of terraform show -json/);
  });
});

describe("the comment", () => {
  const stacks: ChangedStacks = {
    compared: true,
    added: ["roles-playground"],
    changed: ["audit", "organization", "roles-sandbox"],
    removed: ["roles-old"],
    unchanged: ["roles-payments-prod", "roles-research-dev"],
  };
  const plans: StackPlan[] = [
    summarizePlan("roles-sandbox", fixture("roles-sandbox-replace")),
    summarizePlan("roles-playground", fixture("roles-sandbox-create")),
    summarizePlan("audit", fixture("audit-no-changes")),
    { stack: "organization", status: "failed", reason: "terraform plan failed | see the log" },
  ];
  const input: CommentInput = {
    accessDiff: { markdown: "### Access diff: 1 principal loses access\n\n#### roles-sandbox\n\n- `security-audit-ai-reader`: may no longer `ListSkills`\n" },
    stacks,
    plans,
    runUrl: "https://github.com/o/r/actions/runs/1",
  };

  test("starts with the marker, then the access diff, then a row per planned stack", () => {
    const comment = renderComment(input);
    expect(comment.startsWith(`${COMMENT_MARKER}\n`)).toBe(true);
    expect(comment.indexOf("may no longer `ListSkills`")).toBeLessThan(comment.indexOf("### Terraform plans"));
    // The access diff brings its own heading; no second one.
    expect(comment.match(/^### Access diff/gm)).toEqual(["### Access diff"]);
    expect(comment).toContain("| `roles-sandbox` | 2 | 1 | 3 | ⚠️ **2 replacements** |");
    expect(comment).toContain("| `roles-playground` | 5 | 0 | 0 |  |");
    expect(comment).toContain("| `audit` | 0 | 0 | 0 | no changes |");
    expect(comment).toContain("[the workflow run](https://github.com/o/r/actions/runs/1)");
  });

  test("replacements are called out with a warning that lists each address; plain destroys are listed too", () => {
    const comment = renderComment(input);
    expect(comment).toContain("> [!WARNING]\n> **`roles-sandbox` replaces 2 resources.**");
    expect(comment).toContain("> - `aws_iam_role.team-security-audit` (name cannot change in place)");
    expect(comment).toContain("> - `aws_iam_policy.team-security-audit-boundary` (description cannot change in place)");
    expect(comment).toContain("**`roles-sandbox` destroys 1 resource:**\n- `aws_iam_role.team-payments` (no longer in the configuration)");
    expect(comment).not.toMatch(/roles-playground` replaces/);
  });

  test("a failed plan is marked in its row; unchanged stacks are said to be skipped; removed stacks get a caution", () => {
    const comment = renderComment(input);
    expect(comment).toContain("| `organization` | | | | ❌ **failed to plan:** terraform plan failed \\| see the log |");
    expect(comment).toContain("Unchanged, so not planned: `roles-payments-prod`, `roles-research-dev`.");
    expect(comment).toMatch(/> \[!CAUTION\]\n> \*\*Removed stack: `roles-old`\.\*\* Merging destroys nothing/);
  });

  test("a stack with no summary (its plan job died) is marked, not left out", () => {
    const comment = renderComment({ ...input, plans: plans.filter((p) => p.stack !== "roles-playground") });
    expect(comment).toContain("| `roles-playground` | | | | ❌ **no plan result** (the plan job did not finish) |");
  });

  test("without credentials (a fork) the access diff still shows and every changed stack says it was not planned", () => {
    const comment = renderComment({ ...input, plans: [], plansSkipped: "pull requests from forks get no AWS credentials" });
    expect(comment).toContain("may no longer `ListSkills`");
    expect(comment).toContain("Plans did not run: pull requests from forks get no AWS credentials.");
    expect(comment.match(/⏭️ not planned/g)).toHaveLength(4);
  });

  test("a failed access diff or review step is said loudly; nothing to plan is said plainly", () => {
    const comment = renderComment({
      accessDiff: { error: "error: base origin/main does not synthesize:\n  teams[0]: ..." },
      stacks: { compared: true, added: [], changed: [], removed: [], unchanged: ["audit"] },
      plans: [],
      reviewFailures: ["npm test"],
    });
    expect(comment).toContain("> [!CAUTION]\n> `npm test` failed: this review is incomplete");
    expect(comment).toContain("### Access diff\n\n❌ **The access diff failed:** error: base origin/main does not synthesize: teams[0]: ...");
    expect(comment).toContain("No stack changes: nothing to plan.");
    expect(comment).toContain("Unchanged, so not planned: `audit`.");
  });

  test("when the base did not synthesize, the comment says every stack was planned", () => {
    const comment = renderComment({ ...input, stacks: { compared: false, added: [], changed: ["audit"], removed: [], unchanged: [] }, plans: [plans[2]] });
    expect(comment).toContain("every stack was planned");
  });

  test("a huge access diff is cut at a line, its code fence closed, and the plans still show, within GitHub's limit", () => {
    const lines = [
      "```diff",
      ...Array.from({ length: 20_000 }, (_, i) => `+ arn:aws:iam::333333333333:role/team-${i}: aws-external-anthropic:CreateInference`),
      "```",
    ];
    const comment = renderComment({ ...input, accessDiff: { markdown: lines.join("\n") } });
    expect(comment.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(comment.length).toBeGreaterThan(COMMENT_LIMIT - 1_000);
    expect(comment).toContain("> The access diff is cut here");
    expect(comment).toContain("> **`roles-sandbox` replaces 2 resources.**");
    const access = comment.slice(0, comment.indexOf("> The access diff is cut here"));
    const accessLines = access.trim().split("\n");
    expect(accessLines.filter((line) => line.startsWith("```"))).toHaveLength(2);
    // Whole lines only: every line inside the fence is one of the diff's lines, uncut.
    const inside = accessLines.slice(accessLines.indexOf("```diff") + 1, accessLines.lastIndexOf("```"));
    expect(inside.length).toBeGreaterThan(100);
    expect(inside.every((line) => /^\+ arn:aws:iam::333333333333:role\/team-\d+: aws-external-anthropic:CreateInference$/.test(line))).toBe(true);
  });

  test("a plan with hundreds of replacements lists the first ones and counts the rest; a comment too long anyway is cut with a note", () => {
    const many: PlannedStack = {
      stack: "organization",
      status: "planned",
      add: 500,
      change: 0,
      destroy: 500,
      destroys: [],
      replacements: Array.from({ length: 500 }, (_, i) => ({ address: `aws_organizations_policy.scp-${i}` })),
    };
    const comment = renderComment({ stacks: { ...stacks, changed: ["organization"], added: [] }, plans: [many] });
    expect(comment.match(/^> - `aws_organizations_policy/gm)).toHaveLength(MAX_LISTED);
    expect(comment).toContain(`> - … and ${500 - MAX_LISTED} more`);
    const tight = renderComment({ stacks: { ...stacks, changed: ["organization"], added: [] }, plans: [many] }, 2_000);
    expect(tight.length).toBeLessThanOrEqual(2_000);
    expect(tight.startsWith(COMMENT_MARKER)).toBe(true);
    expect(tight).toMatch(/… \(cut: the comment is longer than GitHub allows/);
  });

  test("summaries are read back from the plan jobs' files; an unreadable one is its stack's failure", () => {
    const dir = tempDir();
    try {
      writeFileSync(path.join(dir, "audit.json"), JSON.stringify(plans[2]));
      writeFileSync(path.join(dir, "organization.json"), "{ not json");
      expect(readPlans(dir)).toEqual([plans[2], { stack: "organization", status: "failed", reason: "the plan summary is unreadable" }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("plans run as a read-only role", () => {
  test("the override swaps the deployment role for the plan role in the stack's own account", async () => {
    const out = await synthesize(sampleConfig());
    try {
      const stack = out.stack("roles-sandbox");
      expect(stack.provider?.aws[0].assume_role).toEqual([
        { role_arn: "arn:aws:iam::555555555555:role/platform-governance-deployer", session_name: "claude-platform-baseline-roles-sandbox" },
      ]);
      expect(planRoleOverride(stack, "claude-platform-pr-plan")).toEqual({
        provider: {
          aws: [
            {
              assume_role: [
                { role_arn: "arn:aws:iam::555555555555:role/claude-platform-pr-plan", session_name: "pr-plan-claude-platform-baseline-roles-sandbox" },
              ],
            },
          ],
        },
      });
      const dir = path.join(out.outdir, "stacks", "organization");
      expect(writePlanRoleOverride(dir, "claude-platform-pr-plan")).toBe("arn:aws:iam::111111111111:role/claude-platform-pr-plan");
      expect(JSON.parse(readFileSync(path.join(dir, OVERRIDE_FILE), "utf8")).provider.aws[0].assume_role[0].role_arn).toBe(
        "arn:aws:iam::111111111111:role/claude-platform-pr-plan",
      );
    } finally {
      out.cleanup();
    }
  });

  test("with assumeRole off, the override adds the role; a role name that could bend the ARN is refused", () => {
    const stack = { provider: { aws: [{ alias: "home", allowed_account_ids: ["222222222222"], region: "us-east-1" }] } };
    expect(planRoleOverride(stack, "planner")).toEqual({
      provider: {
        aws: [{ alias: "home", assume_role: [{ role_arn: "arn:aws:iam::222222222222:role/planner", session_name: "pr-plan-claude-platform-baseline" }] }],
      },
    });
    expect(() => planRoleOverride(stack, "planner/../x")).toThrow(/not an IAM role name/);
    expect(() => planRoleOverride({ provider: {} }, "planner")).toThrow(/no aws provider/);
  });

  // Terraform itself merges the override: the provider then tries to assume the plan role (and fails
  // offline, which is the point: its error names the role it tried). Skipped without terraform.
  const tools = offlineTerraform();
  (tools ? test : test.skip)(
    "terraform plans a stack with the override as the plan role, not the deployment role",
    async () => {
      const out = await synthesize(sampleConfig());
      const root = tempDir();
      try {
        const stack = out.stack("roles-sandbox");
        delete stack.terraform!.backend;
        const work = path.join(root, "work");
        mkdirSync(work);
        writeFileSync(path.join(work, "cdk.tf.json"), JSON.stringify(stack));
        writePlanRoleOverride(work, "claude-platform-pr-plan");
        writeFileSync(path.join(root, "terraform.tfrc"), renderCliConfig(tools!.providerDir));
        const env = {
          ...buildTerraformEnv(process.env, { cliConfigFile: path.join(root, "terraform.tfrc"), dataDir: path.join(root, "tf-data"), homeDir: root }),
          AWS_MAX_ATTEMPTS: "1",
        };
        const plan = spawnSync(tools!.terraform, ["plan", "-input=false", "-lock=false", "-no-color"], { cwd: work, env, encoding: "utf8" });
        expect(plan.status).not.toBe(0);
        // The only role terraform tried (its source excerpt quotes cdk.tf.json, deployment role and all).
        expect([...plan.stderr.matchAll(/IAM Role \((arn:[^)]*)\) cannot be\s+assumed/g)].map((m) => m[1])).toEqual([
          "arn:aws:iam::555555555555:role/claude-platform-pr-plan",
        ]);
      } finally {
        out.cleanup();
        rmSync(root, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
