/**
 * A rule of a list control may carry a name, and the name only labels it: the synth summary and
 * the messages say `approvedWorkspacesOnly[sandbox-only]`, while every byte synthesized (resource
 * addresses, SCP names and keys, Sids, output descriptions, moved blocks, the policy files) is the
 * same with or without it and across a rename, so naming a deployed rule plans nothing.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { planSummary } from "../cli/summary";

const summary = (...args: Parameters<typeof planSummary>) => planSummary(...args).join("\n");
import { planBaseline } from "../policies/baseline";
import { SynthesisError } from "../policies/errors";
import { configFromYaml, sampleYaml, synthesize } from "./harness/synth";

/** Every file the synthesis writes (each stack's cdk.tf.json, the policy files, the manifest), by path. */
async function synthesizedFiles(yaml: string): Promise<Map<string, string>> {
  const out = await synthesize(configFromYaml(yaml));
  try {
    const files = readdirSync(out.outdir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(out.outdir, path.join(entry.parentPath, entry.name)))
      .sort();
    return new Map(files.map((file) => [file, readFileSync(path.join(out.outdir, file), "utf8")]));
  } finally {
    out.cleanup();
  }
}

/** `text` with `from` replaced, which must be there. */
function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`the sample config no longer contains ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

const RULE = "  approvedWorkspacesOnly:\n    - attachTo: [ou-a1b2-sand0001]\n";
const named = (yaml: string, name: string) => edit(yaml, RULE, `  approvedWorkspacesOnly:\n    - name: ${name}\n      attachTo: [ou-a1b2-sand0001]\n`);
/** A second rule, on other targets, so the names are tested where rules are told apart by more than their control. */
const withSecondRule = (yaml: string, name?: string) =>
  edit(
    yaml,
    "      denyCreateWorkspace: true\n",
    `      denyCreateWorkspace: true\n    - ${name ? `name: ${name}\n      ` : ""}attachTo: [ou-a1b2-plat0001]\n      workspaces: [wrkspc_01ResearchDev]\n`,
  );

describe("naming a rule of approvedWorkspacesOnly", () => {
  test("the sample with its rule named synthesizes byte-identical files, for every stack; so does a rename", async () => {
    const [before, withName, renamed] = await Promise.all(
      [sampleYaml(), named(sampleYaml(), "sandbox-only"), named(sampleYaml(), "sandbox")].map(synthesizedFiles),
    );
    const stacks = [...before.keys()].filter((file) => file.endsWith("cdk.tf.json"));
    expect(stacks).toEqual(expect.arrayContaining([path.join("stacks", "organization", "cdk.tf.json"), path.join("stacks", "audit", "cdk.tf.json")]));
    // The organization stack says where the rule sits (an output description): the position, in every variant.
    expect(before.get(path.join("stacks", "organization", "cdk.tf.json"))).toContain("approvedWorkspacesOnly[0]");
    for (const variant of [withName, renamed]) {
      expect([...variant.keys()]).toEqual([...before.keys()]);
      for (const [file, text] of before) expect({ file, identical: variant.get(file) === text }).toEqual({ file, identical: true });
    }
    for (const text of [...withName.values(), ...renamed.values()]) expect(text).not.toMatch(/sandbox-only|approvedWorkspacesOnly\[sandbox\]/);
  }, 120_000);

  test("with two rules, naming either, both or neither synthesizes the same bytes", async () => {
    const two = withSecondRule(sampleYaml());
    const variants = await Promise.all(
      [
        two,
        withSecondRule(sampleYaml(), "platform"),
        withSecondRule(named(sampleYaml(), "sandbox-only"), "platform"),
        withSecondRule(named(sampleYaml(), "sandbox-only")),
      ].map(synthesizedFiles),
    );
    const [unnamed, ...others] = variants;
    for (const variant of others) {
      expect([...variant.keys()]).toEqual([...unnamed.keys()]);
      for (const [file, text] of unnamed) expect({ file, identical: variant.get(file) === text }).toEqual({ file, identical: true });
    }
  }, 120_000);

  test("the synth summary shows the name where the rule has one, and the position where it has none", async () => {
    const unnamed = summary(await planBaseline(configFromYaml(sampleYaml())), "sample.yaml");
    expect(unnamed).toMatch(/controls [^\n]*approvedWorkspacesOnly\[0\]/);
    const withName = summary(await planBaseline(configFromYaml(named(sampleYaml(), "sandbox-only"))), "sample.yaml");
    expect(withName).toMatch(/controls [^\n]*approvedWorkspacesOnly\[sandbox-only\]/);
    expect(withName).not.toContain("approvedWorkspacesOnly[0]");
    const mixed = summary(await planBaseline(configFromYaml(withSecondRule(sampleYaml(), "platform"))), "sample.yaml");
    expect(mixed).toMatch(/controls [^\n]*approvedWorkspacesOnly\[0\]/);
    expect(mixed).toMatch(/controls [^\n]*approvedWorkspacesOnly\[platform\]/);
    expect(mixed).not.toContain("approvedWorkspacesOnly[1]");
  });

  test("a packing error names the rule by its name", async () => {
    const crowded = edit(
      named(sampleYaml(), "sandbox-only"),
      "{ id: ou-a1b2-sand0001, name: Sandbox, parent: r-a1b2 }",
      "{ id: ou-a1b2-sand0001, name: Sandbox, parent: r-a1b2, reservedScpSlots: 9 }",
    );
    const failure = await planBaseline(configFromYaml(crowded)).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(SynthesisError);
    expect((failure as SynthesisError).problems).toEqual([
      expect.stringMatching(
        /^ou-a1b2-sand0001 \(OU Sandbox\): would carry 11 SCPs \(FullAWSAccess \+ 9 reserved \+ claude-platform-baseline-ou-a1b2-sand0001-1 \[approvedWorkspacesOnly\[sandbox-only\] [\d,]+ chars\]\)/,
      ),
    ]);
  });
});
