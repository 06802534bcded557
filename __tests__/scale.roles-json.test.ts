/**
 * The role stacks are written as JSON directly (stacks/roles-json.ts) rather than through
 * RolesStack's constructs: for the sample, for a generated organization, and without the
 * deployment role's assume_role, every role stack must be the same bytes either way, so the
 * shortcut can never drift from the declaration of record.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { App } from "cdktf";
import { load, dump } from "js-yaml";
import type { BaselineConfig } from "../config/schema";
import { planBaseline, type BaselinePlan } from "../policies/baseline";
import { Catalog } from "../policies/catalog";
import type { RoleStackPlan } from "../policies/roles";
import { scaleOrgYaml } from "../scripts/scale-org";
import { RolesStackJson, rolesStackJson, stableEmptyContainers } from "../stacks/roles-json";
import { RolesStack } from "../stacks/roles-stack";
import { configFromYaml, sampleYaml } from "./harness/synth";

type RoleStackClass = new (app: App, config: BaselineConfig, plan: RoleStackPlan) => unknown;

/** Each role stack's cdk.tf.json, as the app writes it with `Stack` for every role stack. */
function writtenRoleStacks(plan: BaselinePlan, Stack: RoleStackClass): Map<string, string> {
  const outdir = mkdtempSync(path.join(tmpdir(), "baseline-roles-json-"));
  try {
    const app = new App({ outdir, skipValidation: true });
    for (const stack of plan.roles.stacks) new Stack(app, plan.config, stack);
    app.synth();
    const manifest = readFileSync(path.join(outdir, "manifest.json"), "utf8");
    const files = plan.roles.stacks.map((s): [string, string] => [s.name, readFileSync(path.join(outdir, "stacks", s.name, "cdk.tf.json"), "utf8")]);
    return new Map([["manifest.json", manifest], ...files]);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

let catalog: Catalog;
beforeAll(async () => {
  catalog = await Catalog.load();
});

const withoutAssumeRole = () => {
  const raw = load(sampleYaml()) as { deployment: Record<string, unknown> };
  raw.deployment.assumeRole = false;
  return dump(raw);
};

/**
 * The sample with team security-audit renamed payments-audit: in account 333333333333 one team's
 * name now begins with the other's, so its resources sort before the shorter name's in some types
 * (`team-payments-audit-boundary` < `team-payments-boundary`) and after it in others.
 */
const prefixSharingTeams = () => sampleYaml().replaceAll("security-audit", "payments-audit");

describe.each([
  ["the sample", () => sampleYaml()],
  ["the sample with one team's name a prefix of another's in the same account", prefixSharingTeams],
  ["the sample without assume_role", withoutAssumeRole],
  ["a generated organization of 30 teams", () => scaleOrgYaml(30)],
])("%s", (_name, yaml) => {
  test("has every role stack and the manifest byte-identical whether written as JSON or through RolesStack", async () => {
    const plan = await planBaseline(configFromYaml(yaml()), catalog);
    expect(plan.roles.stacks.length).toBeGreaterThan(0);
    const direct = writtenRoleStacks(plan, RolesStackJson);
    const throughCdktf = writtenRoleStacks(plan, RolesStack);
    expect([...direct.keys()]).toEqual([...throughCdktf.keys()]);
    for (const [name, text] of throughCdktf) expect({ name, text: direct.get(name) }).toEqual({ name, text });
  });
});

test("builds a stack's JSON from the plan alone, with the cdktf version it is given", async () => {
  const plan = await planBaseline(configFromYaml(sampleYaml()), catalog);
  const json = rolesStackJson(plan.config, plan.roles.stacks[0], "9.9.9") as { "//": { metadata: { version: string; stackName: string } } };
  expect(json["//"].metadata).toMatchObject({ version: "9.9.9", stackName: plan.roles.stacks[0].name });
});

describe("stableEmptyContainers", () => {
  test("opens and closes each empty array or object on two lines, at its own indentation, as cdktf's stable stringify does", () => {
    const json = JSON.stringify({ a: [], b: { c: {}, d: [[], {}] }, e: 1 }, null, 2);
    expect(stableEmptyContainers(json)).toBe(
      [
        "{",
        '  "a": [',
        "  ],",
        '  "b": {',
        '    "c": {',
        "    },",
        '    "d": [',
        "      [",
        "      ],",
        "      {",
        "      }",
        "    ]",
        "  },",
        '  "e": 1',
        "}",
      ].join("\n"),
    );
  });

  test("leaves brackets and braces inside strings alone, even at a string's end", () => {
    const json = JSON.stringify({ policy: '{"Action":[]}', note: "ends in []", other: "{}" }, null, 2);
    expect(stableEmptyContainers(json)).toBe(json);
  });

  test("writes an empty document as cdktf does", () => {
    expect(stableEmptyContainers(JSON.stringify({}, null, 2))).toBe("{\n}");
    expect(stableEmptyContainers(JSON.stringify([], null, 2))).toBe("[\n]");
  });
});
