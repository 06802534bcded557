/**
 * The trail's advanced event selectors: one for every management event, and one for the data
 * events of Claude Platform workspaces (every workspace, or the configured ones by ARN prefix),
 * optionally narrowed to read-only or write-only events and to named events. Advanced selectors
 * replace basic ones entirely, which is why the management selector must be there.
 *
 * Field selector order. In `aws_cloudtrail`, `advanced_event_selector` is a list (order matters,
 * so the management selector always comes first) but its `field_selector` is a **set**:
 * `terraform providers schema -json` of hashicorp/aws 5.100.0 (the offline mirror) reports
 * `nesting_mode: "set"`, and the provider source (internal/service/cloudtrail/trail.go, 6.x, and
 * its V0 schema from 5.24) declares `schema.TypeSet`. Terraform compares sets by value, so the
 * order in the configuration can never cause a diff; what it keeps in the plan and state is the
 * order of go-cty's `setRules.Less` for object elements (zclconf/go-cty, cty/set_internals.go): a
 * byte comparison of each element's "set hash bytes" (attributes sorted by name, strings
 * `%q`-quoted, lists as `[v;v;]`). The provider (SDKv2) plans an operator list the config leaves
 * out as an empty list, not null (`terraform show -json` of a plan shows `"starts_with": []`), so
 * that is how those attributes are hashed. We emit field selectors in exactly that order, so the
 * synthesized JSON reads the same as `terraform show`; __tests__/audit.terraform.test.ts checks it
 * against a real plan of a config that uses every field. The value lists inside a field selector (`equals`, `starts_with`) are lists: those
 * are what could drift if AWS returned them in another order, so they are emitted sorted and
 * de-duplicated.
 */
import { compareStrings, sortedUnique } from "../document";
import { SynthesisError } from "../errors";
import { QUOTAS } from "../quotas";
import type { BaselineConfig } from "../../config/schema";
import { CLAUDE_SERVICE, type Catalog } from "../catalog";
import type { AuditNames, AuditTrailConfig } from "./names";

/** The CloudTrail resource type of Claude Platform data events (AWS documents it; also the CloudFormation type). */
export const WORKSPACE_DATA_RESOURCE_TYPE = "AWS::AWSExternalAnthropic::Workspace";

type Operator = "equals" | "notEquals" | "startsWith" | "notStartsWith" | "endsWith" | "notEndsWith";
const OPERATORS: readonly Operator[] = ["equals", "notEquals", "startsWith", "notStartsWith", "endsWith", "notEndsWith"];

export interface FieldSelector {
  readonly field: string;
  readonly equals?: readonly string[];
  readonly notEquals?: readonly string[];
  readonly startsWith?: readonly string[];
  readonly notStartsWith?: readonly string[];
  readonly endsWith?: readonly string[];
  readonly notEndsWith?: readonly string[];
}

export interface AdvancedEventSelector {
  readonly name: string;
  readonly fieldSelectors: readonly FieldSelector[];
}

export interface SelectorPlan {
  readonly selectors: readonly AdvancedEventSelector[];
  /** Values across all selectors, as CloudTrail counts them against its quota. */
  readonly valuesUsed: number;
}

function field(name: string, operator: Operator, values: Iterable<string>): FieldSelector {
  return { field: name, [operator]: sortedUnique(values) };
}

/** The ARN prefix of a workspace's data events: its ARN (a prefix also covers sub-resource ARNs). */
export function workspaceArn(partition: string, region: string, account: string, workspaceId: string): string {
  return `arn:${partition}:${CLAUDE_SERVICE}:${region}:${account}:workspace/${workspaceId}`;
}

