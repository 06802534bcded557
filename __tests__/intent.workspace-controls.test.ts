/**
 * Intents of the workspace, console and tamper-protection controls, proven on the synthesized
 * organization stack of the sample org with iam-simulate, near misses included. Each test names
 * the control and the decision it expects.
 */
import { Catalog, CLAUDE_SERVICE } from "../policies/catalog";
import { workspaceScopedActions } from "../policies/scp/approved-workspaces-only";
import { accountChains, type ChainLevel } from "./harness/organization";
import { decide, type Principal } from "./harness/simulate";
import { configFromYaml, sampleConfig, sampleYaml } from "./harness/synth";

const PAYMENTS = "333333333333";
const RESEARCH = "444444444444";
const SANDBOX = "555555555555";
const AUDIT = "222222222222";
const BREAK_GLASS: Principal = { account: "111111111111", role: "platform-break-glass" };
const DEPLOYER = (account: string): Principal => ({ account, role: "platform-governance-deployer" });
const admin = (account: string): Principal => ({ account, role: "Administrator" });
const workspace = (id: string, account: string, region = "us-east-1") => `arn:aws:aws-external-anthropic:${region}:${account}:workspace/${id}`;
const PAYMENTS_PROD = workspace("wrkspc_01PaymentsProd", PAYMENTS);
const SANDBOX_PLAY = workspace("wrkspc_01SandboxPlay", SANDBOX);
const claude = (action: string) => `${CLAUDE_SERVICE}:${action}`;

let chains: Map<string, ChainLevel[]>;
let workspaceActions: string[];

const chainsOf = (yaml?: string) => accountChains(yaml ? configFromYaml(yaml) : sampleConfig());

beforeAll(async () => {
  chains = await chainsOf();
  workspaceActions = workspaceScopedActions(await Catalog.load());
});

const chain = (account: string) => chains.get(account)!;

