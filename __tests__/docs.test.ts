/** The generated pages are current, the README's control table links every control, and its role table is the sample's. */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { ACCESS_PROFILES } from "../config/schema";
import { SCP_CONTROLS } from "../policies/scp";
import { teamRoleRows, TEAM_ROLE_TABLE_HEADER } from "../scripts/role-docs";
import { DOCS_DIR, listMarkdown, renderDocs } from "../scripts/write-docs";
import { sampleConfig } from "./harness/synth";

test("docs/ is what npm run docs writes, and nothing else", async () => {
  const pages = await renderDocs();
  const rolePages = [
    "roles/README.md",
    ...ACCESS_PROFILES.map((p) => `roles/profiles/${p}.md`),
    ...sampleConfig().teams.map((t) => `roles/teams/${t.name}.md`),
  ];
  expect([...pages.keys()].sort()).toEqual(["audit.md", "controls/README.md", ...SCP_CONTROLS.map((c) => `controls/${c.id}.md`), ...rolePages].sort());
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

test("the README's role table is the sample's team roles, linking their pages", () => {
  const readme = readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
  expect(readme).toContain([...TEAM_ROLE_TABLE_HEADER, ...teamRoleRows(sampleConfig(), "docs/roles/")].join("\n"));
});
