/**
 * Reads a baseline config: YAML → shape and syntax (the schema) → meaning (validate.ts).
 * Every problem found is reported at once, as one line each naming the path and the fix.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { load as parseYaml, YAMLException } from "js-yaml";
import * as v from "valibot";
import { baselineConfigSchema, describeValue, type BaselineConfig } from "./schema";
import { validateMeaning, type Problem } from "./validate";

/** The sample organization, synthesized when no config is named. */
export const SAMPLE_CONFIG_PATH = path.join(findProjectRoot(__dirname), "config", "sample-org.yaml");
/** The environment variable that names another config file. */
export const CONFIG_ENV = "BASELINE_CONFIG";

/** A config that cannot be used; carries every problem found. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly Problem[],
  ) {
    super(
      `${file}: ${problems.length} problem${problems.length === 1 ? "" : "s"}\n` +
        problems.map((p) => `  ${p.path ? `${p.path}: ` : ""}${p.message}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

/**
 * The config file to use: BASELINE_CONFIG, or the sample organization when it is unset. A relative
 * path is the caller's: npm runs scripts from the project root but records where it was called
 * from in INIT_CWD. Set but empty is refused rather than read as unset: `BASELINE_CONFIG=$ORG_FILE`
 * with a misspelled variable must not quietly build the sample organization.
 */
export function configPathFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const chosen = env[CONFIG_ENV];
  if (chosen === undefined) return SAMPLE_CONFIG_PATH;
  if (chosen.trim() === "") {
    throw new ConfigError(CONFIG_ENV, [{ path: "", message: `is set but empty; set it to a YAML config file, or unset it to use the sample organization` }]);
  }
  return resolveFromCaller(chosen, env);
}

/** A path as the person who typed it meant it: relative to the directory the command was run from. */
export function resolveFromCaller(file: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.INIT_CWD ?? process.cwd(), file);
}

export function loadConfig(file: string): BaselineConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : `cannot be read (${code ?? String(error)})`;
    throw new ConfigError(file, [{ path: "", message: `${why}; set ${CONFIG_ENV} to a YAML config file, or unset it to use the sample organization` }]);
  }
  return parseConfig(text, file);
}

/** Parses and validates config text; `file` only names it in messages. */
export function parseConfig(text: string, file: string): BaselineConfig {
  const empty = new ConfigError(file, [{ path: "", message: "the file is empty; start from config/sample-org.yaml" }]);
  if (text.split("\n").every((line) => /^\s*(#.*)?$/.test(line))) throw empty;
  let data: unknown;
  try {
    // js-yaml's default schema is YAML 1.2 core: no dates, no `yes`/`no` booleans; duplicate keys are errors.
    data = parseYaml(text, { filename: file });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    const at = error.mark ? `line ${error.mark.line + 1}, column ${error.mark.column + 1}` : "";
    throw new ConfigError(file, [{ path: at, message: `${error.reason}; fix the YAML syntax` }]);
  }
  if (data === null || data === undefined) throw empty;
  if (typeof data !== "object" || Array.isArray(data)) {
    throw new ConfigError(file, [{ path: "", message: "the top level must be a mapping (organization:, deployment:, …); start from config/sample-org.yaml" }]);
  }
  const parsed = v.safeParse(baselineConfigSchema, data);
  if (!parsed.success) throw new ConfigError(file, parsed.issues.map(describeIssue));
  const problems = validateMeaning(parsed.output);
  if (problems.length > 0) throw new ConfigError(file, problems);
  return parsed.output;
}

export function formatPath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>((out, s) => (typeof s === "number" ? `${out}[${s}]` : out ? `${out}.${String(s)}` : String(s)), "");
}

/** Turns a schema issue into a problem whose message says what to do. */
function describeIssue(issue: v.BaseIssue<unknown>): Problem {
  const keys = (issue.path ?? []).map((item) => item.key as PropertyKey);
  const at = formatPath(keys);
  if (issue.type === "strict_object" && issue.expected === "never") {
    return {
      path: formatPath(keys.slice(0, -1)),
      message: `unknown field ${JSON.stringify(keys[keys.length - 1])}; remove it or fix the spelling (config/baseline.schema.json lists the fields)`,
    };
  }
  if (issue.kind === "schema" && issue.input === undefined) return { path: at, message: "is required; add it (config/baseline.schema.json describes it)" };
  // Valibot's own messages start "Invalid type"; the schema's messages already say what to do.
  if (issue.kind === "schema" && issue.message.startsWith("Invalid type")) {
    return { path: at, message: `expected ${describeType(issue.type)}, got ${describeValue(issue.input)}; change the value` };
  }
  return { path: at, message: issue.message };
}

function describeType(type: string): string {
  const names: Record<string, string> = {
    strict_object: "a mapping",
    object: "a mapping",
    array: "a list",
    string: "a string",
    number: "a number",
    boolean: "true or false",
  };
  return names[type] ?? type;
}

/** The directory holding package.json, from here or above; works from sources and from dist/. */
function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) return start;
  }
}
