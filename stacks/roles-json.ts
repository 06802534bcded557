/**
 * A `roles-<account name>` stack written as the Terraform JSON that cdktf synthesizes from
 * RolesStack (roles-stack.ts), without building its constructs. An organization holds one role
 * stack per account: at a thousand accounts, building and resolving each stack's provider,
 * backend and five resources per role through cdktf took ~10 s, while every value here is a
 * literal the plan already checked. cdktf still names the stack and lists it in the manifest.
 *
 * The JSON is built with every object's keys already in the order cdktf's stable stringify would
 * sort them into (code-unit order), so the stack is written with the native `JSON.stringify`:
 * sorting and stringifying a thousand stacks key by key took ~0.3 s. RolesStack stays what
 * `cdktf synth --hcl` renders and the declaration of record: its descriptions and arguments are
 * repeated here rather than shared, and `__tests__/scale.roles-json.test.ts` proves the two
 * byte-identical.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { TerraformStack, type IStackSynthesizer, type ISynthesisSession } from "cdktf";
import type { Construct } from "constructs";
import type { BaselineConfig } from "../config/schema";
import { compareStrings } from "../policies/document";
import type { RoleStackPlan, TeamRolePlan } from "../policies/roles";
import { MANAGED_BY_TAG, snakeCase, stateKey } from "./common";
import { ACCESS_POLICY_NAME } from "./roles-stack";

/** The AWS provider the bindings were generated from, as cdktf writes it in `required_providers`. */
export const AWS_PROVIDER_REQUIREMENT = { source: "aws", version: "6.25.0" } as const;

type Json = Record<string, unknown>;

export class RolesStackJson extends TerraformStack {
  constructor(
    scope: Construct,
    private readonly config: BaselineConfig,
    private readonly plan: RoleStackPlan,
  ) {
    super(scope, plan.name);
    this.synthesizer = new SortedJsonSynthesizer(this);
  }

  /** Nothing to prepare: no construct, so no cross-stack reference, and the backend is in the JSON. */
  public override prepareStack(): void {}

  /** Built when the stack is written, so a thousand stacks' JSON is never held at once. */
  public override toTerraform(): Json {
    return rolesStackJson(this.config, this.plan, this.node.tryGetContext("cdktfVersion") as string);
  }
}

/**
 * Writes the stack where cdktf's own synthesizer would, with the native `JSON.stringify`: the
 * stack has no construct, so no aspect, validation or annotation to collect.
 */
class SortedJsonSynthesizer implements IStackSynthesizer {
  constructor(private readonly stack: RolesStackJson) {}

  public synthesize(session: ISynthesisSession): void {
    const manifest = session.manifest.forStack(this.stack);
    const directory = path.join(session.outdir, manifest.workingDirectory);
    if (!existsSync(directory)) mkdirSync(directory);
    writeFileSync(path.join(session.outdir, manifest.synthesizedStackPath), stableEmptyContainers(JSON.stringify(this.stack.toTerraform(), null, 2)));
  }
}

/**
 * An empty array or object at the end of a line of indented JSON: structural, since a line inside
 * a string cannot end (a newline in a string is escaped).
 */
const EMPTY_CONTAINER_AT_LINE_END = /(?:\[\]|\{\})(?=,?(?:\n|$))/g;

/** `JSON.stringify` writes an empty array or object as `[]` or `{}`; cdktf's stable stringify opens and closes it on two lines. */
export function stableEmptyContainers(json: string): string {
  return json.replace(EMPTY_CONTAINER_AT_LINE_END, (pair: string, offset: number) => {
    const lineStart = json.lastIndexOf("\n", offset) + 1;
    const indent = /^ */.exec(json.slice(lineStart, offset))![0];
    return `${pair[0]}\n${indent}${pair[1]}`;
  });
}

/** An object whose keys are in code-unit order, as cdktf's stable stringify writes them. */
function sortedByKey<T>(entries: Array<readonly [string, T]>): Record<string, T> {
  if (entries.length > 1) entries.sort(([a], [b]) => compareStrings(a, b));
  const out: Record<string, T> = {};
  for (const [key, value] of entries) out[key] = value;
  return out;
}