export function buildSelectors(config: BaselineConfig, trail: AuditTrailConfig, names: AuditNames, catalog: Catalog): SelectorPlan {
  const problems: string[] = [];
  const data = trail.dataEvents;
  const dataFields: FieldSelector[] = [field("eventCategory", "equals", ["Data"]), field("resources.type", "equals", [WORKSPACE_DATA_RESOURCE_TYPE])];
  if (data.workspaces !== "all") {
    // Each id is in `workspaces` (config/validate.ts checks it), which gives its account and region.
    const byId = new Map(config.workspaces.map((w) => [w.id, w]));
    const arns = data.workspaces.map((id) => {
      const workspace = byId.get(id);
      if (!workspace) throw new Error(`auditTrail.dataEvents.workspaces names ${id}, which is not in workspaces`);
      return workspaceArn(names.partition, workspace.region, workspace.account, id);
    });
    dataFields.push(field("resources.ARN", "startsWith", arns));
  }
  if (data.readOnly !== "all") dataFields.push(field("readOnly", "equals", [data.readOnly === "read-only" ? "true" : "false"]));
  if (data.eventNames) {
    const eventNames = data.eventNames.flatMap((name, i) => {
      const action = catalog.action(`${CLAUDE_SERVICE}:${name}`);
      if (!action) {
        problems.push(
          `auditTrail.dataEvents.eventNames[${i}]: ${name} is not an ${CLAUDE_SERVICE} action in the IAM reference data; use an action name such as CreateInference`,
        );
        return [];
      }
      return [action.name.slice(CLAUDE_SERVICE.length + 1)];
    });
    dataFields.push(field("eventName", "equals", eventNames));
  }
  if (problems.length > 0) throw new SynthesisError(problems);

  const selectors: AdvancedEventSelector[] = [
    { name: "All management events", fieldSelectors: ctySetOrder([field("eventCategory", "equals", ["Management"])]) },
    { name: "Claude Platform workspace data events", fieldSelectors: ctySetOrder(dataFields) },
  ];
  const valuesUsed = countValues(selectors);
  const quota = QUOTAS.advancedSelectorValuesPerTrail;
  if (valuesUsed > quota.value) {
    const arns = dataFields.find((f) => f.field === "resources.ARN")?.startsWith?.length ?? 0;
    const events = dataFields.find((f) => f.field === "eventName")?.equals?.length ?? 0;
    throw new SynthesisError([
      `auditTrail.dataEvents: the trail's advanced event selectors use ${valuesUsed} values, over CloudTrail's ${quota.value} per trail ` +
        `(${arns} workspace ARN prefixes from auditTrail.dataEvents.workspaces, ${events} event names from auditTrail.dataEvents.eventNames, ` +
        `${valuesUsed - arns - events} fixed); set workspaces: all, or list fewer workspaces or event names`,
    ]);
  }
  return { selectors, valuesUsed };
}

/** CloudTrail counts every value of every operator of every field selector. */
export function countValues(selectors: readonly AdvancedEventSelector[]): number {
  return selectors.reduce((sum, s) => sum + s.fieldSelectors.reduce((n, f) => n + OPERATORS.reduce((m, op) => m + (f[op]?.length ?? 0), 0), 0), 0);
}

/**
 * go-cty's "set hash bytes" of a field selector as Terraform holds it in the plan: an object whose
 * attributes (the provider schema's, sorted by name) are written in order, each followed by `;`,
 * inside `<…>`; a list is `[` + each element + `;` + `]` (an operator left out is planned as the
 * empty list `[]`), a string is Go's `%q` quoting (the same as JSON's for the printable ASCII that
 * selector values are).
 */
export function ctySetHashBytes(selector: FieldSelector): string {
  const attributes: ReadonlyArray<[string, string | readonly string[] | undefined]> = [
    ["ends_with", selector.endsWith],
    ["equals", selector.equals],
    ["field", selector.field],
    ["not_ends_with", selector.notEndsWith],
    ["not_equals", selector.notEquals],
    ["not_starts_with", selector.notStartsWith],
    ["starts_with", selector.startsWith],
  ];
  const quote = (s: string) => {
    if (!/^[\x20-\x7e]*$/.test(s)) throw new Error(`field selector value ${JSON.stringify(s)} is not printable ASCII; its set order cannot be computed`);
    return JSON.stringify(s);
  };
  const parts = attributes.map(([, value]) => (typeof value === "string" ? quote(value) : `[${(value ?? []).map((v) => `${quote(v)};`).join("")}]`));
  return `<${parts.map((p) => `${p};`).join("")}>`;
}

/** Field selectors in the order Terraform keeps them in its plan and state (see the file comment). */
export function ctySetOrder(selectors: readonly FieldSelector[]): FieldSelector[] {
  return [...selectors].sort((a, b) => compareStrings(ctySetHashBytes(a), ctySetHashBytes(b)));
}
