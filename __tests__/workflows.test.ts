/**
 * The GitHub workflows' own rules, which actionlint (`npm run lint:workflows`) does not check:
 * actions pinned by commit, no expressions in shell scripts, least-privilege permissions, and the
 * pull-request workflow agreeing with the scripts it runs.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { load } from "js-yaml";
import { COMMENT_MARKER } from "../scripts/pr-comment";

const WORKFLOWS = path.join(__dirname, "..", ".github", "workflows");

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  permissions?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const files = readdirSync(WORKFLOWS).filter((f) => f.endsWith(".yml") || f.endsWith(".yaml"));
const text = (file: string) => readFileSync(path.join(WORKFLOWS, file), "utf8");
const workflow = (file: string) => load(text(file)) as Workflow;
const steps = (file: string) => Object.values(workflow(file).jobs).flatMap((job) => job.steps);

test.each(files)("%s: every action is pinned to a full commit, with the release it was taken from", (file) => {
  const uses = text(file)
    .split("\n")
    .filter((line) => /^\s*(- )?uses:/.test(line));
  expect(uses.length).toBeGreaterThan(0);
  for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
});

test.each(files)("%s: no expression inside a run script (untrusted values come through env)", (file) => {
  const scripts = steps(file).flatMap((step) => (step.run ? [step.run] : []));
  expect(scripts.length).toBeGreaterThan(0);
  for (const script of scripts) expect(script).not.toContain("${{");
});

test.each(files)("%s: nothing by default, each job asks for its own permissions", (file) => {
  const wf = workflow(file);
  expect(wf.permissions).toEqual({});
  for (const job of Object.values(wf.jobs)) expect(job.permissions).toBeDefined();
});

describe("pull-request.yml", () => {
  const wf = workflow("pull-request.yml");

  test("only the plan job gets an OIDC token, only the comment job may write to the pull request", () => {
    expect(wf.jobs.review.permissions).toEqual({ contents: "read" });
    expect(wf.jobs.plan.permissions).toEqual({ "id-token": "write" });
    expect(wf.jobs.comment.permissions).toEqual({ "pull-requests": "write" });
  });

  test("finds its comment by the renderer's marker, and ships every script it runs", () => {
    expect(text("pull-request.yml")).toContain(`marker='${COMMENT_MARKER}'`);
    const shipped = [...text("pull-request.yml").matchAll(/dist\/scripts\/([\w-]+)\.js/g)].map((m) => m[1]);
    const run = [...text("pull-request.yml").matchAll(/pr-review\/bin\/([\w-]+)\.js/g)].map((m) => m[1]);
    expect(run.length).toBeGreaterThan(0);
    for (const script of new Set([...shipped, ...run])) expect(existsSync(path.join(__dirname, "..", "scripts", `${script}.ts`))).toBe(true);
    for (const script of run) expect(shipped).toContain(script);
  });

  test("plans with terraform 1.11, unwrapped, and never uploads the plan itself", () => {
    const setup = wf.jobs.plan.steps.find((s) => s.uses?.startsWith("hashicorp/setup-terraform@"));
    expect(setup?.with).toEqual({ terraform_version: "1.11.4", terraform_wrapper: false });
    const uploads = wf.jobs.plan.steps.filter((s) => s.uses?.startsWith("actions/upload-artifact@"));
    expect(uploads.map((s) => s.with?.path)).toEqual(["summary/"]);
  });
});