describe("protectWorkspaces (Workloads OU): only the allow-list may act on wrkspc_01PaymentsProd", () => {
  test("an administrator of the payments account is denied every workspace action", async () => {
    expect(workspaceActions.length).toBeGreaterThan(60);
    for (const action of workspaceActions) {
      const d = await decide(chain(PAYMENTS), { principal: admin(PAYMENTS), action, resource: PAYMENTS_PROD });
      expect({ action, ...d }).toEqual({ action, result: "ExplicitlyDenied", deniedBy: ["ProtectWorkspace01PaymentsProd"] });
    }
  });

  test.each([
    ["the payments inference role", { account: PAYMENTS, role: "payments-ai-inference" }],
    ["another payments-ai- role", { account: PAYMENTS, role: "payments-ai-batch" }],
    ["the security-audit role in that account", { account: PAYMENTS, role: "security-audit-ai-reader" }],
  ] as Array<[string, Principal]>)("%s is allowed every workspace action", async (_name, principal) => {
    for (const action of workspaceActions) {
      const d = await decide(chain(PAYMENTS), { principal, action, resource: PAYMENTS_PROD });
      expect({ action, result: d.result }).toEqual({ action, result: "Allowed" });
    }
  });

  test("the break-glass role is admitted by the allow-list (no SCP denies it; from its own account it still needs a way into the workspace's account)", async () => {
    for (const action of workspaceActions) {
      const d = await decide(chain(PAYMENTS), { principal: BREAK_GLASS, action, resource: PAYMENTS_PROD });
      expect({ action, deniedBy: d.deniedBy }).toEqual({ action, deniedBy: [] });
    }
  });

  test.each([
    ["a role whose name almost matches (no dash)", { account: PAYMENTS, role: "payments-ai" }, "ProtectWorkspace01PaymentsProd"],
    ["a role whose name almost matches (no separator)", { account: PAYMENTS, role: "payments-aiinference" }, "ProtectWorkspace01PaymentsProd"],
    [
      "a look-alike: an allowed prefix used as a path",
      { account: PAYMENTS, role: "anything", path: "payments-ai-x" },
      "ProtectWorkspace01PaymentsProdLookalikes",
    ],
    ["the team's role name in another account", { account: RESEARCH, role: "payments-ai-inference" }, "ProtectWorkspace01PaymentsProd"],
    ["the security-audit role name in another account", { account: RESEARCH, role: "security-audit-ai-reader" }, "ProtectWorkspace01PaymentsProd"],
    ["a long-term-key user", { account: PAYMENTS, user: "AeaApiKey-ab12cd34" }, "ProtectWorkspace01PaymentsProd"],
    ["an IAM user named like the role", { account: PAYMENTS, user: "payments-ai-inference" }, "ProtectWorkspace01PaymentsProd"],
    ["the deployment role (not exempt from this control in the sample)", DEPLOYER(PAYMENTS), "ProtectWorkspace01PaymentsProd"],
  ] as Array<[string, Principal, string]>)("near miss: %s is denied", async (_name, principal, sid) => {
    for (const action of [claude("CreateInference"), claude("UpdateSkill"), claude("GetFile")]) {
      const d = await decide(chain(PAYMENTS), { principal, action, resource: PAYMENTS_PROD });
      expect({ action, ...d }).toEqual({ action, result: "ExplicitlyDenied", deniedBy: expect.arrayContaining([sid]) });
    }
  });

  test("nobody but the deployment role can create or re-trust a role the allow-list admits", async () => {
    const roles = [
      ["iam:CreateRole", `arn:aws:iam::${PAYMENTS}:role/payments-ai-x`],
      ["iam:CreateRole", `arn:aws:iam::${PAYMENTS}:role/payments-ai-x/anything`],
      ["iam:UpdateAssumeRolePolicy", `arn:aws:iam::${PAYMENTS}:role/payments-ai-batch`],
      ["iam:PutRolePolicy", `arn:aws:iam::${PAYMENTS}:role/payments-ai-batch`],
    ];
    for (const [action, resource] of roles) {
      const byAdmin = await decide(chain(PAYMENTS), { principal: admin(PAYMENTS), action, resource });
      expect({ action, resource, ...byAdmin }).toEqual({
        action,
        resource,
        result: "ExplicitlyDenied",
        deniedBy: expect.arrayContaining(["ProtectWorkspace01PaymentsProdRoles"]),
      });
      const byDeployer = await decide(chain(PAYMENTS), { principal: DEPLOYER(PAYMENTS), action, resource });
      expect({ action, resource, result: byDeployer.result }).toEqual({ action, resource, result: "Allowed" });
    }
    const elsewhere = await decide(chain(RESEARCH), {
      principal: admin(RESEARCH),
      action: "iam:CreateRole",
      resource: `arn:aws:iam::${RESEARCH}:role/payments-ai-x`,
    });
    expect(elsewhere.result).toBe("Allowed");
  });

  test("in the account of a protected workspace, only the deployment role may register, change or disable keys (they reach every workspace of the account)", async () => {
    for (const action of ["RegisterKey", "UpdateKey", "DisableKey"].map(claude)) {
      expect(await decide(chain(PAYMENTS), { principal: admin(PAYMENTS), action })).toEqual({ result: "ExplicitlyDenied", deniedBy: ["ProtectWorkspaceKeys"] });
      expect(await decide(chain(PAYMENTS), { principal: { account: PAYMENTS, role: "payments-ai-inference" }, action })).toEqual({
        result: "ExplicitlyDenied",
        deniedBy: ["ProtectWorkspaceKeys"],
      });
      expect((await decide(chain(PAYMENTS), { principal: DEPLOYER(PAYMENTS), action })).result).toBe("Allowed");
      expect((await decide(chain(RESEARCH), { principal: admin(RESEARCH), action })).result).toBe("Allowed");
    }
  });

  test("the ARN's region and account do not matter: the workspace id decides", async () => {
    const d = await decide(chain(PAYMENTS), {
      principal: admin(PAYMENTS),
      action: claude("UpdateSkill"),
      resource: workspace("wrkspc_01PaymentsProd", PAYMENTS, "eu-west-1"),
    });
    expect(d).toEqual({ result: "ExplicitlyDenied", deniedBy: ["ProtectWorkspace01PaymentsProd"] });
  });

  test("other workspaces and the actions that take no workspace are unaffected", async () => {
    const research = await decide(chain(RESEARCH), {
      principal: admin(RESEARCH),
      action: claude("UpdateSkill"),
      resource: workspace("wrkspc_01ResearchDev", RESEARCH, "us-west-2"),
    });
    expect(research.result).toBe("Allowed");
    const list = await decide(chain(PAYMENTS), { principal: admin(PAYMENTS), action: claude("ListWorkspaces") });
    expect(list.result).toBe("Allowed");
  });

  test("an administrator in each OU: Workloads denied by the allow-list, Sandbox by its approved list, Platform by Claude Platform being off", async () => {
    expect((await decide(chain(RESEARCH), { principal: admin(RESEARCH), action: claude("UpdateSkill"), resource: PAYMENTS_PROD })).deniedBy).toEqual([
      "ProtectWorkspace01PaymentsProd",
    ]);
    expect((await decide(chain(SANDBOX), { principal: admin(SANDBOX), action: claude("UpdateSkill"), resource: PAYMENTS_PROD })).deniedBy).toEqual([
      "DenyUnapprovedWorkspaces",
    ]);
    expect(await decide(chain(AUDIT), { principal: admin(AUDIT), action: claude("UpdateSkill"), resource: PAYMENTS_PROD })).toEqual({
      result: "ExplicitlyDenied",
      deniedBy: ["DisableClaudePlatform"],
    });
  });
});

