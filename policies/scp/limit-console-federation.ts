import type { Statement } from "../document";
import { lookalikeGuard, pickActions, roleGuard, type ScpControl } from "./control";
import { CLAUDE_SERVICE } from "../catalog";

const CAPABILITIES = ["developer", "admin"] as const;
const CAPABILITY_KEY = `${CLAUDE_SERVICE}:Capability`;

/**
 * `AssumeConsole` opens a Claude Console session of up to 12 hours, whatever the caller's own
 * session length, and nothing done in it reaches CloudTrail. Per capability, it is denied to
 * everyone not listed for that capability; a request with no capability, or one this baseline
 * does not know, is denied outright. Capability values are compared ignoring case. Only the
 * exemptions (the deployment role) may create or re-trust a role the list admits, in any account.
 */
export const limitConsoleFederation: ScpControl<"limitConsoleFederation"> = {
  id: "limitConsoleFederation",
  title: "Console federation limits",
  summary: "AssumeConsole for anyone not listed with the requested capability (developer or admin), and AssumeConsole without a known capability.",
  risk: "A console session outlives the caller's role session (up to 12 h) and is invisible to CloudTrail: in the wrong hands it is long, unaudited access to every workspace the console reaches.",
  leavesAlone:
    "The listed principals with their capabilities, and the break-glass role with any capability when `allowBreakGlass` is on. Every other Claude Platform action.",
  statements(options, context): Statement[] {
    const { config, catalog } = context;
    const action = pickActions(catalog, [`${CLAUDE_SERVICE}:AssumeConsole`]);
    const breakGlass = options.allowBreakGlass ? [config.deployment.breakGlassRoleArn] : [];
    const perCapability = CAPABILITIES.map((capability): Statement => {
      const allowed = [...options.allow.filter((a) => a.capabilities.includes(capability)).map((a) => a.principal), ...breakGlass];
      return {
        Sid: `LimitConsole${capability[0].toUpperCase()}${capability.slice(1)}`,
        Effect: "Deny",
        Action: action,
        Resource: ["*"],
        Condition: {
          StringEqualsIgnoreCase: { [CAPABILITY_KEY]: [capability] },
          ...(allowed.length > 0 ? { ArnNotLike: { "aws:PrincipalArn": allowed } } : {}),
        },
      };
    });
    const everyone = [...options.allow.map((a) => a.principal), ...breakGlass];
    return [
      ...lookalikeGuard("LimitConsoleLookalikes", { Action: action, Resource: ["*"] }, everyone),
      ...roleGuard("LimitConsoleRoles", everyone, context),
      // A negated operator also holds when the key is absent: no capability is denied here too.
      {
        Sid: "DenyConsoleWithoutKnownCapability",
        Effect: "Deny",
        Action: action,
        Resource: ["*"],
        Condition: { StringNotEqualsIgnoreCase: { [CAPABILITY_KEY]: [...CAPABILITIES] } },
      },
      ...perCapability,
    ];
  },
};
