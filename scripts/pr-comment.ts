/**
 * The pull-request review comment: one comment per pull request, found again by its marker and
 * updated in place, with the effective-access diff and a summary of each changed stack's plan.
 *
 *   node dist/scripts/pr-comment.js summarize --stack <name> (--plan <plan.json> | --failed <reason>)
 *   node dist/scripts/pr-comment.js render [--access-diff <md file>] [--access-diff-error <file>]
 *       [--stacks <changed-stacks report>] [--plans <dir of summaries>] [--plans-skipped <reason>]
 *       [--review-failed <step>]... [--run-url <url>] [--limit <characters>]
 *
 * `summarize` turns `terraform show -json <plan file>` into addresses and actions only: the plan
 * JSON carries every attribute value, sensitive ones in clear text, and must never leave the job
 * that planned. `render` prints the comment.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { type ChangedStacks, stacksToPlan } from "./changed-stacks";

/** The hidden first line the workflow looks for to update its own comment instead of adding one. */
export const COMMENT_MARKER = "<!-- claude-platform-baseline:pr-review -->";
/** GitHub refuses a comment body longer than this. A JS string's length never undercounts it. */
export const COMMENT_LIMIT = 65_536;
/** Addresses listed per stack and kind; a plan that replaces more than this says how many more. */
export const MAX_LISTED = 30;

/** A resource the plan replaces or destroys, and Terraform's reason when it gives one. */
export interface ResourceNote {
  readonly address: string;
  readonly because?: string;
}

export interface PlannedStack {
  readonly stack: string;
  readonly status: "planned";
  /** Counted as `terraform plan` prints them: a replacement is one to add and one to destroy. */
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  readonly replacements: ResourceNote[];
  /** Destroyed and not created again. */
  readonly destroys: ResourceNote[];
}

export interface FailedStack {
  readonly stack: string;
  readonly status: "failed";
  readonly reason: string;
}

export type StackPlan = PlannedStack | FailedStack;

export type AccessDiff = { readonly markdown: string } | { readonly error: string };

export interface CommentInput {
  /** Undefined when the access diff did not run at all. */
  readonly accessDiff?: AccessDiff;
  /** Undefined when the stacks were not compared (the head did not synthesize). */
  readonly stacks?: ChangedStacks;
  readonly plans: readonly StackPlan[];
  /** Why no stack was planned (a fork's pull request gets no AWS credentials). */
  readonly plansSkipped?: string;
  /** Review steps that failed (`npm test`, `npm run synth`). */
  readonly reviewFailures?: readonly string[];
  readonly runUrl?: string;
}

/** The summary of one stack's `terraform show -json` plan: counts and addresses, no values. */
export function summarizePlan(stack: string, plan: unknown): StackPlan {
  if (!isObject(plan) || typeof plan.format_version !== "string") throw new Error(`${stack}: not the output of terraform show -json <plan file>`);
  if (plan.errored === true) return { stack, status: "failed", reason: "the plan errored" };
  const summary = { stack, status: "planned" as const, add: 0, change: 0, destroy: 0, replacements: [] as ResourceNote[], destroys: [] as ResourceNote[] };
  for (const rc of Array.isArray(plan.resource_changes) ? plan.resource_changes : []) {
    if (!isObject(rc) || !isObject(rc.change) || !Array.isArray(rc.change.actions) || typeof rc.address !== "string") continue;
    const note = { address: rc.address, ...because(rc) };
    switch (rc.change.actions.join(",")) {
      case "create":
        summary.add++;
        break;
      case "update":
        summary.change++;
        break;
      case "delete":
        summary.destroy++;
        summary.destroys.push(note);
        break;
      // Destroy then create, or create then destroy (create_before_destroy): both replace.
      case "delete,create":
      case "create,delete":
        summary.add++;
        summary.destroy++;
        summary.replacements.push(note);
        break;
    }
  }
  return summary;
}

