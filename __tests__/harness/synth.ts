/**
 * Synthesizes a config exactly as `npm run synth` does (same plan, same stacks, same writer) into
 * a temporary directory, and reads the output back as Terraform JSON.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { loadConfig, parseConfig, SAMPLE_CONFIG_PATH } from "../../config/load";
import type { BaselineConfig } from "../../config/schema";
import { planBaseline } from "../../policies/baseline";
import { SYNTH_CACHE_ENV } from "../../scripts/mutation/mutants";
import { synthesizeBaseline } from "../../stacks/app";

export type { TerraformJson } from "../../review/synthesized";
import type { TerraformJson } from "../../review/synthesized";

export interface Synthesized {
  readonly config: BaselineConfig;
  readonly outdir: string;
  stack(name: string): TerraformJson;
  /** The raw bytes of a stack's cdk.tf.json. */
  stackText(name: string): string;
  cleanup(): void;
}

export async function synthesize(config: BaselineConfig): Promise<Synthesized> {
  const shared = process.env[SYNTH_CACHE_ENV];
  return shared ? synthesizeShared(config, shared) : synthesizeInto(config, mkdtempSync(path.join(tmpdir(), "baseline-synth-")), true);
}

/** The config's output in the shared directory, synthesized by whichever run got there first (renames are atomic). */
async function synthesizeShared(config: BaselineConfig, shared: string): Promise<Synthesized> {
  const outdir = path.join(shared, createHash("sha256").update(JSON.stringify(config)).digest("hex"));
  if (!existsSync(outdir)) {
    const fresh = mkdtempSync(path.join(shared, "partial-"));
    await synthesizeInto(config, fresh, false);
    try {
      renameSync(fresh, outdir);
    } catch {
      rmSync(fresh, { recursive: true, force: true }); // another run finished the same config first
    }
  }
  return view(config, outdir, false);
}

async function synthesizeInto(config: BaselineConfig, outdir: string, owned: boolean): Promise<Synthesized> {
  synthesizeBaseline(await planBaseline(config), outdir);
  return view(config, outdir, owned);
}

function view(config: BaselineConfig, outdir: string, owned: boolean): Synthesized {
  const stackText = (name: string) => readFileSync(path.join(outdir, "stacks", name, "cdk.tf.json"), "utf8");
  return {
    config,
    outdir,
    stackText,
    stack: (name) => JSON.parse(stackText(name)) as TerraformJson,
    cleanup: () => {
      if (owned) rmSync(outdir, { recursive: true, force: true });
    },
  };
}

export function sampleConfig(): BaselineConfig {
  return loadConfig(SAMPLE_CONFIG_PATH);
}

/** The sample config's YAML text, for tests that derive variants of the sample org by editing it. */
export function sampleYaml(): string {
  return readFileSync(SAMPLE_CONFIG_PATH, "utf8");
}

export function configFromYaml(text: string): BaselineConfig {
  return parseConfig(text, "test.yaml");
}

export { everyControlYaml } from "../../scripts/mutation/every-control";
