import { appendTo } from "../config/collections";

describe("appendTo", () => {
  test("starts a key's list, then appends to that same list in order", () => {
    const lists = new Map<string, number[]>();
    appendTo(lists, "a", 1);
    const first = lists.get("a");
    appendTo(lists, "a", 2);
    appendTo(lists, "b", 3);
    expect(lists.get("a")).toBe(first);
    expect([...lists]).toEqual([
      ["a", [1, 2]],
      ["b", [3]],
    ]);
  });
});
