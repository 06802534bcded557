/**
 * A small config edit makes a small plan. Every resource is keyed by what it is (an SCP by its
 * targets' ids and the control it holds alone or its number, an attachment by its SCP and target,
 * an alarm subscription by its address, a team role by its team), so each edit below adds and
 * removes exactly the addresses named here, in exactly the stacks named, and leaves every other
 * resource as it was. An organization deployed with the previous scheme (SCPs keyed by display
 * names, subscriptions by their place in the list) finds every resource through a `moved` block,
 * and Terraform plans neither a destroy nor a create for them.
 */
import { readdirSync } from "node:fs";
import * as path from "node:path";
import { scpMoves } from "../policies/legacy-addresses";
import { planBaseline } from "../policies/baseline";
import { Catalog } from "../policies/catalog";
import { packScps, type PackedScp } from "../policies/pack";
import { buildControls, type BuiltControl } from "../policies/scp";
import { configFromYaml, sampleConfig, sampleYaml, synthesize, type TerraformJson } from "./harness/synth";
import { offlineTerraform, planJson } from "./harness/terraform-plan";

/** Stack name → the text of its cdk.tf.json. */
type Stacks = Map<string, string>;

async function stacksOf(yaml: string): Promise<Stacks> {
  const out = await synthesize(configFromYaml(yaml));
  try {
    return new Map(
      readdirSync(path.join(out.outdir, "stacks"))
        .sort()
        .map((name) => [name, out.stackText(name)]),
    );
  } finally {
    out.cleanup();
  }
}

const parse = (text: string) => JSON.parse(text) as TerraformJson & { moved?: Array<{ from: string; to: string }> };

/** Every resource of a stack by address, `<type>.<name>`. */
function resources(text: string | undefined): Map<string, string> {
  if (text === undefined) return new Map();
  return new Map(
    Object.entries(parse(text).resource ?? {}).flatMap(([type, byName]) =>
      Object.entries(byName).map(([name, r]) => [`${type}.${name}`, JSON.stringify(r)] as const),
    ),
  );
}

interface Change {
  appeared?: string[];
  disappeared?: string[];
  /** Addresses kept whose arguments changed (updated in place). */
  updated?: string[];
}

/** What an edit does to each stack it touches (a stack that appears or disappears counts whole). */
function changes(before: Stacks, after: Stacks): Record<string, Change> {
  const out: Record<string, Change> = {};
  for (const stack of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const [a, b] = [resources(before.get(stack)), resources(after.get(stack))];
    const change: Change = {
      appeared: [...b.keys()].filter((x) => !a.has(x)).sort(),
      disappeared: [...a.keys()].filter((x) => !b.has(x)).sort(),
      updated: [...b.keys()].filter((x) => a.has(x) && a.get(x) !== b.get(x)).sort(),
    };
    for (const key of ["appeared", "disappeared", "updated"] as const) if (change[key]!.length === 0) delete change[key];
    if (Object.keys(change).length > 0) out[stack] = change;
  }
  return out;
}

/** A stack's JSON without its moved blocks, which name the previous scheme's addresses. */
function withoutMoves(text: string): string {
  const { moved: _moved, ...rest } = parse(text);
  return JSON.stringify(rest);
}

const sids = (content: unknown) => (JSON.parse(String(content)) as { Statement: Array<{ Sid: string }> }).Statement.map((s) => s.Sid);

