/**
 * Synthesizes a config exactly as `npm run synth` does (same plan, same stacks, same writer) into
 * a temporary directory, and reads the output back as Terraform JSON.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { loadConfig, parseConfig, SAMPLE_CONFIG_PATH } from "../../config/load";
import type { BaselineConfig } from "../../config/schema";
import { planBaseline } from "../../policies/baseline";
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
  const outdir = mkdtempSync(path.join(tmpdir(), "baseline-synth-"));
  synthesizeBaseline(await planBaseline(config), outdir);
  const stackText = (name: string) => readFileSync(path.join(outdir, "stacks", name, "cdk.tf.json"), "utf8");
  return {
    config,
    outdir,
    stackText,
    stack: (name) => JSON.parse(stackText(name)) as TerraformJson,
    cleanup: () => rmSync(outdir, { recursive: true, force: true }),
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
