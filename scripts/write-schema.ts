/**
 * Writes config/baseline.schema.json from the config schema (`npm run schema`); with `--check`,
 * exits 1 when the committed file is not what the schema generates.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { SAMPLE_CONFIG_PATH } from "../config/load";
import { toJsonSchema } from "@valibot/to-json-schema";
import { baselineConfigSchema } from "../config/schema";

/** The JSON Schema editors use; generated from the config schema, never edited by hand. */
export function baselineJsonSchema(): string {
  // `check` actions (the retention list) have no JSON Schema form; their description says the rule.
  return JSON.stringify(toJsonSchema(baselineConfigSchema, { errorMode: "ignore" }), null, 2) + "\n";
}

export const JSON_SCHEMA_PATH = path.join(path.dirname(SAMPLE_CONFIG_PATH), "baseline.schema.json");

function main(): number {
  const generated = baselineJsonSchema();
  if (process.argv.includes("--check")) {
    const current = readFileSync(JSON_SCHEMA_PATH, "utf8");
    if (current === generated) return 0;
    console.error(`${JSON_SCHEMA_PATH} is stale; run npm run schema and commit it`);
    return 1;
  }
  writeFileSync(JSON_SCHEMA_PATH, generated);
  console.log(`wrote ${JSON_SCHEMA_PATH}`);
  return 0;
}

if (require.main === module) process.exitCode = main();