/** `text` with `from` replaced, which must be there: a sample that changed shape fails loudly, not silently. */
function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`the sample config no longer contains ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

const TWO_EMAILS = edit(sampleYaml(), "email: [security@example.com]", "email: [security@example.com, oncall@example.com]");
const teams = (names: readonly string[]) =>
  names
    .map(
      (n) =>
        `  - name: ${n}\n    roleName: ${n}-ai-inference\n    accounts: ["444444444444"]\n    workspaces: [wrkspc_01ResearchDev]\n    access: [inference]\n    permissionSet: Claude${n.replace(/-/g, "")}\n`,
    )
    .join("");
const withTeams = (yaml: string, names: readonly string[]) => edit(yaml, "\ncontrols:\n", `${teams(names)}\ncontrols:\n`);

const SCP = "aws_organizations_policy";
const ATTACHMENT = "aws_organizations_policy_attachment";

let sample: Stacks;
let twoEmails: Stacks;

beforeAll(async () => {
  [sample, twoEmails] = await Promise.all([stacksOf(sampleYaml()), stacksOf(TWO_EMAILS)]);
});

describe("a small config edit makes a small plan", () => {
  test("renaming an OU changes no resource or output of any stack: SCPs are keyed, named and described by the OU's id", async () => {
    const after = await stacksOf(edit(sampleYaml(), "{ id: ou-a1b2-work0001, name: Workloads,", "{ id: ou-a1b2-work0001, name: Production Workloads,"));
    expect(changes(sample, after)).toEqual({});
    // Only the moved blocks differ: they come from the previous scheme's display-name keys (apply the upgrade before renaming).
    for (const [name, text] of sample) expect({ name, same: withoutMoves(after.get(name)!) === withoutMoves(text) }).toEqual({ name, same: true });
  });

  test("renaming an account leaves every address in place; only its roles stack is renamed, with the state key that follows the stack's name", async () => {
    const after = await stacksOf(edit(sampleYaml(), '{ id: "555555555555", name: sandbox,', '{ id: "555555555555", name: sandbox-play,'));
    const roles = [...resources(sample.get("roles-sandbox")).keys()];
    expect(changes(sample, after)).toEqual({ "roles-sandbox": { disappeared: roles }, "roles-sandbox-play": { appeared: roles } });
    for (const name of ["organization", "audit", "roles-payments-prod", "roles-research-dev"])
      expect({ name, same: after.get(name) === sample.get(name) }).toEqual({ name, same: true });
  });

  test("removing the first of two alarm emails removes its subscription and nothing else", async () => {
    const after = await stacksOf(edit(TWO_EMAILS, "email: [security@example.com, oncall@example.com]", "email: [oncall@example.com]"));
    expect(changes(twoEmails, after)).toEqual({
      audit: { disappeared: [expect.stringMatching(/^aws_sns_topic_subscription\.alarm-email-security-example-com-[0-9a-f]{8}$/)] },
    });
    expect([...resources(after.get("audit")).keys()].filter((a) => a.startsWith("aws_sns_topic_subscription."))).toEqual([
      expect.stringMatching(/^aws_sns_topic_subscription\.alarm-email-oncall-example-com-[0-9a-f]{8}$/),
    ]);
  });

  test.each([
    ["limitServiceCredentialAge", "  limitServiceCredentialAge:\n    attachTo: [r-a1b2]\n    maxAgeDays: 90\n", "Limit the lifetime of long-term API keys"],
    ["workspaceCreationRules", "  workspaceCreationRules:\n    attachTo: [r-a1b2]\n    allowedRegions: [us-east-1]\n", "Workspace creation rules"],
  ])(
    "enabling %s at the root adds it to the root's numbered document; no address appears or disappears, no other document changes",
    async (_control, yaml, title) => {
      const after = await stacksOf(edit(sampleYaml(), "\ncontrols:\n", `\ncontrols:\n${yaml}`));
      expect(changes(sample, after)).toEqual({ organization: { updated: [`${SCP}.scp-root-1`] } });
      const [was, is] = [sample, after].map((stacks) => parse(stacks.get("organization")!).resource![SCP]["scp-root-1"]);
      expect(sids(is.content)).toEqual(expect.arrayContaining(sids(was.content)));
      expect(sids(is.content).length).toBeGreaterThan(sids(was.content).length);
      expect(String(is.description)).toContain(title);
    },
  );

  test("enabling a control that comes before every control of a group, in the canonical order, joins the group's document without re-keying it", async () => {
    const after = await stacksOf(
      edit(sampleYaml(), "\ncontrols:\n", "\ncontrols:\n  limitServiceCredentialAge:\n    attachTo: [ou-a1b2-work0001]\n    maxAgeDays: 90\n"),
    );
    expect(changes(sample, after)).toEqual({ organization: { updated: [`${SCP}.scp-ou-a1b2-work0001-1`] } });
  });

  test("adding a target to a control that shares a document: the document keeps its address and its other controls; the control moves to its new target set's document", async () => {
    const after = await stacksOf(
      edit(sampleYaml(), "  limitConsoleFederation:\n    attachTo: [r-a1b2]", "  limitConsoleFederation:\n    attachTo: [r-a1b2, ou-a1b2-sand0001]"),
    );
    const group = Object.keys(parse(after.get("organization")!).resource![SCP]).find((k) => k.startsWith("scp-2-targets-"))!;
    expect(group).toMatch(/^scp-2-targets-[0-9a-f]{8}-1$/);
    expect(changes(sample, after)).toEqual({
      organization: {
        appeared: [`${SCP}.${group}`, `${ATTACHMENT}.${group}-ou-a1b2-sand0001`, `${ATTACHMENT}.${group}-r-a1b2`],
        updated: [`${SCP}.scp-root-1`],
      },
    });
  });

  test("adding a target to a control alone on its targets: its document is replaced by one on the new target set (a control's document belongs to its targets)", async () => {
    const after = await stacksOf(
      edit(
        sampleYaml(),
        "  disableClaudePlatform:\n    attachTo: [ou-a1b2-plat0001]",
        // The audit account, under the Platform OU: no team has a role there for the control to disable.
        '  disableClaudePlatform:\n    attachTo: [ou-a1b2-plat0001, "222222222222"]',
      ),
    );
    const group = Object.keys(parse(after.get("organization")!).resource![SCP]).find((k) => k.startsWith("scp-2-targets-"))!;
    expect(changes(sample, after)).toEqual({
      organization: {
        appeared: [`${SCP}.${group}`, `${ATTACHMENT}.${group}-222222222222`, `${ATTACHMENT}.${group}-ou-a1b2-plat0001`],
        disappeared: [`${SCP}.scp-ou-a1b2-plat0001-1`, `${ATTACHMENT}.scp-ou-a1b2-plat0001-1-ou-a1b2-plat0001`],
      },
    });
  });

  test("protectWorkspaces is built per target: another target with no protected workspace under it changes nothing", async () => {
    const after = await stacksOf(
      edit(
        sampleYaml(),
        "  protectWorkspaces:\n    attachTo: [ou-a1b2-work0001]",
        "  protectWorkspaces:\n    attachTo: [ou-a1b2-work0001, ou-a1b2-sand0001]\n    splitByTarget: true",
      ),
    );
    expect(changes(sample, after)).toEqual({});
  });

  test("protecting a workspace of the sandbox account, with protectWorkspaces on both OUs, rewrites only the sandbox OU's SCP (and adds the workspace's alarms)", async () => {
    const both = edit(
      sampleYaml(),
      "  protectWorkspaces:\n    attachTo: [ou-a1b2-work0001]",
      "  protectWorkspaces:\n    attachTo: [ou-a1b2-work0001, ou-a1b2-sand0001]\n    splitByTarget: true",
    );
    const after = await stacksOf(
      edit(
        both,
        '  - id: wrkspc_01SandboxPlay\n    account: "555555555555"\n    region: us-east-1',
        '  - id: wrkspc_01SandboxPlay\n    account: "555555555555"\n    region: us-east-1\n    protection: { allowedTeams: [security-audit] }',
      ),
    );
    expect(changes(sample, after)).toEqual({
      audit: {
        appeared: [
          "aws_cloudwatch_log_metric_filter.filter-protected-workspace-access-denied-01SandboxPlay",
          "aws_cloudwatch_log_metric_filter.filter-protected-workspace-changes-01SandboxPlay",
          "aws_cloudwatch_metric_alarm.alarm-protected-workspace-access-denied-01SandboxPlay",
          "aws_cloudwatch_metric_alarm.alarm-protected-workspace-changes-01SandboxPlay",
        ],
      },
      organization: { updated: [`${SCP}.scp-ou-a1b2-sand0001-1`] },
    });
  });

  test("adding a team to an account adds its role's resources to that account's stack and changes nothing else: tamper protection knows team roles by their tag", async () => {
    const after = await stacksOf(withTeams(sampleYaml(), ["data"]));
    expect(changes(sample, after)).toEqual({
      "roles-research-dev": {
        appeared: [
          "aws_iam_policy.team-data-boundary",
          "aws_iam_role.team-data",
          "aws_iam_role_policies_exclusive.team-data-inline-only",
          "aws_iam_role_policy.team-data-access",
          "aws_iam_role_policy_attachments_exclusive.team-data-no-attachments",
        ],
      },
    });
  });

  test("forty teams more change no byte of the organization stack", async () => {
    const names = Array.from({ length: 40 }, (_, i) => `data-${i + 1}`);
    const [before, after] = await Promise.all([stacksOf(withTeams(sampleYaml(), names.slice(0, 1))), stacksOf(withTeams(sampleYaml(), names))]);
    expect(after.get("organization")).toEqual(before.get("organization"));
    expect(Object.keys(changes(before, after))).toEqual(["roles-research-dev"]);
  });

  test("reordering the OUs, the accounts and the teams in the YAML changes no byte of any stack", async () => {
    const text = sampleYaml();
    const swap = (yaml: string, a: string, b: string) => edit(edit(edit(yaml, a, "\u0000"), b, a), "\u0000", b);
    let reordered = swap(
      text,
      "    - { id: ou-a1b2-plat0001, name: Platform, parent: r-a1b2 }",
      "    - { id: ou-a1b2-sand0001, name: Sandbox, parent: r-a1b2 }",
    );
    reordered = swap(
      reordered,
      '    - { id: "111111111111", name: management, parent: r-a1b2 }',
      '    - { id: "555555555555", name: sandbox, parent: ou-a1b2-sand0001 }',
    );
    reordered = swap(
      reordered,
      '    - { id: "333333333333", name: payments-prod, parent: ou-a1b2-work0001 }',
      '    - { id: "444444444444", name: research-dev, parent: ou-a1b2-work0001 }',
    );
    const [start, research, audit, end] = ["  - name: payments", "  - name: research", "  - name: security-audit", "\ncontrols:"].map((s) =>
      reordered.indexOf(s),
    );
    reordered =
      reordered.slice(0, start) +
      reordered.slice(audit, end) +
      "\n" +
      reordered.slice(research, audit) +
      reordered.slice(start, research).trimEnd() +
      "\n" +
      reordered.slice(end);
    expect(reordered).not.toBe(text);
    const after = await stacksOf(reordered);
    expect([...after.keys()]).toEqual([...sample.keys()]);
    for (const [name, text] of sample) expect({ name, same: after.get(name) === text }).toEqual({ name, same: true });
  });
});

/**
 * The sample organization's addresses as the previous scheme (up to commit cb07986) synthesized
 * them, written out rather than computed, and where each is now: the moved blocks must say exactly this.
 */
const PREVIOUS_ADDRESSES: Record<string, Record<string, string>> = {
  organization: {
    [`${SCP}.scp-root-1`]: `${SCP}.scp-root-1`,
    [`${SCP}.scp-root-2`]: `${SCP}.scp-root-protectAuditTrail`,
    [`${SCP}.scp-ou-workloads-1`]: `${SCP}.scp-ou-a1b2-work0001-1`,
    [`${SCP}.scp-ou-sandbox-1`]: `${SCP}.scp-ou-a1b2-sand0001-1`,
    [`${SCP}.scp-ou-platform-1`]: `${SCP}.scp-ou-a1b2-plat0001-1`,
    [`${ATTACHMENT}.scp-root-1-r-a1b2`]: `${ATTACHMENT}.scp-root-1-r-a1b2`,
    [`${ATTACHMENT}.scp-root-2-r-a1b2`]: `${ATTACHMENT}.scp-root-protectAuditTrail-r-a1b2`,
    [`${ATTACHMENT}.scp-ou-workloads-1-ou-a1b2-work0001`]: `${ATTACHMENT}.scp-ou-a1b2-work0001-1-ou-a1b2-work0001`,
    [`${ATTACHMENT}.scp-ou-sandbox-1-ou-a1b2-sand0001`]: `${ATTACHMENT}.scp-ou-a1b2-sand0001-1-ou-a1b2-sand0001`,
    [`${ATTACHMENT}.scp-ou-platform-1-ou-a1b2-plat0001`]: `${ATTACHMENT}.scp-ou-a1b2-plat0001-1-ou-a1b2-plat0001`,
  },
  audit: {
    "aws_sns_topic_subscription.alarm-email-0": "aws_sns_topic_subscription.alarm-email-security-example-com-786906db",
  },
};

describe("an organization deployed with the previous addresses", () => {
  test.each(Object.keys(PREVIOUS_ADDRESSES))("%s: a moved block takes every previous address to its resource, and moves nothing else", (stack) => {
    const json = parse(sample.get(stack)!);
    const current = new Set(resources(sample.get(stack)).keys());
    const moved = Object.fromEntries((json.moved ?? []).map((m) => [m.from, m.to]));
    const now = Object.fromEntries(Object.keys(PREVIOUS_ADDRESSES[stack]).map((old) => [old, moved[old] ?? old]));
    expect(now).toEqual(PREVIOUS_ADDRESSES[stack]);
    for (const to of Object.values(now)) expect(current.has(to)).toBe(true);
    expect(Object.keys(moved).filter((from) => !(from in PREVIOUS_ADDRESSES[stack]) || current.has(from))).toEqual([]);
    expect(new Set(Object.values(moved)).size).toBe(Object.keys(moved).length);
  });

  test("no role stack has a moved block: team role addresses did not change", () => {
    for (const [name, text] of sample) if (name.startsWith("roles-")) expect({ name, moved: parse(text).moved }).toEqual({ name, moved: undefined });
  });

  const tools = offlineTerraform();
  (tools ? test : test.skip)(
    "Terraform plans their previous SCPs, attachments and subscription as updates in place, none destroyed or created",
    () => {
      const plans = [
        planJson(tools!, parse(sample.get("organization")!), previousState("organization")),
        planJson(tools!, parse(sample.get("audit")!), previousState("audit")),
      ];
      const changed = plans.flatMap(
        (plan) => (plan.resource_changes as Array<{ address: string; previous_address?: string; change: { actions: string[] } }>) ?? [],
      );
      const previous = Object.values(PREVIOUS_ADDRESSES).flatMap((m) => Object.keys(m));
      const fates = previous.map((old) => {
        const change = changed.find((c) => (c.previous_address ?? c.address) === old);
        return [old, change?.address, change?.change.actions.join(",")];
      });
      expect(fates).toEqual(
        previous.map((old) => [old, PREVIOUS_ADDRESSES.organization[old] ?? PREVIOUS_ADDRESSES.audit[old], expect.stringMatching(/^(update|no-op)$/)]),
      );
      expect(changed.filter((c) => c.change.actions.includes("delete")).map((c) => c.address)).toEqual([]);
    },
    120_000,
  );
});

describe("previous documents where the layout changed", () => {
  const config = sampleConfig();
  const bulky = (id: string, size: number): BuiltControl => ({
    id: id as BuiltControl["id"],
    ref: id,
    label: id,
    title: id,
    attachTo: ["r-a1b2"],
    statements: [{ Sid: id, Effect: "Deny", Action: ["iam:CreateUser"], Resource: [`arn:aws:iam::*:user/${"x".repeat(size)}`] }],
  });

  test("one that still has a document at its address stays there, whatever it holds now; another moves to the document holding its first control", () => {
    // Previously first-fit: scp-root-1 [a, c], scp-root-2 [b]. Now: root-a [a], root-b [b], root-1 [c].
    const controls = [bulky("a", 6000), bulky("b", 6000), bulky("c", 3000)];
    const documents = packScps(controls, config).documents;
    expect(documents.map((d) => [d.logicalId, d.controls])).toEqual([
      ["scp-root-a", ["a"]],
      ["scp-root-b", ["b"]],
      ["scp-root-1", ["c"]],
    ]);
    expect(scpMoves(controls, config, documents)).toEqual([
      { resource: "policy", from: "scp-root-2", to: "scp-root-b" },
      { resource: "attachment", from: "scp-root-2-r-a1b2", to: "scp-root-b-r-a1b2" },
    ]);
  });
});

const PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';

/** One resource of a Terraform state file, with one instance. */
function stateResource(type: string, name: string, attributes: Record<string, unknown>) {
  return { mode: "managed", type, name, provider: PROVIDER, instances: [{ schema_version: 0, attributes, sensitive_attributes: [] }] };
}

/** A state as the previous scheme left it: its addresses, names and ids; contents as now (a changed content is an update either way). */
function previousState(stack: string): unknown {
  const json = parse(sample.get(stack)!);
  const nowOf = (old: string) => {
    const [type, name] = PREVIOUS_ADDRESSES[stack][old].split(".");
    return json.resource![type][name];
  };
  const policyId = (old: string) => `p-${old.replace(/\W/g, "").slice(-8)}`;
  const list = Object.keys(PREVIOUS_ADDRESSES[stack]).map((old) => {
    const [type, name] = old.split(".");
    const now = nowOf(old);
    if (type === SCP) {
      const id = policyId(name);
      return stateResource(type, name, {
        id,
        arn: `arn:aws:organizations::111111111111:policy/o-a1b2c3d4e5/service_control_policy/${id}`,
        name: `claude-platform-baseline-${name.slice(4)}`,
        description: "Claude Platform baseline",
        content: now.content,
        type: now.type,
        skip_destroy: null,
        tags: null,
        tags_all: { "managed-by": "claude-platform-baseline" },
      });
    }
    if (type === ATTACHMENT) {
      const policy = Object.keys(PREVIOUS_ADDRESSES[stack]).find((o) => o.startsWith(`${SCP}.`) && name.startsWith(`${o.split(".")[1]}-`))!;
      return stateResource(type, name, {
        id: `${String(now.target_id)}:${policyId(policy.split(".")[1])}`,
        policy_id: policyId(policy.split(".")[1]),
        target_id: now.target_id,
        skip_destroy: null,
      });
    }
    return stateResource(type, name, {
      id: "arn:aws:sns:us-east-1:222222222222:claude-platform-governance-alarms:0c8e7f2a-0000-4000-8000-000000000000",
      arn: "arn:aws:sns:us-east-1:222222222222:claude-platform-governance-alarms:0c8e7f2a-0000-4000-8000-000000000000",
      topic_arn: TOPIC_ARN,
      protocol: now.protocol,
      endpoint: now.endpoint,
      confirmation_timeout_in_minutes: 1,
      endpoint_auto_confirms: false,
      raw_message_delivery: false,
      owner_id: "222222222222",
      pending_confirmation: false,
      confirmation_was_authenticated: false,
    });
  });
  // The subscription's topic, as deployed: its ARN is what the subscription's topic_arn will be.
  const topic =
    stack === "audit"
      ? [
          stateResource("aws_sns_topic", "alarm-topic", {
            id: TOPIC_ARN,
            arn: TOPIC_ARN,
            name: "claude-platform-governance-alarms",
            fifo_topic: false,
            content_based_deduplication: false,
            kms_master_key_id: "alias/claude-platform-governance-alarms",
            policy: "",
            tags: null,
            tags_all: { "managed-by": "claude-platform-baseline" },
          }),
        ]
      : [];
  return {
    version: 4,
    terraform_version: "1.11.4",
    serial: 1,
    lineage: "00000000-0000-4000-8000-000000000000",
    outputs: {},
    resources: [...list, ...topic],
    check_results: null,
  };
}

const TOPIC_ARN = "arn:aws:sns:us-east-1:222222222222:claude-platform-governance-alarms";

/** protectWorkspaces on the Workloads and Sandbox OUs, with a protected workspace under each. */
const BOTH_OUS_PROTECTED = edit(
  edit(
    sampleYaml(),
    "  protectWorkspaces:\n    attachTo: [ou-a1b2-work0001]",
    "  protectWorkspaces:\n    attachTo: [ou-a1b2-work0001, ou-a1b2-sand0001]\n    splitByTarget: true",
  ),
  '  - id: wrkspc_01SandboxPlay\n    account: "555555555555"\n    region: us-east-1',
  '  - id: wrkspc_01SandboxPlay\n    account: "555555555555"\n    region: us-east-1\n    protection: { allowedTeams: [security-audit] }',
);

/** A state holding `documents` and their attachments, as that layout deployed them (content as it was). */
function stateOfDocuments(documents: readonly PackedScp[]): unknown {
  const policyId = (logicalId: string) => `p-${logicalId.replace(/\W/g, "").slice(-8)}`;
  const resources = documents.flatMap((d) => [
    stateResource(SCP, d.logicalId, {
      id: policyId(d.logicalId),
      arn: `arn:aws:organizations::111111111111:policy/o-a1b2c3d4e5/service_control_policy/${policyId(d.logicalId)}`,
      name: d.name,
      description: d.description,
      content: d.content,
      type: "SERVICE_CONTROL_POLICY",
      skip_destroy: null,
      tags: null,
      tags_all: { "managed-by": "claude-platform-baseline" },
    }),
    ...d.targets.map((target) =>
      stateResource(ATTACHMENT, `${d.logicalId}-${target}`, {
        id: `${target}:${policyId(d.logicalId)}`,
        policy_id: policyId(d.logicalId),
        target_id: target,
        skip_destroy: null,
      }),
    ),
  ]);
  return { version: 4, terraform_version: "1.11.4", serial: 1, lineage: "00000000-0000-4000-8000-000000000002", outputs: {}, resources, check_results: null };
}

describe("protectWorkspaces deployed whole on several targets, before it was built per target", () => {
  test("its document on both OUs moves to the piece on the first target that had none, with that attachment; the other OU's document takes in the other piece", async () => {
    const config = configFromYaml(BOTH_OUS_PROTECTED);
    const plan = await planBaseline(config);
    // The whole-control layout, written out: protectWorkspaces alone in the group of both OUs.
    const whole = packScps(buildControls(config, await Catalog.load(), { byTarget: false }), config).documents;
    const old = whole.find((d) => d.controlIds.includes("protectWorkspaces"))!;
    expect([...old.targets].sort()).toEqual(["ou-a1b2-sand0001", "ou-a1b2-work0001"]);
    expect(old.logicalId).toMatch(/^scp-2-targets-[0-9a-f]{8}-1$/);
    expect(plan.scps.documents.map((d) => [d.logicalId, d.controls])).toEqual(
      expect.arrayContaining([
        ["scp-ou-a1b2-work0001-1", ["protectWorkspaces"]],
        ["scp-ou-a1b2-sand0001-1", ["protectWorkspaces", "approvedWorkspacesOnly[0]"]],
      ]),
    );
    expect(plan.moves.organization.filter((m) => m.from.startsWith("scp-2-targets-"))).toEqual([
      { resource: "policy", from: old.logicalId, to: "scp-ou-a1b2-work0001-1" },
      { resource: "attachment", from: `${old.logicalId}-ou-a1b2-work0001`, to: "scp-ou-a1b2-work0001-1-ou-a1b2-work0001" },
    ]);
  });

  const tools = offlineTerraform();
  (tools ? test : test.skip)(
    "Terraform plans the deployed document as an update of the Workloads piece, keeps its attachment there, and deletes only its Sandbox attachment",
    async () => {
      const config = configFromYaml(BOTH_OUS_PROTECTED);
      const whole = packScps(buildControls(config, await Catalog.load(), { byTarget: false }), config).documents;
      const old = whole.find((d) => d.controlIds.includes("protectWorkspaces"))!;
      const out = await synthesize(config);
      let plan: Record<string, unknown>;
      try {
        plan = planJson(tools!, out.stack("organization"), stateOfDocuments(whole));
      } finally {
        out.cleanup();
      }
      const changed = (plan.resource_changes as Array<{ address: string; previous_address?: string; change: { actions: string[] } }>) ?? [];
      const fate = (address: string) => changed.find((c) => (c.previous_address ?? c.address) === address);
      expect([fate(`${SCP}.${old.logicalId}`)?.address, fate(`${SCP}.${old.logicalId}`)?.change.actions]).toEqual([
        `${SCP}.scp-ou-a1b2-work0001-1`,
        ["update"],
      ]);
      expect(fate(`${ATTACHMENT}.${old.logicalId}-ou-a1b2-work0001`)?.address).toBe(`${ATTACHMENT}.scp-ou-a1b2-work0001-1-ou-a1b2-work0001`);
      expect(changed.filter((c) => c.change.actions.includes("delete")).map((c) => c.address)).toEqual([`${ATTACHMENT}.${old.logicalId}-ou-a1b2-sand0001`]);
      expect(changed.filter((c) => c.change.actions.includes("create")).map((c) => c.address)).toEqual([]);
      expect(fate(`${SCP}.scp-ou-a1b2-sand0001-1`)?.change.actions).toEqual(["update"]);
    },
    120_000,
  );
});
