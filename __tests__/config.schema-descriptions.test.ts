/**
 * Every field of the config is documented where editors show it: the generated JSON Schema. The
 * walk reads the JSON Schema itself (the committed file and the one the write-schema code path
 * generates now), not the valibot schema, so a description lost on the way (an `optional` that
 * wraps a pipe, a union) fails here just as a missing one does.
 */
import { readFileSync } from "node:fs";
import { baselineJsonSchema, JSON_SCHEMA_PATH } from "../scripts/write-schema";

interface JsonSchemaNode {
  readonly type?: string | readonly string[];
  readonly description?: string;
  readonly properties?: Readonly<Record<string, JsonSchemaNode>>;
  readonly items?: JsonSchemaNode;
  readonly anyOf?: readonly JsonSchemaNode[];
  readonly oneOf?: readonly JsonSchemaNode[];
  readonly allOf?: readonly JsonSchemaNode[];
}

const documented = (node: JsonSchemaNode) => typeof node.description === "string" && node.description.trim().length > 0;
const isObject = (node: JsonSchemaNode) => node.type === "object" || node.properties !== undefined;

/**
 * The path of every node that should carry a description and does not: the top level, every
 * property of every object at any depth, and every list item that is itself an object (a rule,
 * an OU, a team), whose description is what a hover on `- ` shows. Scalar list items are
 * described by their list. A union's branches are walked at the union's path.
 */
export function undocumentedPaths(node: JsonSchemaNode, path = "(top level)", mustDescribe = true): string[] {
  const out: string[] = [];
  if (mustDescribe && !documented(node)) out.push(path);
  const at = (key: string) => (path === "(top level)" ? key : `${path}.${key}`);
  for (const [key, child] of Object.entries(node.properties ?? {})) out.push(...undocumentedPaths(child, at(key), true));
  if (node.items) out.push(...undocumentedPaths(node.items, `${path}[]`, isObject(node.items)));
  for (const branch of [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])]) out.push(...undocumentedPaths(branch, path, false));
  return [...new Set(out)];
}

describe("the walk", () => {
  test("names every undocumented property, object list item and the top level", () => {
    const schema: JsonSchemaNode = {
      type: "object",
      properties: {
        a: { type: "string", description: "documented" },
        b: { type: "string", description: "  " },
        c: {
          type: "array",
          description: "a list",
          items: { type: "object", properties: { d: { type: "boolean" }, e: { type: "string", description: "ok" } } },
        },
        f: { anyOf: [{ type: "string" }, { type: "object", properties: { g: { type: "number" } } }], description: "a union" },
        h: { type: "array", description: "strings", items: { type: "string" } },
      },
    };
    expect(undocumentedPaths(schema).sort()).toEqual(["(top level)", "b", "c[]", "c[].d", "f.g"].sort());
  });
});

describe("config/baseline.schema.json", () => {
  test("describes every field, at every depth (the committed file)", () => {
    const committed = JSON.parse(readFileSync(JSON_SCHEMA_PATH, "utf8")) as JsonSchemaNode;
    expect(undocumentedPaths(committed)).toEqual([]);
  });

  test("describes every field, at every depth (as npm run schema generates it now)", () => {
    const live = JSON.parse(baselineJsonSchema()) as JsonSchemaNode;
    expect(undocumentedPaths(live)).toEqual([]);
  });
});
