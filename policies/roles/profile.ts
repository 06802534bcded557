/**
 * What an access profile is: a named, documented set of Claude Platform actions, picked from the
 * IAM reference data by explicit name (never `Get*` / `List*`: several gets return content), in
 * capabilities. Each capability becomes one statement with its own stable Sid, scoped to the
 * team's workspaces; a capability whose actions take no resource (`ListWorkspaces`) gets `*`.
 */
import type { AccessProfileId } from "../../config/schema";
import { CLAUDE_SERVICE } from "../catalog";

export interface Capability {
  /** The statement's Sid: letters and digits, unique across every profile. */
  readonly sid: string;
  /** What the capability lets the role do, in a phrase. */
  readonly does: string;
  /** Action names (`service:Action`), exactly as the reference data spells them. */
  readonly actions: readonly string[];
}

export interface AccessProfile {
  readonly id: AccessProfileId;
  readonly title: string;
  /** What a role with this profile can do, in a sentence. */
  readonly summary: string;
  /** What it deliberately leaves out, and why. */
  readonly omits: string;
  /** The nearest AWS managed policy, and how this profile differs from it. */
  readonly nearestManagedPolicy: { readonly name: string; readonly difference: string };
  readonly capabilities: readonly Capability[];
}

/** `CreateInference` → `aws-external-anthropic:CreateInference`. */
export function claude(...actions: string[]): string[] {
  return actions.map((action) => `${CLAUDE_SERVICE}:${action}`);
}
