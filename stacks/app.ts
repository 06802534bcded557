/** Builds every stack of the baseline from a checked plan, and writes them out. */
import { App } from "cdktf";
import type { BaselinePlan } from "../policies/baseline";
import { AuditStack } from "./audit-stack";
import { OrganizationStack } from "./organization-stack";
import { writePolicyFiles } from "./policy-files";
import { RolesStack } from "./roles-stack";

/**
 * Creates the app (which creates `outdir`) only now, after every check has passed, so a config
 * with problems leaves nothing behind; the policy files follow the stacks, once they are written.
 */
export function synthesizeBaseline(plan: BaselinePlan, outdir?: string): App {
  const app = new App({ outdir });
  new OrganizationStack(app, plan.config, plan.scps, plan.moves.organization);
  if (plan.audit) new AuditStack(app, plan.config, plan.audit, plan.moves.audit);
  for (const stack of plan.roles.stacks) new RolesStack(app, plan.config, stack);
  app.synth();
  writePolicyFiles(app.outdir, plan);
  return app;
}
