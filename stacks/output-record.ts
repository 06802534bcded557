/**
 * `<outdir>/baseline-output.json`: which config an output directory was synthesized from (its path
 * and SHA-256) and what it holds. A run that fails leaves the directory as it was, so the record
 * is how the failure message, a reviewer or a deploy script tells which config the stacks there
 * came from. Deterministic: no timestamps, so the same config gives the same bytes.
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";

export const OUTPUT_RECORD_FILE = "baseline-output.json";

export interface OutputRecord {
  readonly config: { readonly path: string; readonly sha256: string };
  readonly stacks: readonly string[];
  readonly policyFiles: number;
}

export function configDigest(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

export function writeOutputRecord(outdir: string, record: OutputRecord): void {
  writeFileSync(path.join(outdir, OUTPUT_RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

/** The record of an earlier run, or undefined when there is none (or it cannot be read). */
export function readOutputRecord(outdir: string): OutputRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(path.join(outdir, OUTPUT_RECORD_FILE), "utf8")) as OutputRecord;
    return typeof record?.config?.path === "string" && typeof record.config.sha256 === "string" ? record : undefined;
  } catch {
    return undefined;
  }
}