describe("approvedWorkspacesOnly (Sandbox OU): only wrkspc_01SandboxPlay", () => {
  test("the approved workspace is usable", async () => {
    for (const action of workspaceActions) {
      const d = await decide(chain(SANDBOX), { principal: admin(SANDBOX), action, resource: SANDBOX_PLAY });
      expect({ action, result: d.result }).toEqual({ action, result: "Allowed" });
    }
  });

  test.each(["us-east-1", "eu-west-1", "ap-southeast-2"])("an unapproved workspace in %s is denied, for every workspace action", async (region) => {
    for (const action of workspaceActions) {
      const d = await decide(chain(SANDBOX), { principal: admin(SANDBOX), action, resource: workspace("wrkspc_01Unapproved", SANDBOX, region) });
      expect({ action, ...d }).toEqual({ action, result: "ExplicitlyDenied", deniedBy: ["DenyUnapprovedWorkspaces"] });
    }
  });

  test("actions that take no workspace keep working: short-term API keys, console sign-in, ListWorkspaces, account status, keys", async () => {
    const researcher: Principal = { account: SANDBOX, role: "research-ai-sandbox" };
    const allowed: Array<{ action: string; context?: Record<string, string> }> = [
      { action: claude("CallWithBearerToken"), context: { [`${CLAUDE_SERVICE}:BearerTokenType`]: "SHORT_TERM" } },
      { action: claude("AssumeConsole"), context: { [`${CLAUDE_SERVICE}:Capability`]: "developer" } },
      { action: claude("ListWorkspaces") },
      { action: claude("GetAccountStatus") },
      { action: claude("ListKeys") },
    ];
    for (const request of allowed) {
      const d = await decide(chain(SANDBOX), { principal: researcher, ...request });
      expect({ action: request.action, result: d.result }).toEqual({ action: request.action, result: "Allowed" });
    }
  });

  test("denyCreateWorkspace: creating a workspace in the sandbox is denied, and only there", async () => {
    expect(await decide(chain(SANDBOX), { principal: admin(SANDBOX), action: claude("CreateWorkspace") })).toEqual({
      result: "ExplicitlyDenied",
      deniedBy: ["DenyCreateWorkspace"],
    });
    expect((await decide(chain(RESEARCH), { principal: admin(RESEARCH), action: claude("CreateWorkspace") })).result).toBe("Allowed");
  });
});