/** Terraform's `action_reason` in words, with the attributes that force a replacement. */
function because(rc: Record<string, unknown>): { because?: string } {
  const paths = isObject(rc.change) && Array.isArray(rc.change.replace_paths) ? rc.change.replace_paths.filter(Array.isArray).map((p) => p.join(".")) : [];
  switch (rc.action_reason) {
    case "replace_because_cannot_update":
      return { because: paths.length > 0 ? `${paths.join(", ")} cannot change in place` : "cannot change in place" };
    case "replace_because_tainted":
      return { because: "tainted" };
    case "replace_by_request":
      return { because: "replacement requested" };
    case "replace_by_triggers":
      return { because: "replace_triggered_by" };
    case "delete_because_no_resource_config":
      return { because: "no longer in the configuration" };
    case undefined:
      return {};
    default:
      return { because: String(rc.action_reason).replace(/_/g, " ") };
  }
}

/**
 * The whole comment, at most `limit` characters. The access diff gives way first (it is cut at a
 * line, with a note), so the plan summary and its replacement warnings always show.
 */
export function renderComment(input: CommentInput, limit = COMMENT_LIMIT): string {
  const head = [`${COMMENT_MARKER}\n## Claude Platform baseline: pull-request review`, ...reviewFailureSection(input)];
  const tail = [planSection(input), footer(input)].filter((s) => s !== "");
  const access = accessSection(input.accessDiff);
  const fixed = [...head, ...tail].join("\n\n").length + 4;
  const comment = [...head, fitAccessSection(access, limit - fixed, input.runUrl), ...tail].join("\n\n") + "\n";
  return comment.length <= limit ? comment : hardTruncate(comment, limit);
}

function reviewFailureSection({ reviewFailures, runUrl }: CommentInput): string[] {
  if (!reviewFailures || reviewFailures.length === 0) return [];
  const steps = reviewFailures.map(code).join(", ");
  return [`> [!CAUTION]\n> ${steps} failed: this review is incomplete; see ${runLink(runUrl)}.`];
}

/** The access diff's own Markdown, which brings its heading; a heading of ours only when it has none to show. */
function accessSection(diff: AccessDiff | undefined): string {
  const title = "### Access diff";
  if (!diff) return `${title}\n\nThe access diff did not run.`;
  if ("error" in diff) return `${title}\n\n❌ **The access diff failed:** ${oneLine(diff.error)}`;
  return diff.markdown.trim();
}

function fitAccessSection(section: string, budget: number, runUrl: string | undefined): string {
  if (section.length <= budget) return section;
  const note = `\n\n> [!NOTE]\n> The access diff is cut here: ${section.length.toLocaleString("en-US")} characters do not fit in a comment. The whole review is in the summary of ${runLink(runUrl)}.`;
  return cutAtLine(section, Math.max(0, budget - note.length - 4)) + note;
}

/** Cuts at the last line break that fits, closing a code fence left open. */
function cutAtLine(text: string, max: number): string {
  const cut = text.slice(0, Math.max(0, text.lastIndexOf("\n", max)));
  const fences = cut.split("\n").filter((line) => line.trimStart().startsWith("```")).length;
  return fences % 2 === 1 ? `${cut}\n\`\`\`` : cut;
}

/** The last resort, for a plan section that alone is too long: cut, and say so. */
function hardTruncate(comment: string, limit: number): string {
  const note = "\n\n… (cut: the comment is longer than GitHub allows; the whole review is in the workflow run's summary)\n";
  return cutAtLine(comment, limit - note.length - 4) + note;
}

