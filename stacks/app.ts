/** Builds every stack of the baseline from a checked plan, and writes them out. */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { App } from "cdktf";
import type { BaselinePlan } from "../policies/baseline";
import { AuditStack } from "./audit-stack";
import { canonicalHcl } from "./hcl";
import { OrganizationStack } from "./organization-stack";
import { writePolicyFiles } from "./policy-files";
import { RolesStackJson } from "./roles-json";
import { RolesStack } from "./roles-stack";
import { skipTokenCreationStacks } from "./token-traces";

/**
 * Creates the app (which creates `outdir`) only now, after every check has passed, so a config
 * with problems leaves nothing behind; the policy files follow the stacks, once they are written.
 * `cdktf synth --hcl` asks for HCL through SYNTH_HCL_OUTPUT=true (the stacks read only that), and
 * formats what the app writes once the app is done.
 */
export function synthesizeBaseline(plan: BaselinePlan, outdir?: string): App {
  skipTokenCreationStacks();
  // cdktf's own validations add nothing the plan has not checked, and a stack with `moved` blocks
  // makes them run `terraform version`: synthesis would need terraform installed and pay ~100 ms.
  const app = new App({ outdir, skipValidation: true });
  new OrganizationStack(app, plan.config, plan.scps, plan.moves.organization);
  if (plan.audit) new AuditStack(app, plan.config, plan.audit, plan.moves.audit);
  // One role stack per account: written as JSON directly (roles-json.ts), through cdktf only for HCL.
  for (const stack of plan.roles.stacks) {
    if (app.hclOutput) new RolesStack(app, plan.config, stack);
    else new RolesStackJson(app, plan.config, stack);
  }
  app.synth();
  removeOrphanedStacks(app.outdir);
  if (app.hclOutput) canonicalizeHcl(app.outdir);
  writePolicyFiles(app.outdir, plan);
  return app;
}

/**
 * Removes the directories of stacks this config no longer has (an account whose teams moved away),
 * as `cdktf synth` does after its app runs: whichever way the app was started, `stacks/` then
 * holds exactly the stacks of this config, and nothing stale is mistaken for output.
 */
function removeOrphanedStacks(outdir: string): void {
  const stacksDir = path.join(outdir, "stacks");
  if (!existsSync(stacksDir)) return;
  const current = new Set(Object.values(readManifest(outdir).stacks).map((stack) => path.basename(path.dirname(stack.synthesizedStackPath))));
  for (const entry of readdirSync(stacksDir, { withFileTypes: true })) {
    if (entry.isDirectory() && !current.has(entry.name)) rmSync(path.join(stacksDir, entry.name), { recursive: true, force: true });
  }
}

function readManifest(outdir: string): { stacks: Record<string, { synthesizedStackPath: string }> } {
  return JSON.parse(readFileSync(path.join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, { synthesizedStackPath: string }> };
}

/** Rewrites each stack's `cdk.tf` (as the manifest names it) into the form `terraform fmt` leaves as it is. */
function canonicalizeHcl(outdir: string): void {
  for (const { synthesizedStackPath } of Object.values(readManifest(outdir).stacks)) {
    const file = path.join(outdir, synthesizedStackPath);
    writeFileSync(file, canonicalHcl(readFileSync(file, "utf8")));
  }
}