describe("limitConsoleFederation (root): research-ai-* as developer, break-glass with any capability", () => {
  const assume = (account: string, principal: Principal, capability?: string) =>
    decide(chain(account), { principal, action: claude("AssumeConsole"), context: capability ? { [`${CLAUDE_SERVICE}:Capability`]: capability } : {} });
  const researcher: Principal = { account: RESEARCH, role: "research-ai-developer" };

  test("a research role may open the console as developer", async () => {
    expect((await assume(RESEARCH, researcher, "developer")).result).toBe("Allowed");
  });

  test("a research role may not open it as admin", async () => {
    expect(await assume(RESEARCH, researcher, "admin")).toEqual({ result: "ExplicitlyDenied", deniedBy: ["LimitConsoleAdmin"] });
  });

  test.each([[undefined], ["owner"]])("no capability, or one the baseline does not know (%s), is denied", async (capability) => {
    expect(await assume(RESEARCH, researcher, capability)).toEqual({ result: "ExplicitlyDenied", deniedBy: ["DenyConsoleWithoutKnownCapability"] });
  });

  test("an administrator is denied either capability", async () => {
    expect(await assume(PAYMENTS, admin(PAYMENTS), "developer")).toEqual({ result: "ExplicitlyDenied", deniedBy: ["LimitConsoleDeveloper"] });
    expect(await assume(PAYMENTS, admin(PAYMENTS), "admin")).toEqual({ result: "ExplicitlyDenied", deniedBy: ["LimitConsoleAdmin"] });
  });

  test("a look-alike whose path starts with research-ai- is denied", async () => {
    expect(await assume(RESEARCH, { account: RESEARCH, role: "evil", path: "research-ai-x" }, "developer")).toEqual({
      result: "ExplicitlyDenied",
      deniedBy: ["LimitConsoleLookalikes"],
    });
  });

  test("nobody but the deployment role can create or re-trust a role the console list admits, in any account", async () => {
    for (const account of [PAYMENTS, SANDBOX]) {
      const resource = `arn:aws:iam::${account}:role/research-ai-x`;
      expect(await decide(chain(account), { principal: admin(account), action: "iam:CreateRole", resource })).toEqual({
        result: "ExplicitlyDenied",
        deniedBy: ["LimitConsoleRoles"],
      });
      expect((await decide(chain(account), { principal: DEPLOYER(account), action: "iam:CreateRole", resource })).result).toBe("Allowed");
    }
  });

  test("the break-glass role may use either capability", async () => {
    expect((await assume(PAYMENTS, BREAK_GLASS, "developer")).result).toBe("Allowed");
    expect((await assume(PAYMENTS, BREAK_GLASS, "admin")).result).toBe("Allowed");
  });
});

