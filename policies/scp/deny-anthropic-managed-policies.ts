import type { Statement } from "../document";
import { pickActions, type ScpControl } from "./control";

/**
 * The AWS managed policies for the service grant it broadly: `AnthropicFullAccess` every action,
 * `AnthropicLimitedAccess` (which the console's long-term key flow attaches to its shadow user)
 * content reads and writes, bearer tokens and the console. Attaching one to a user, group or role
 * bypasses the least-privilege team roles, so it is denied by policy ARN, at the root path and
 * any other (AWS managed policies live under `arn:<partition>:iam::aws:policy/`).
 */
export const denyAnthropicManagedPolicies: ScpControl<"denyAnthropicManagedPolicies"> = {
  id: "denyAnthropicManagedPolicies",
  title: "Deny the broad AWS managed policies",
  summary: "Attaching the listed AWS managed policies (AnthropicFullAccess and AnthropicLimitedAccess by default) to any IAM user, group or role.",
  risk: "One attachment of AnthropicFullAccess or AnthropicLimitedAccess gives a principal every workspace's content, API keys and the console, outside every profile the baseline reviews.",
  leavesAlone:
    "Policies already attached (detach them; detaching stays allowed), every other managed policy, AWS managed policies used as permissions boundaries, and, with `exempt: true` (the default), the exempt principals.",
  statements(options, { catalog, partition }): Statement[] {
    const policyArns = options.policies.flatMap((name) => [`arn:${partition}:iam::aws:policy/${name}`, `arn:${partition}:iam::aws:policy/*/${name}`]);
    return [
      {
        Sid: "DenyAnthropicManagedPolicies",
        Effect: "Deny",
        Action: pickActions(catalog, ["iam:AttachUserPolicy", "iam:AttachGroupPolicy", "iam:AttachRolePolicy"]),
        Resource: ["*"],
        Condition: { ArnLike: { "iam:PolicyARN": policyArns } },
      },
    ];
  },
};
