/**
 * Bin packing for SCP documents: items of integer weight into the fewest bins of one capacity.
 * A document's size is additive (a fixed envelope, each statement, a comma between statements),
 * so packing controls into SCPs is exactly this problem. Pure and deterministic.
 *
 * First-fit in the given order keeps a layout stable as controls are added, so it is kept
 * whenever nothing packs tighter; first-fit decreasing is tried next, and groups small enough
 * for it are solved exactly, so a target never runs out of its ten SCP slots because of the
 * packing. The lower bound says how close any packing could come.
 */

/** Bins of item indices: members in index order, bins in the order of their first member. */
export type Bins = number[][];

/** Past this many items the exact search is not tried: first-fit decreasing is within 11/9 of optimal there. */
export const EXACT_ITEMS_LIMIT = 24;
/** The exact search gives up after this many steps and keeps the best heuristic packing (never seen for SCP-sized items). */
const EXACT_STEP_BUDGET = 200_000;

/**
 * The fewest bins any packing can use: the total weight over the capacity, and at least one bin
 * for every item over half the capacity (no two of them share one).
 */
export function lowerBound(weights: readonly number[], capacity: number): number {
  const total = weights.reduce((sum, w) => sum + w, 0);
  const large = weights.filter((w) => w > capacity / 2).length;
  return Math.max(Math.ceil(total / capacity), large);
}

/** Each item into the first bin it fits, in `order`; a new bin when it fits none. */
export function firstFit(weights: readonly number[], capacity: number, order: readonly number[] = weights.map((_, i) => i)): Bins {
  const bins: Bins = [];
  const loads: number[] = [];
  for (const item of order) {
    const at = loads.findIndex((load) => load + weights[item] <= capacity);
    if (at >= 0) {
      bins[at].push(item);
      loads[at] += weights[item];
    } else {
      bins.push([item]);
      loads.push(weights[item]);
    }
  }
  return normalized(bins);
}

/** Indices by weight, heaviest first; ties in index order, so the result is deterministic. */
function decreasing(weights: readonly number[]): number[] {
  return weights.map((_, i) => i).sort((a, b) => weights[b] - weights[a] || a - b);
}

/**
 * The fewest bins this finds: first-fit in index order when nothing beats it, else first-fit
 * decreasing, else (for small groups) an exact search. Throws if an item alone exceeds the
 * capacity: splitting it is the caller's job.
 */
export function fewestBins(weights: readonly number[], capacity: number): Bins {
  const tooLarge = weights.findIndex((w) => w > capacity);
  if (tooLarge >= 0) throw new Error(`item ${tooLarge} weighs ${weights[tooLarge]}, over the capacity ${capacity}`);
  const bound = lowerBound(weights, capacity);
  let best = firstFit(weights, capacity);
  if (best.length === bound) return best;
  const ffd = firstFit(weights, capacity, decreasing(weights));
  if (ffd.length < best.length) best = ffd;
  if (best.length === bound || weights.length > EXACT_ITEMS_LIMIT) return best;
  for (let bins = bound; bins < best.length; bins++) {
    const exact = packInto(weights, capacity, bins);
    if (exact) return exact;
  }
  return best;
}

/**
 * A packing into exactly `count` bins, or undefined when there is none (or the search ran out of
 * steps). Depth-first over the items heaviest first; a bin whose load equals one already tried
 * is skipped, as is every empty bin after the first, since both lead to the same packings.
 */
function packInto(weights: readonly number[], capacity: number, count: number): Bins | undefined {
  const order = decreasing(weights);
  const loads = new Array<number>(count).fill(0);
  const assigned = new Array<number>(weights.length);
  let steps = 0;
  const place = (k: number): boolean => {
    if (k === order.length) return true;
    if (++steps > EXACT_STEP_BUDGET) return false;
    const item = order[k];
    const tried = new Set<number>();
    for (let bin = 0; bin < count; bin++) {
      if (tried.has(loads[bin]) || loads[bin] + weights[item] > capacity) continue;
      tried.add(loads[bin]);
      loads[bin] += weights[item];
      assigned[item] = bin;
      if (place(k + 1)) return true;
      loads[bin] -= weights[item];
    }
    return false;
  };
  if (!place(0)) return undefined;
  const bins: Bins = Array.from({ length: count }, () => []);
  weights.forEach((_, item) => bins[assigned[item]].push(item));
  return normalized(bins);
}

function normalized(bins: Bins): Bins {
  return bins
    .filter((bin) => bin.length > 0)
    .map((bin) => [...bin].sort((a, b) => a - b))
    .sort((a, b) => a[0] - b[0]);
}
