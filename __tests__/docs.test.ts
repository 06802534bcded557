/** The generated control pages are current, and the README's control table links every one. */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { SCP_CONTROLS } from "../policies/scp";
import { DOCS_DIR, listMarkdown, renderDocs } from "../scripts/write-docs";

test("docs/ is what npm run docs writes, and nothing else", async () => {
  const pages = await renderDocs();
  expect([...pages.keys()].sort()).toEqual(["audit.md", "controls/README.md", ...SCP_CONTROLS.map((c) => `controls/${c.id}.md`)].sort());
  expect(listMarkdown(DOCS_DIR).sort()).toEqual([...pages.keys()].sort());
  for (const [name, text] of pages) {
    let onDisk: string | undefined;
    try {
      onDisk = readFileSync(path.join(DOCS_DIR, name), "utf8");
    } catch {
      onDisk = undefined;
    }
    expect({ page: name, current: onDisk === text }).toEqual({ page: name, current: true });
  }
});

test("the README's control table links every control's page", () => {
  const readme = readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
  for (const control of SCP_CONTROLS) expect(readme).toContain(`](docs/controls/${control.id}.md)`);
});
