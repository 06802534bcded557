/**
 * What an SCP control is: a named set of Deny statements with stable Sids, built from the config
 * and the reference data, attached where the config says.
 */
import type { BaselineConfig, ControlId, ControlsConfig } from "../../config/schema";
import type { Catalog } from "../catalog";
import type { Statement } from "../document";

export interface ControlContext {
  readonly config: BaselineConfig;
  readonly catalog: Catalog;
  /** `aws`, `aws-cn` or `aws-us-gov`: the partition the organization lives in. */
  readonly partition: string;
}

export type ControlOptions<K extends ControlId> = NonNullable<ControlsConfig[K]>;

export interface ScpControl<K extends ControlId = ControlId> {
  readonly id: K;
  readonly title: string;
  /** What it denies, in a sentence: the README's control table and the docs use it. */
  readonly summary: string;
  /** The risk it answers: why an organization wants it. */
  readonly risk: string;
  /** Who and what it leaves alone, and why. */
  readonly leavesAlone: string;
  /** Whether `exempt: true` may exempt the configured principals (the schema enforces the same). */
  readonly exemptable: boolean;
  statements(options: ControlOptions<K>, context: ControlContext): Statement[];
}

/** Canonical action names picked from the reference data; an unknown name is an error here. */
export function pickActions(catalog: Catalog, names: readonly string[]): string[] {
  return names.map((name) => catalog.requireAction(name).name);
}

export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** The service name IAM gives Claude Platform's service-specific credentials (its long-term API keys). */
export const CLAUDE_CREDENTIAL_SERVICE_NAME = "aws-external-anthropic.amazonaws.com";
