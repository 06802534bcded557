/**
 * The trail's advanced event selectors as Terraform plans them (hashicorp/aws from the offline
 * mirror) are exactly what was synthesized, in the same order, for a config that uses every
 * field selector: the emitted order is the order Terraform keeps, and no value is reordered or
 * normalized. Skipped where terraform or the provider mirror is missing (the terraform tier says
 * so too).
 */
import { offlineTerraform, planJson } from "./harness/terraform-plan";
import { configFromYaml, sampleYaml, synthesize } from "./harness/synth";

const tools = offlineTerraform();
const maybe = tools ? test : test.skip;

type Selector = { name: string; field_selector: Array<Record<string, unknown>> };

/** An operator the configuration leaves out is planned as an empty list; drop those to compare. */
function withoutEmptyLists(selectors: Selector[]): Selector[] {
  return selectors.map((s) => ({
    name: s.name,
    field_selector: s.field_selector.map((f) => Object.fromEntries(Object.entries(f).filter(([, v]) => !(Array.isArray(v) && v.length === 0)))),
  }));
}

maybe(
  "field selectors: the synthesized order and values are the plan's (workspaces, read-only filter and event names all set)",
  async () => {
    const yaml = sampleYaml().replace(
      "  dataEvents:\n    workspaces: all",
      "  dataEvents:\n    workspaces: [wrkspc_01ResearchDev, wrkspc_01PaymentsProd, wrkspc_01SandboxPlay]\n    readOnly: write-only\n    eventNames: [UpdateSkill, CreateInference, UpdateEnvironment]",
    );
    const out = await synthesize(configFromYaml(yaml));
    try {
      const stack = out.stack("audit");
      const synthesized = Object.values(stack.resource!.aws_cloudtrail)[0].advanced_event_selector as Selector[];
      const plan = planJson(tools!, stack) as {
        planned_values: { root_module: { resources: Array<{ type: string; values: { advanced_event_selector: Selector[] } }> } };
      };
      const planned = plan.planned_values.root_module.resources.find((r) => r.type === "aws_cloudtrail")!.values.advanced_event_selector;
      expect(withoutEmptyLists(planned)).toEqual(synthesized);
      expect(synthesized[1].field_selector.map((f) => f.field)).toEqual(["resources.type", "eventName", "eventCategory", "readOnly", "resources.ARN"]);
    } finally {
      out.cleanup();
    }
  },
  120_000,
);
