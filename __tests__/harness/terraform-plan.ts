/**
 * Runs `terraform plan` + `show -json` on one synthesized stack, offline, the way the terraform
 * tier does (its offline patch, CLI config and environment from scripts/terraform-tier-lib), and
 * returns the plan JSON: for tests that compare what Terraform plans with what was synthesized.
 * `offlineTerraform()` is undefined where terraform or the provider mirror is missing.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { buildTerraformEnv, compareVersions, patchStackForOfflinePlan, renderCliConfig } from "../../scripts/terraform-tier-lib";

export interface OfflineTerraform {
  readonly terraform: string;
  readonly providerDir: string;
}

export function offlineTerraform(env: NodeJS.ProcessEnv = process.env): OfflineTerraform | undefined {
  const terraform =
    env.TERRAFORM_BIN ||
    (env.PATH ?? "")
      .split(path.delimiter)
      .map((d) => path.join(d, "terraform"))
      .find((p) => existsSync(p));
  const base = path.join(env.TF_PROVIDER_MIRROR || "/opt/tf-plugins", "registry.terraform.io", "hashicorp", "aws");
  if (!terraform || !existsSync(base)) return undefined;
  const platform = `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`;
  for (const version of readdirSync(base).sort(compareVersions).reverse()) {
    const dir = path.join(base, version, platform);
    if (existsSync(dir) && readdirSync(dir).some((f) => f.startsWith("terraform-provider-aws_"))) return { terraform, providerDir: dir };
  }
  return undefined;
}

/**
 * The `terraform show -json` of an offline plan of this stack's JSON; throws with terraform's
 * output on failure. With `state` (a state file's JSON), the plan starts from it, without
 * refreshing (which would call AWS): what Terraform would do to those resources.
 */
export function planJson(tools: OfflineTerraform, stack: unknown, state?: unknown): Record<string, unknown> {
  const root = mkdtempSync(path.join(tmpdir(), "audit-plan-"));
  try {
    const work = path.join(root, "work");
    const home = path.join(root, "home");
    mkdirSync(work);
    mkdirSync(home);
    const patched = patchStackForOfflinePlan(stack);
    if (patched.problems.length > 0) throw new Error(patched.problems.join("; "));
    writeFileSync(path.join(work, "cdk.tf.json"), JSON.stringify(patched.stack));
    if (state) writeFileSync(path.join(work, "terraform.tfstate"), JSON.stringify(state));
    const cliConfigFile = path.join(root, "terraform.tfrc");
    writeFileSync(cliConfigFile, renderCliConfig(tools.providerDir));
    const env = buildTerraformEnv(process.env, { cliConfigFile, dataDir: path.join(root, "tf-data"), homeDir: home });
    const run = (args: string[]) => {
      const result = spawnSync(tools.terraform, args, { cwd: work, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
      if (result.status !== 0) throw new Error(`terraform ${args[0]} failed: ${result.stderr || result.stdout}`);
      return result.stdout;
    };
    run(["plan", "-input=false", "-lock=false", "-no-color", ...(state ? ["-refresh=false"] : []), "-out=plan.bin"]);
    return JSON.parse(run(["show", "-json", "-no-color", "plan.bin"])) as Record<string, unknown>;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