describe("protectAuditTrail (root): nobody but the deployment role can stop, delete or re-point the governance trail", () => {
  const TRAIL = `arn:aws:cloudtrail:us-east-1:${AUDIT}:trail/claude-platform-governance`;
  const LOG_GROUP = `arn:aws:logs:us-east-1:${AUDIT}:log-group:/claude-platform/cloudtrail`;
  const BUCKET = "arn:aws:s3:::claude-platform-governance-logs-222222222222";
  const cases: Array<[string, string, string]> = [
    ["cloudtrail:StopLogging", TRAIL, "ProtectGovernanceTrail"],
    ["cloudtrail:DeleteTrail", TRAIL, "ProtectGovernanceTrail"],
    ["cloudtrail:UpdateTrail", TRAIL, "ProtectGovernanceTrail"],
    ["cloudtrail:PutEventSelectors", TRAIL, "ProtectGovernanceTrail"],
    ["logs:DeleteLogGroup", LOG_GROUP, "ProtectGovernanceLogGroup"],
    ["logs:PutRetentionPolicy", LOG_GROUP, "ProtectGovernanceLogGroup"],
    ["logs:PutSubscriptionFilter", LOG_GROUP, "ProtectGovernanceLogGroup"],
    ["logs:DeleteSubscriptionFilter", LOG_GROUP, "ProtectGovernanceLogGroup"],
    ["logs:DeleteMetricFilter", LOG_GROUP, "ProtectGovernanceLogGroup"],
    ["logs:DeleteLogStream", `${LOG_GROUP}:log-stream:o-a1b2c3d4e5_${PAYMENTS}_CloudTrail_us-east-1`, "ProtectGovernanceLogGroup"],
    ["s3:DeleteBucket", BUCKET, "ProtectGovernanceLogBucket"],
    ["s3:PutBucketPolicy", BUCKET, "ProtectGovernanceLogBucket"],
    ["s3:DeleteBucketPolicy", BUCKET, "ProtectGovernanceLogBucket"],
    ["s3:DeleteObject", `${BUCKET}/AWSLogs/o-a1b2c3d4e5/${PAYMENTS}/CloudTrail/x.json.gz`, "ProtectGovernanceLogFiles"],
    ["s3:PutReplicationConfiguration", BUCKET, "ProtectGovernanceLogBucket"],
    ["s3:DeleteBucket", "arn:aws:s3:::claude-platform-governance-access-logs-222222222222", "ProtectGovernanceLogBucket"],
    // The team roles themselves are recognized by their tag (intent.team-role-protection.test.ts). A
    // team role's name squatted where an allow-list admits it is refused by that allow-list's guard.
    ["iam:CreateRole", `arn:aws:iam::${PAYMENTS}:role/security-audit-ai-reader`, "ProtectWorkspace01PaymentsProdRoles"],
    // The exemption everything else rests on, and the emergency role.
    ["iam:UpdateAssumeRolePolicy", `arn:aws:iam::${AUDIT}:role/platform-governance-deployer`, "ProtectDeploymentRole"],
    ["iam:AttachRolePolicy", `arn:aws:iam::${PAYMENTS}:role/platform-governance-deployer`, "ProtectDeploymentRoleBootstrap"],
    ["iam:UpdateAssumeRolePolicy", "arn:aws:iam::111111111111:role/platform-break-glass", "ProtectBaselineRoles"],
    // The team roles' boundaries, and the Identity Center SAML provider their trust ends at.
    ["iam:CreatePolicyVersion", `arn:aws:iam::${PAYMENTS}:policy/claude-platform-baseline/payments-ai-inference-boundary`, "ProtectBaselinePolicies"],
    ["iam:SetDefaultPolicyVersion", `arn:aws:iam::${RESEARCH}:policy/claude-platform-baseline/research-ai-developer-boundary`, "ProtectBaselinePolicies"],
    ["iam:DeletePolicy", `arn:aws:iam::${SANDBOX}:policy/claude-platform-baseline/security-audit-ai-reader-boundary`, "ProtectBaselinePolicies"],
    ["iam:CreatePolicy", `arn:aws:iam::${SANDBOX}:policy/claude-platform-baseline/squatted-boundary`, "ProtectBaselinePolicies"],
    ["iam:UpdateSAMLProvider", `arn:aws:iam::${PAYMENTS}:saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE`, "ProtectIdentityCenterProvider"],
    ["iam:DeleteSAMLProvider", `arn:aws:iam::${RESEARCH}:saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE`, "ProtectIdentityCenterProvider"],
    ["iam:CreateSAMLProvider", `arn:aws:iam::${RESEARCH}:saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE`, "ProtectIdentityCenterProvider"],
    // What the alarms depend on: the delivery role, the alarms, their topic, the keys.
    ["iam:DeleteRolePolicy", `arn:aws:iam::${AUDIT}:role/claude-platform-governance-delivery`, "ProtectBaselineRoles"],
    ["cloudwatch:DisableAlarmActions", `arn:aws:cloudwatch:us-east-1:${AUDIT}:alarm:claude-platform-governance-assume-console`, "ProtectGovernanceAlarms"],
    ["cloudwatch:DeleteAlarms", `arn:aws:cloudwatch:us-east-1:${AUDIT}:alarm:claude-platform-governance-x`, "ProtectGovernanceAlarms"],
    ["sns:Unsubscribe", `arn:aws:sns:us-east-1:${AUDIT}:claude-platform-governance-alarms`, "ProtectGovernanceAlarmTopic"],
    ["sns:SetSubscriptionAttributes", `arn:aws:sns:us-east-1:${AUDIT}:claude-platform-governance-alarms`, "ProtectGovernanceAlarmTopic"],
    ["kms:DeleteAlias", `arn:aws:kms:us-east-1:${AUDIT}:alias/claude-platform-governance`, "ProtectGovernanceKeyAliases"],
  ];

  test.each(cases)("%s on %s: an administrator is denied", async (action, resource, sid) => {
    const account = resource.split(":")[4] || AUDIT;
    expect(await decide(chain(account), { principal: admin(account), action, resource })).toEqual({
      result: "ExplicitlyDenied",
      deniedBy: expect.arrayContaining([sid]),
    });
  });

  test.each(["kms:ScheduleKeyDeletion", "kms:PutKeyPolicy", "kms:DisableKey", "kms:DisableKeyRotation"])(
    "%s on a key aliased as the trail's or the alarm topic's key: an administrator is denied; other keys are not affected",
    async (action) => {
      const key = `arn:aws:kms:us-east-1:${AUDIT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
      for (const alias of ["alias/claude-platform-governance", "alias/claude-platform-governance-alarms"]) {
        const governanceKey = await decide(chain(AUDIT), { principal: admin(AUDIT), action, resource: key, context: { "kms:ResourceAliases": [alias] } });
        expect({ alias, ...governanceKey }).toEqual({ alias, result: "ExplicitlyDenied", deniedBy: ["ProtectGovernanceKeys"] });
      }
      // KMS also needs the key's own policy, which this simulation has none of: no SCP statement may be involved.
      const otherKey = await decide(chain(AUDIT), { principal: admin(AUDIT), action, resource: key, context: { "kms:ResourceAliases": ["alias/team-data"] } });
      expect(otherKey.deniedBy).toEqual([]);
    },
  );

  test.each(cases)("%s on %s: the deployment role is allowed", async (action, resource) => {
    const account = resource.split(":")[4] || AUDIT;
    expect((await decide(chain(account), { principal: DEPLOYER(account), action, resource })).result).toBe("Allowed");
  });

  test("other managed policies and SAML providers are not affected", async () => {
    const other = [
      ["iam:CreatePolicyVersion", `arn:aws:iam::${PAYMENTS}:policy/team-data-access`],
      ["iam:CreatePolicyVersion", `arn:aws:iam::${PAYMENTS}:policy/other-path/payments-ai-inference-boundary`],
      ["iam:UpdateSAMLProvider", `arn:aws:iam::${PAYMENTS}:saml-provider/Okta`],
    ];
    for (const [action, resource] of other)
      expect({ action, resource, result: (await decide(chain(PAYMENTS), { principal: admin(PAYMENTS), action, resource })).result }).toEqual({
        action,
        resource,
        result: "Allowed",
      });
  });

  test("an alarm or topic of another name is not affected", async () => {
    expect(
      (
        await decide(chain(AUDIT), {
          principal: admin(AUDIT),
          action: "cloudwatch:DeleteAlarms",
          resource: `arn:aws:cloudwatch:us-east-1:${AUDIT}:alarm:team-latency`,
        })
      ).result,
    ).toBe("Allowed");
    expect(
      (await decide(chain(AUDIT), { principal: admin(AUDIT), action: "sns:DeleteTopic", resource: `arn:aws:sns:us-east-1:${AUDIT}:team-alerts` })).result,
    ).toBe("Allowed");
  });

  test("a role named almost like the deployment role is not exempt", async () => {
    expect(
      await decide(chain(AUDIT), { principal: { account: AUDIT, role: "platform-governance-deployer-2" }, action: "cloudtrail:StopLogging", resource: TRAIL }),
    ).toEqual({
      result: "ExplicitlyDenied",
      deniedBy: ["ProtectGovernanceTrail"],
    });
  });

  test.each([
    ["cloudtrail:StopLogging", `arn:aws:cloudtrail:us-east-1:${AUDIT}:trail/team-trail`],
    ["logs:DeleteLogGroup", `arn:aws:logs:us-east-1:${AUDIT}:log-group:/claude-platform/cloudtrail-archive`],
    ["logs:PutRetentionPolicy", `arn:aws:logs:us-east-1:${AUDIT}:log-group:/aws/lambda/x`],
    ["s3:DeleteBucket", "arn:aws:s3:::claude-platform-governance-logs-222222222222-copy"],
    ["iam:DeleteRole", `arn:aws:iam::${PAYMENTS}:role/payments-ai-inference-old`],
  ])("%s on another resource (%s) is not affected", async (action, resource) => {
    const account = resource.split(":")[4] || AUDIT;
    expect((await decide(chain(account), { principal: admin(account), action, resource })).result).toBe("Allowed");
  });
});

describe("the gateway's token call works under every control but disableClaudePlatform", () => {
  test.each([PAYMENTS, RESEARCH, SANDBOX])("sts:GetWebIdentityToken and sts:TagGetWebIdentityToken in account %s", async (account) => {
    for (const principal of [admin(account), { account, role: "research-ai-developer" }]) {
      for (const audience of ["https://api.anthropic.com", "https://platform.claude.com"]) {
        const d = await decide(chain(account), {
          principal,
          action: "sts:GetWebIdentityToken",
          context: {
            "sts:IdentityTokenAudience": audience,
            "aws:CalledViaLast": "aws-external-anthropic.amazonaws.com",
            "aws:CalledVia": ["aws-external-anthropic.amazonaws.com"],
          },
        });
        expect(d.result).toBe("Allowed");
      }
      expect(
        (
          await decide(chain(account), {
            principal,
            action: "sts:TagGetWebIdentityToken",
            context: { "aws:CalledViaLast": "aws-external-anthropic.amazonaws.com" },
          })
        ).result,
      ).toBe("Allowed");
    }
  });
});

describe("workspaceCreationRules (an option; attached to the Workloads OU here)", () => {
  let rules: Map<string, ChainLevel[]>;
  beforeAll(async () => {
    rules = await chainsOf(
      sampleYaml().replace(
        "controls:\n",
        "controls:\n  workspaceCreationRules:\n    attachTo: [ou-a1b2-work0001]\n    requireCustomerManagedKey: true\n    requiredTags: [owner, cost-center]\n    allowedRegions: [us-east-1, us-west-2]\n",
      ),
    );
  });
  const KEY = { "aws-external-anthropic:KeyArn": `arn:aws:kms:us-east-1:${RESEARCH}:key/1234abcd-12ab-34cd-56ef-1234567890ab` };
  const TAGS = { "aws:RequestTag/owner": "research", "aws:RequestTag/cost-center": "cc-42", "aws:TagKeys": ["owner", "cost-center"] };
  const create = (context: Record<string, string | string[]>) =>
    decide(rules.get(RESEARCH)!, {
      principal: admin(RESEARCH),
      action: claude("CreateWorkspace"),
      context: { "aws:RequestedRegion": "us-east-1", ...context },
    });

  test("a workspace with the key, the tags, in an allowed region is allowed", async () => {
    for (const region of ["us-east-1", "us-west-2"])
      expect({ region, result: (await create({ ...KEY, ...TAGS, "aws:RequestedRegion": region })).result }).toEqual({ region, result: "Allowed" });
  });
  test("no customer-managed key: denied", async () => {
    expect(await create(TAGS)).toEqual({ result: "ExplicitlyDenied", deniedBy: ["RequireWorkspaceCustomerManagedKey"] });
  });
  test("a required tag missing: denied, naming the tag", async () => {
    expect(await create({ ...KEY, "aws:RequestTag/owner": "research", "aws:TagKeys": ["owner"] })).toEqual({
      result: "ExplicitlyDenied",
      deniedBy: ["RequireWorkspaceTagcostcenter"],
    });
    expect(await create({ ...KEY, "aws:RequestTag/cost-center": "cc-42", "aws:TagKeys": ["cost-center"] })).toEqual({
      result: "ExplicitlyDenied",
      deniedBy: ["RequireWorkspaceTagowner"],
    });
  });
  test("a region that is not allowed: denied", async () => {
    expect(await create({ ...KEY, ...TAGS, "aws:RequestedRegion": "eu-west-1" })).toEqual({
      result: "ExplicitlyDenied",
      deniedBy: ["RestrictWorkspaceRegions"],
    });
  });
});
