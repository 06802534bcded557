/**
 * Reads the synthesized `audit` stack: its resources by type, the policy documents attached to the
 * trail's role, buckets, keys and topic (parsed from the exact strings Terraform would send), and
 * the trail and its metric filters.
 */
import type { BaselineConfig } from "../../config/schema";
import { synthesize, type TerraformJson } from "./synth";

export type Resource = Record<string, unknown>;

export interface AuditStackView {
  readonly json: TerraformJson;
  /** Every resource of a type, by logical name. */
  resources(type: string): Record<string, Resource>;
  /** The one resource of a type with this logical name (throws when absent). */
  resource(type: string, name: string): Resource;
  /** A policy argument parsed as JSON (throws when it is not a literal JSON string). */
  policy(type: string, name: string, argument?: string): PolicyJson;
  readonly trail: Resource;
}

export interface PolicyJson {
  Version: string;
  Statement: Array<Record<string, unknown> & { Sid: string }>;
}

export async function synthesizeAudit(config: BaselineConfig): Promise<AuditStackView> {
  const out = await synthesize(config);
  try {
    return viewOf(out.stack("audit"));
  } finally {
    out.cleanup();
  }
}

export function viewOf(json: TerraformJson): AuditStackView {
  const resources = (type: string) => json.resource?.[type] ?? {};
  const resource = (type: string, name: string) => {
    const found = resources(type)[name];
    if (!found) throw new Error(`the audit stack has no ${type}.${name}`);
    return found;
  };
  const trails = Object.values(resources("aws_cloudtrail"));
  if (trails.length !== 1) throw new Error(`expected one aws_cloudtrail, found ${trails.length}`);
  return {
    json,
    resources,
    resource,
    policy: (type, name, argument = "policy") => {
      const text = resource(type, name)[argument];
      if (typeof text !== "string" || text.includes("${")) throw new Error(`${type}.${name}.${argument} is not a literal policy string: ${String(text)}`);
      return JSON.parse(text) as PolicyJson;
    },
    trail: trails[0],
  };
}
