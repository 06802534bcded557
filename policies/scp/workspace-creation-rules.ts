import type { Statement } from "../document";
import { SynthesisError } from "../errors";
import { pickActions, type ScpControl } from "./control";
import { CLAUDE_SERVICE } from "../catalog";

/**
 * Rules for new workspaces, each its own statement so each can be read and tested alone: a
 * customer-managed key (`aws-external-anthropic:KeyArn` present), each required tag present in the
 * request, and an allowed region (`aws:RequestedRegion`).
 */
export const workspaceCreationRules: ScpControl<"workspaceCreationRules"> = {
  id: "workspaceCreationRules",
  title: "Workspace creation rules",
  summary: "CreateWorkspace without a customer-managed key, without each required tag, or outside the allowed regions (each rule optional).",
  risk: "A workspace created without the organization's key, ownership tags or region rules escapes its key management, cost attribution and data-residency commitments from day one.",
  leavesAlone: "Every other action, including UpdateWorkspace and TagResource on existing workspaces. With `exempt: true`, the exempt principals.",
  statements(options, { catalog }): Statement[] {
    const action = pickActions(catalog, [`${CLAUDE_SERVICE}:CreateWorkspace`]);
    const rule = (Sid: string, Condition: Statement["Condition"]): Statement => ({ Sid, Effect: "Deny", Action: action, Resource: ["*"], Condition });
    const statements: Statement[] = [];
    if (options.requireCustomerManagedKey) statements.push(rule("RequireWorkspaceCustomerManagedKey", { Null: { [`${CLAUDE_SERVICE}:KeyArn`]: ["true"] } }));
    const sids = new Map<string, string>();
    for (const tag of options.requiredTags) {
      const sid = `RequireWorkspaceTag${tag.replace(/[^A-Za-z0-9]/g, "")}`;
      const clash = sids.get(sid);
      if (clash !== undefined)
        throw new SynthesisError([
          `controls.workspaceCreationRules.requiredTags: tags ${JSON.stringify(clash)} and ${JSON.stringify(tag)} differ only in punctuation, which statement ids cannot hold; rename one`,
        ]);
      sids.set(sid, tag);
      statements.push(rule(sid, { Null: { [`aws:RequestTag/${tag}`]: ["true"] } }));
    }
    if (options.allowedRegions) statements.push(rule("RestrictWorkspaceRegions", { StringNotEquals: { "aws:RequestedRegion": options.allowedRegions } }));
    return statements;
  },
};
