/**
 * Which AWS regions exist, and which partition each is in, from `@aws-cdk/region-info`: the
 * AWS CDK team's list, updated as AWS opens regions, with no dependencies of its own. Only its
 * small `lib/aws-entities` module is loaded (a few milliseconds), not the package's index, which
 * registers megabytes of per-service facts; and only when a config is checked, so nothing else
 * pays for it. The schema's region pattern (identifiers.ts) checks the spelling; this checks
 * that the region is real.
 */
import type * as AwsEntities from "@aws-cdk/region-info/lib/aws-entities";
import type { BaselineConfig } from "./schema";

let entities: typeof AwsEntities | undefined;

function load(): typeof AwsEntities {
  // A synchronous require on first use: the meaning checks are synchronous, and nothing else should pay for the list.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  entities ??= require("@aws-cdk/region-info/lib/aws-entities") as typeof AwsEntities;
  return entities;
}

let known: ReadonlySet<string> | undefined;

/** Every region AWS has announced, as the pinned @aws-cdk/region-info lists them. */
export function knownRegions(): ReadonlySet<string> {
  known ??= new Set(load().AWS_REGIONS);
  return known;
}

/** The partition of a region: `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, … */
export function regionPartition(region: string): string {
  return load().partitionInformation(region).partition;
}

/** Up to `count` known regions closest to `region` by edit distance, nearest first (ties by name). */
export function nearestRegions(region: string, count = 3): string[] {
  return [...knownRegions()]
    .map((name) => ({ name, distance: editDistance(region, name) }))
    .sort((a, b) => a.distance - b.distance || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, count)
    .map((r) => r.name);
}

/** Levenshtein distance: insertions, deletions and substitutions of one character each cost 1. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** Every region the config names, with its path: where each is checked against the known regions. */
export function regionFields(config: BaselineConfig): Array<[path: string, region: string]> {
  return [
    ["deployment.homeRegion", config.deployment.homeRegion],
    ["stateBackend.region", config.stateBackend.region],
    ...config.workspaces.map((w, i): [string, string] => [`workspaces[${i}].region`, w.region]),
    ...(config.controls.workspaceCreationRules?.allowedRegions ?? []).map((r, j): [string, string] => [
      `controls.workspaceCreationRules.allowedRegions[${j}]`,
      r,
    ]),
    ...(config.auditTrail ? [["auditTrail.homeRegion", config.auditTrail.homeRegion] as [string, string]] : []),
  ];
}