/** The stack's Terraform JSON, every object's keys in code-unit order (literal keys are written so). */
export function rolesStackJson(config: BaselineConfig, plan: RoleStackPlan, cdktfVersion: string): Json {
  const resources: Record<ResourceType, Array<readonly [string, Json]>> = {
    aws_iam_policy: [],
    aws_iam_role: [],
    aws_iam_role_policies_exclusive: [],
    aws_iam_role_policy: [],
    aws_iam_role_policy_attachments_exclusive: [],
  };
  const outputs: Array<readonly [string, Json]> = [];
  for (const role of plan.roles) {
    addRoleResources(resources, plan.name, role);
    outputs.push([
      `team_role_arn_${snakeCase(role.team)}`,
      { description: `ARN of ${role.roleName}, the Claude Platform role of team ${role.team} in account ${plan.account}`, value: role.roleArn },
    ]);
  }
  const arns = sortedByKey(plan.roles.map((r) => [r.team, r.roleArn] as const));
  outputs.push(["team_role_arns", { description: `ARN of each team's Claude Platform role in account ${plan.account}, by team name`, value: arns }]);
  const output = sortedByKey(outputs);
  return {
    "//": {
      metadata: { backend: "s3", overrides: { backend: ["use_lockfile"] }, stackName: plan.name, version: cdktfVersion },
      outputs: { [plan.name]: Object.fromEntries(Object.keys(output).map((name) => [name, name])) },
    },
    output,
    provider: { aws: [providerJson(config, plan)] },
    resource: Object.fromEntries(RESOURCE_TYPES.map((type) => [type, sortedByKey(resources[type])])),
    terraform: {
      backend: {
        s3: { bucket: config.stateBackend.bucket, encrypt: true, key: stateKey(config, plan.name), region: config.stateBackend.region, use_lockfile: true },
      },
      required_providers: { aws: { ...AWS_PROVIDER_REQUIREMENT } },
    },
  };
}

/** The resource types of a role stack, in code-unit order. */
const RESOURCE_TYPES = [
  "aws_iam_policy",
  "aws_iam_role",
  "aws_iam_role_policies_exclusive",
  "aws_iam_role_policy",
  "aws_iam_role_policy_attachments_exclusive",
] as const;
type ResourceType = (typeof RESOURCE_TYPES)[number];

/** What configureStack's AwsProvider synthesizes for a role stack. */
function providerJson(config: BaselineConfig, plan: RoleStackPlan): Json {
  return {
    allowed_account_ids: [plan.account],
    ...(config.deployment.assumeRole
      ? {
          assume_role: [{ role_arn: `arn:aws:iam::${plan.account}:role/${config.deployment.roleName}`, session_name: `claude-platform-baseline-${plan.name}` }],
        }
      : {}),
    default_tags: [{ tags: { ...MANAGED_BY_TAG } }],
    region: config.deployment.homeRegion,
  };
}

/** A resource as cdktf writes it, under its id: its construct path and unique id in `//`, then its arguments. */
function resource(stackName: string, id: string, args: Json): readonly [string, Json] {
  return [id, { "//": { metadata: { path: `${stackName}/${id}`, uniqueId: id } }, ...args }];
}

/** The five resources of one team role, as RolesStack declares them. */
function addRoleResources(resources: Record<ResourceType, Array<readonly [string, Json]>>, stackName: string, role: TeamRolePlan): void {
  const id = `team-${role.team}`;
  const roleName = `\${aws_iam_role.${id}.name}`;
  resources.aws_iam_policy.push(
    resource(stackName, `${id}-boundary`, {
      description: `Permissions boundary of the Claude Platform role of team ${role.team}: the most it may ever do`,
      name: role.boundaryName,
      path: role.boundaryPath,
      policy: role.policies.boundary,
    }),
  );
  resources.aws_iam_role.push(
    resource(stackName, id, {
      assume_role_policy: role.policies.trust,
      depends_on: [`aws_iam_policy.${id}-boundary`],
      description: role.description,
      max_session_duration: role.maxSessionSeconds,
      name: role.roleName,
      path: "/",
      permissions_boundary: role.boundaryArn,
      tags: sortedByKey(Object.entries(role.tags)),
    }),
  );
  resources.aws_iam_role_policy.push(
    resource(stackName, `${id}-access`, {
      name: ACCESS_POLICY_NAME,
      policy: role.policies.access,
      role: roleName,
    }),
  );
  resources.aws_iam_role_policies_exclusive.push(
    resource(stackName, `${id}-inline-only`, {
      depends_on: [`aws_iam_role_policy.${id}-access`],
      policy_names: [ACCESS_POLICY_NAME],
      role_name: roleName,
    }),
  );
  resources.aws_iam_role_policy_attachments_exclusive.push(
    resource(stackName, `${id}-no-attachments`, {
      policy_arns: [],
      role_name: roleName,
    }),
  );
}
