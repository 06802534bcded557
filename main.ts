/**
 * Synthesizes the baseline: load and validate the config (BASELINE_CONFIG, or the sample
 * organization), build and check every document, then write the stacks to cdktf.out, and every
 * policy document as JSON under cdktf.out/policies.
 * A user mistake prints one line per problem and exits 1 with nothing written;
 * BASELINE_DEBUG=1 adds stack traces.
 */
import * as path from "node:path";
import { configPathFromEnv, ConfigError, loadConfig } from "./config/load";
import { planBaseline, type BaselinePlan } from "./policies/baseline";
import { SynthesisError } from "./policies/errors";
import { QUOTAS, withThousands } from "./policies/quotas";
import { rolesSummary } from "./policies/roles";
import { auditSummary } from "./policies/trail";
import { synthesizeBaseline } from "./stacks/app";
import { POLICY_FILES_DIR, policyFiles } from "./stacks/policy-files";

export function summary(plan: BaselinePlan, configFile: string): string {
  const lines = [
    `claude-platform-baseline: ${configFile}`,
    "  stack organization (account " + plan.config.organization.managementAccount + "): service control policies",
  ];
  for (const scp of plan.scps.documents) {
    const percent = Math.round((scp.size / QUOTAS.scpSize.value) * 100);
    lines.push(
      `    ${scp.name}: ${withThousands(scp.size)} / ${withThousands(QUOTAS.scpSize.value)} characters (${percent}%), controls ${scp.controls.join(", ")}`,
    );
    lines.push(`      attached to ${scp.targets.join(", ")}`);
  }
  for (const load of plan.scps.targets) {
    lines.push(
      `    ${load.label}: ${load.total} / ${QUOTAS.scpsPerTarget.value} SCPs attached (${load.baselineScps} baseline${load.fullAwsAccess ? ", FullAWSAccess" : ""}${load.reserved ? `, ${load.reserved} reserved` : ""})`,
    );
  }
  if (plan.audit) lines.push(...auditSummary(plan.audit));
  lines.push(...rolesSummary(plan.roles));
  return lines.join("\n");
}

async function main(): Promise<void> {
  const file = configPathFromEnv();
  const plan = await planBaseline(loadConfig(file));
  const app = synthesizeBaseline(plan);
  const files = policyFiles(plan).length;
  process.stdout.write(
    `${summary(plan, file)}\n  policy documents as JSON, for tools that do not read Terraform: ${path.join(app.outdir, POLICY_FILES_DIR)}/<stack>/ (${files} files)\n`,
  );
}

function reportFailure(error: unknown): number {
  if (process.env.BASELINE_DEBUG) console.error(error);
  if (error instanceof ConfigError) {
    console.error(`error: ${error.message}`);
    console.error("nothing was written.");
  } else if (error instanceof SynthesisError) {
    console.error(`error: the baseline cannot be built from this config:\n${error.problems.map((p) => `  ${p}`).join("\n")}`);
    console.error("nothing was written.");
  } else {
    console.error(`internal error: ${error instanceof Error ? error.message : String(error)} (set BASELINE_DEBUG=1 for the stack trace, and please report it)`);
  }
  return 1;
}

if (require.main === module) {
  main().catch((error) => {
    process.exitCode = reportFailure(error);
  });
}
