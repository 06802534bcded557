// Placeholder until the warnings branch merges: no checks yet.
import type { BaselineConfig } from "./schema";
import type { Problem } from "./validate";

export function findWarnings(config: BaselineConfig): Problem[] {
  void config;
  return [];
}