function planSection(input: CommentInput): string {
  const { stacks, plans, plansSkipped } = input;
  const lines = ["### Terraform plans"];
  const toPlan = stacks ? stacksToPlan(stacks) : plans.map((p) => p.stack).sort();
  if (!stacks) lines.push("The stacks were not compared with the base: only the plans that ran are shown.");
  else if (!stacks.compared) lines.push("The base did not synthesize, so there was nothing to compare with: every stack was planned.");
  if (plansSkipped && toPlan.length > 0) lines.push(`Plans did not run: ${oneLine(plansSkipped)}.`);
  if (toPlan.length === 0) lines.push("No stack changes: nothing to plan.");
  else lines.push(planTable(toPlan, plans, plansSkipped));
  const planned = toPlan.map((stack) => plans.find((p) => p.stack === stack)).filter((p): p is PlannedStack => p?.status === "planned");
  lines.push(...planned.flatMap(replacementWarning), ...planned.flatMap(destroyList));
  if (stacks && stacks.unchanged.length > 0) lines.push(`Unchanged, so not planned: ${stacks.unchanged.map(code).join(", ")}.`);
  if (stacks && stacks.removed.length > 0) lines.push(removedWarning(stacks.removed));
  return lines.join("\n\n");
}

function planTable(toPlan: readonly string[], plans: readonly StackPlan[], plansSkipped: string | undefined): string {
  const rows = toPlan.map((stack) => {
    const plan = plans.find((p) => p.stack === stack);
    if (!plan) return `| ${code(stack)} | | | | ${plansSkipped ? "⏭️ not planned" : "❌ **no plan result** (the plan job did not finish)"} |`;
    if (plan.status === "failed") return `| ${code(stack)} | | | | ❌ **failed to plan:** ${cell(plan.reason)} |`;
    const note =
      plan.replacements.length > 0
        ? `⚠️ **${count(plan.replacements.length, "replacement")}**`
        : plan.add + plan.change + plan.destroy === 0
          ? "no changes"
          : "";
    return `| ${code(stack)} | ${plan.add} | ${plan.change} | ${plan.destroy} | ${note} |`;
  });
  return ["| stack | to add | to change | to destroy | |", "|---|--:|--:|--:|---|", ...rows].join("\n");
}

function replacementWarning(plan: PlannedStack): string[] {
  if (plan.replacements.length === 0) return [];
  const intro = `**${code(plan.stack)} replaces ${count(plan.replacements.length, "resource")}.** Each is destroyed and created again: a new resource with a new id (a recreated IAM role is not the role that key and bucket policies named) and, unless it is created first, a gap while it is gone.`;
  return [[`> [!WARNING]`, `> ${intro}`, ...listed(plan.replacements).map((line) => `> ${line}`)].join("\n")];
}

function destroyList(plan: PlannedStack): string[] {
  if (plan.destroys.length === 0) return [];
  return [[`**${code(plan.stack)} destroys ${count(plan.destroys.length, "resource")}:**`, ...listed(plan.destroys)].join("\n")];
}

function removedWarning(removed: readonly string[]): string {
  const names = removed.map(code).join(", ");
  return [
    "> [!CAUTION]",
    `> **Removed ${removed.length === 1 ? "stack" : "stacks"}: ${names}.** Merging destroys nothing: Terraform only runs on the stacks that exist, so their resources stay in AWS, unmanaged, and their state stays in the bucket, while the access diff counts their access as gone. If they should go, destroy them from the base branch before merging (\`npx cdktf destroy <stack>\`). A renamed stack shows as one removed and one added: the added one plans to create what the removed one still holds.`,
  ].join("\n");
}

function listed(notes: readonly ResourceNote[]): string[] {
  const shown = notes.slice(0, MAX_LISTED).map((n) => `- ${code(n.address)}${n.because ? ` (${oneLine(n.because)})` : ""}`);
  return notes.length > MAX_LISTED ? [...shown, `- … and ${notes.length - MAX_LISTED} more (the plan job's log lists them)`] : shown;
}

function footer({ runUrl }: CommentInput): string {
  return runUrl ? `<sub>Updated by ${runLink(runUrl)}.</sub>` : "";
}

function runLink(runUrl: string | undefined): string {
  return runUrl ? `[the workflow run](${runUrl})` : "the workflow run";
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** Inline code that survives any address: Terraform addresses hold quotes and brackets, never backticks, but be sure. */
function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 500 ? `${line.slice(0, 500)}…` : line;
}

