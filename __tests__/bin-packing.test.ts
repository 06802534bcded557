/**
 * The bin packing SCP documents are laid out with: every item once, no bin over capacity, and as
 * few bins as an exhaustive search finds, on seeded random groups of the sizes that occur.
 */
import { EXACT_ITEMS_LIMIT, fewestBins, firstFit, lowerBound, type Bins } from "../policies/bin-packing";

/** A small seeded generator (mulberry32), so every run checks the same instances. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The fewest bins, by trying every assignment of items to bins: independent of the code under test, for small n only. */
function optimum(weights: readonly number[], capacity: number): number {
  for (let count = 1; count <= weights.length; count++) {
    const loads = new Array<number>(count).fill(0);
    const fits = (k: number): boolean => {
      if (k === weights.length) return true;
      for (let bin = 0; bin < count; bin++) {
        if (loads[bin] + weights[k] > capacity) continue;
        loads[bin] += weights[k];
        if (fits(k + 1)) return true;
        loads[bin] -= weights[k];
      }
      return false;
    };
    if (fits(0)) return count;
  }
  return weights.length;
}

function expectValid(bins: Bins, weights: readonly number[], capacity: number) {
  expect(
    bins
      .flat()
      .slice()
      .sort((a, b) => a - b),
  ).toEqual(weights.map((_, i) => i));
  for (const bin of bins) expect(bin.reduce((sum, i) => sum + weights[i], 0)).toBeLessThanOrEqual(capacity);
}

test("where first-fit in order needs three bins and two suffice, first-fit decreasing finds two", () => {
  const weights = [4, 4, 6, 6];
  expect(firstFit(weights, 10)).toEqual([[0, 1], [2], [3]]);
  expect(fewestBins(weights, 10)).toEqual([
    [0, 2],
    [1, 3],
  ]);
});

test("where first-fit decreasing needs three bins and two suffice, the exact search finds two", () => {
  const weights = [5, 4, 4, 3, 2, 2];
  expect(firstFit(weights, 10, [0, 1, 2, 3, 4, 5])).toHaveLength(3);
  const bins = fewestBins(weights, 10);
  expectValid(bins, weights, 10);
  expect(bins).toHaveLength(2);
});

test("first-fit in order is kept whenever it is already the fewest: a layout does not move for nothing", () => {
  const weights = [3, 7, 2, 8, 5];
  expect(fewestBins(weights, 10)).toEqual(firstFit(weights, 10));
  expect(fewestBins(weights, 10)).toEqual([[0, 1], [2, 3], [4]]);
});

test("the lower bound: total weight over capacity, and one bin for every item over half", () => {
  expect(lowerBound([6, 6, 6], 10)).toBe(3);
  expect(lowerBound([3, 3, 3, 3], 10)).toBe(2);
  expect(lowerBound([], 10)).toBe(0);
});

test("an item over the capacity is the caller's to split, not silently placed", () => {
  expect(() => fewestBins([11], 10)).toThrow(/item 0 weighs 11, over the capacity 10/);
});

test("on 300 seeded groups of up to 10 SCP-sized items, every packing is valid and as small as exhaustive search", () => {
  const next = random(20261123);
  const capacity = 10_202;
  let beatFirstFit = 0;
  for (let round = 0; round < 300; round++) {
    const n = 2 + Math.floor(next() * 9);
    // Sizes as controls have them: mostly a few hundred to a few thousand characters, some near half.
    const weights = Array.from({ length: n }, () => 200 + Math.floor(next() * next() * 6000));
    const bins = fewestBins(weights, capacity);
    expectValid(bins, weights, capacity);
    expect({ round, weights, bins: bins.length }).toEqual({ round, weights, bins: optimum(weights, capacity) });
    if (bins.length < firstFit(weights, capacity).length) beatFirstFit++;
  }
  // The generator does produce groups where first-fit in order is not optimal.
  expect(beatFirstFit).toBeGreaterThan(0);
});

test("past the exact-search limit, first-fit decreasing still packs every item within capacity", () => {
  const next = random(7);
  const weights = Array.from({ length: EXACT_ITEMS_LIMIT + 40 }, () => 100 + Math.floor(next() * 4000));
  const bins = fewestBins(weights, 10_202);
  expectValid(bins, weights, 10_202);
  expect(bins.length).toBeLessThanOrEqual(Math.ceil((11 / 9) * lowerBound(weights, 10_202)) + 1);
});