function cell(text: string): string {
  return oneLine(text).replace(/\|/g, "\\|");
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// CLI: file handling only; everything above is pure.

function isStackPlan(value: unknown): value is StackPlan {
  if (!isObject(value) || typeof value.stack !== "string") return false;
  if (value.status === "failed") return typeof value.reason === "string";
  return (
    value.status === "planned" &&
    [value.add, value.change, value.destroy].every((n) => typeof n === "number") &&
    Array.isArray(value.replacements) &&
    Array.isArray(value.destroys)
  );
}

/** Every summary in `dir`; a file that is not one is reported as its stack's failure. */
export function readPlans(dir: string): StackPlan[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file): StackPlan => {
      const stack = path.basename(file, ".json");
      try {
        const value: unknown = JSON.parse(readFileSync(path.join(dir, file), "utf8"));
        return isStackPlan(value) ? value : { stack, status: "failed", reason: "the plan summary is unreadable" };
      } catch {
        return { stack, status: "failed", reason: "the plan summary is unreadable" };
      }
    });
}

function readAccessDiff(markdownFile: string | undefined, errorFile: string | undefined): AccessDiff | undefined {
  const error = errorFile && existsSync(errorFile) ? readFileSync(errorFile, "utf8").trim() : "";
  if (error) return { error };
  if (markdownFile && existsSync(markdownFile)) return { markdown: readFileSync(markdownFile, "utf8") };
  return undefined;
}

const USAGE =
  "usage: pr-comment summarize --stack <name> (--plan <plan.json> | --failed <reason>)\n       pr-comment render [--access-diff <md>] [--access-diff-error <file>] [--stacks <report>] [--plans <dir>] [--plans-skipped <reason>] [--review-failed <step>]... [--run-url <url>] [--limit <n>]";

function summarizeCommand(argv: string[]): string {
  const { values } = parseArgs({ args: argv, options: { stack: { type: "string" }, plan: { type: "string" }, failed: { type: "string" } }, strict: true });
  if (!values.stack || (values.plan === undefined) === (values.failed === undefined)) throw new Error(USAGE);
  const summary: StackPlan =
    values.plan !== undefined
      ? summarizePlan(values.stack, JSON.parse(readFileSync(values.plan, "utf8")))
      : { stack: values.stack, status: "failed", reason: values.failed! };
  return `${JSON.stringify(summary, null, 2)}\n`;
}

function renderCommand(argv: string[]): string {
  const { values } = parseArgs({
    args: argv,
    options: {
      "access-diff": { type: "string" },
      "access-diff-error": { type: "string" },
      stacks: { type: "string" },
      plans: { type: "string" },
      "plans-skipped": { type: "string" },
      "review-failed": { type: "string", multiple: true },
      "run-url": { type: "string" },
      limit: { type: "string" },
    },
    strict: true,
  });
  const limit = values.limit ? Number(values.limit) : COMMENT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1000) throw new Error(`--limit: ${values.limit} is not a number of characters (1000 or more)`);
  const stacksFile = values.stacks && existsSync(values.stacks) ? values.stacks : undefined;
  const input: CommentInput = {
    accessDiff: readAccessDiff(values["access-diff"], values["access-diff-error"]),
    stacks: stacksFile ? (JSON.parse(readFileSync(stacksFile, "utf8")) as ChangedStacks) : undefined,
    plans: values.plans ? readPlans(values.plans) : [],
    plansSkipped: values["plans-skipped"] || undefined,
    reviewFailures: values["review-failed"]?.filter((step) => step !== ""),
    runUrl: values["run-url"] || undefined,
  };
  return renderComment(input, limit);
}

if (require.main === module) {
  try {
    const [command, ...rest] = process.argv.slice(2);
    if (command === "summarize") process.stdout.write(summarizeCommand(rest));
    else if (command === "render") process.stdout.write(renderCommand(rest));
    else throw new Error(USAGE);
  } catch (error) {
    console.error(`pr-comment: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
