/**
 * Intents of the second round of SCP hardening, proven on the synthesized organization stack of
 * the sample org (and of the sample with every control on, where an option is needed): each way
 * around the controls that a member account's administrator had is denied, and each legitimate
 * operation beside it still works.
 */
import { CLAUDE_SERVICE } from "../policies/catalog";
import { accountChains, scpChain, type ChainLevel } from "./harness/organization";
import { decide, type Principal, type Request } from "./harness/simulate";
import { configFromYaml, everyControlYaml, sampleConfig, synthesize } from "./harness/synth";

const MANAGEMENT = "111111111111";
const AUDIT = "222222222222";
const PAYMENTS = "333333333333";
const RESEARCH = "444444444444";
const SANDBOX = "555555555555";
const admin = (account: string): Principal => ({ account, role: "Administrator" });
const deployer = (account: string): Principal => ({ account, role: "platform-governance-deployer" });
const bootstrap = (account: string): Principal => ({ account, role: "OrganizationAccountAccessRole" });
const role = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
const claude = (action: string) => `${CLAUDE_SERVICE}:${action}`;

let sample: Map<string, ChainLevel[]>;
let every: Map<string, ChainLevel[]>;

beforeAll(async () => {
  sample = await accountChains(sampleConfig());
  every = await accountChains(configFromYaml(everyControlYaml()));
});

/** The decision in `account` of the sample org. */
const inSample = (account: string, request: Request) => decide(sample.get(account)!, request);
const denied = (...sids: string[]) => ({ result: "ExplicitlyDenied", deniedBy: sids });

describe("alarms cannot be silenced without touching them", () => {
  const GOVERNANCE_ALARM = `arn:aws:cloudwatch:us-east-1:${AUDIT}:alarm:claude-platform-governance-trail-changes`;

  test("a mute rule targeting a governance alarm is denied to an administrator, allowed to the deployment role", async () => {
    expect(await inSample(AUDIT, { principal: admin(AUDIT), action: "cloudwatch:PutAlarmMuteRule", resource: GOVERNANCE_ALARM })).toEqual(
      denied("ProtectGovernanceAlarms"),
    );
    expect((await inSample(AUDIT, { principal: deployer(AUDIT), action: "cloudwatch:PutAlarmMuteRule", resource: GOVERNANCE_ALARM })).result).toBe("Allowed");
  });

  test("a mute rule for the audit account's other alarms is allowed", async () => {
    const other = `arn:aws:cloudwatch:us-east-1:${AUDIT}:alarm:team-latency`;
    expect((await inSample(AUDIT, { principal: admin(AUDIT), action: "cloudwatch:PutAlarmMuteRule", resource: other })).result).toBe("Allowed");
  });

  test("metric data pushed into the alarms' namespace is denied to everyone, the deployment role included; other namespaces are not", async () => {
    for (const principal of [admin(AUDIT), deployer(AUDIT), admin(PAYMENTS)]) {
      const account = principal.account;
      const pinned = await inSample(account, {
        principal,
        action: "cloudwatch:PutMetricData",
        context: { "cloudwatch:namespace": "ClaudePlatformAudit/claude-platform-governance" },
      });
      expect({ account, ...pinned }).toEqual({ account, ...denied("ProtectGovernanceMetrics") });
    }
    const own = await inSample(AUDIT, { principal: admin(AUDIT), action: "cloudwatch:PutMetricData", context: { "cloudwatch:namespace": "Team/Latency" } });
    expect(own.result).toBe("Allowed");
  });
});

describe("nobody runs code as, or becomes, a role the allow-lists or the exemption admit", () => {
  // The role's tags as AWS puts them in the request: a team role is recognized by the baseline's.
  const TEAM_ROLE_TAGS = { "aws:ResourceTag/claude-platform-baseline:role": "team", "aws:ResourceTag/team": "payments" };
  const passed: Array<[string, string, string, Record<string, string>]> = [
    ["the deployment role", role(PAYMENTS, "platform-governance-deployer"), "ProtectDeploymentRole", {}],
    ["a team role the protected workspace admits", role(PAYMENTS, "payments-ai-inference"), "ProtectTeamRoles", TEAM_ROLE_TAGS],
    ["a role the protected workspace's pattern admits", role(PAYMENTS, "payments-ai-batch"), "ProtectWorkspace01PaymentsProdRoles", {}],
    ["a role the console allow-list admits", role(SANDBOX, "research-ai-notebook"), "LimitConsoleRoles", {}],
    ["the break-glass role", role(MANAGEMENT, "platform-break-glass"), "ProtectBaselineRoles", {}],
    ["the trail's delivery role", role(AUDIT, "claude-platform-governance-delivery"), "ProtectBaselineRoles", {}],
    ["the bootstrap role", role(RESEARCH, "OrganizationAccountAccessRole"), "ProtectBootstrapRoles", {}],
  ];

  // Each in its own account: a role is passed by a principal of the account that holds it.
  test.each(passed)("iam:PassRole of %s is denied to an administrator", async (_name, resource, sid, tags) => {
    const account = resource.split(":")[4];
    for (const service of ["lambda.amazonaws.com", "ecs-tasks.amazonaws.com", "ec2.amazonaws.com", "codebuild.amazonaws.com", "cloudformation.amazonaws.com"]) {
      const d = await inSample(account, { principal: admin(account), action: "iam:PassRole", resource, context: { "iam:PassedToService": service, ...tags } });
      expect({ service, ...d }).toEqual({ service, result: "ExplicitlyDenied", deniedBy: expect.arrayContaining([sid]) });
    }
  });

  test.each(passed)("iam:PassRole of %s is allowed to the deployment role", async (_name, resource, _sid, tags) => {
    const account = resource.split(":")[4];
    expect(
      (
        await inSample(account, {
          principal: deployer(account),
          action: "iam:PassRole",
          resource,
          context: { "iam:PassedToService": "lambda.amazonaws.com", ...tags },
        })
      ).result,
    ).toBe("Allowed");
  });

  test("passing any other role is allowed", async () => {
    for (const name of ["payments-app", "payments-ai", "research-ai", "platform-governance-deployer-2"]) {
      const d = await inSample(PAYMENTS, {
        principal: admin(PAYMENTS),
        action: "iam:PassRole",
        resource: role(PAYMENTS, name),
        context: { "iam:PassedToService": "lambda.amazonaws.com" },
      });
      expect({ name, result: d.result }).toEqual({ name, result: "Allowed" });
    }
  });

  test("only an exempt role may assume the deployment role, whatever its trust policy says; other roles stay assumable", async () => {
    for (const account of [AUDIT, PAYMENTS, SANDBOX]) {
      for (const action of ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"]) {
        const d = await inSample(account, { principal: admin(account), action, resource: role(account, "platform-governance-deployer") });
        expect({ action, ...d }).toEqual({ action, ...denied("ProtectExemptRoleSessions") });
      }
      expect(
        (await inSample(account, { principal: deployer(account), action: "sts:AssumeRole", resource: role(account, "platform-governance-deployer") })).result,
      ).toBe("Allowed");
      expect((await inSample(account, { principal: admin(account), action: "sts:AssumeRole", resource: role(account, "payments-ai-inference") })).result).toBe(
        "Allowed",
      );
    }
  });
});

describe("the baseline's SCPs cannot be rewritten from a delegated administrator account", () => {
  const policy = (type: string) => `arn:aws:organizations::${MANAGEMENT}:policy/o-a1b2c3d4e5/${type}/p-12345678`;

  test.each(["CreatePolicy", "UpdatePolicy", "DeletePolicy", "AttachPolicy", "DetachPolicy"])(
    "organizations:%s on an SCP is denied to everyone in a member account, the deployment role included",
    async (action) => {
      for (const principal of [admin(AUDIT), deployer(AUDIT)]) {
        const d = await inSample(AUDIT, { principal, action: `organizations:${action}`, resource: policy("service_control_policy") });
        expect({ principal, ...d }).toEqual({ principal, ...denied("DenyScpManagement") });
      }
    },
  );

  // The policies live in the management account, whose delegation policy the simulation does not
  // have: a delegable call is one no SCP statement denies.
  test("nor can a resource control policy, which could starve the trail's bucket, key or log group", async () => {
    for (const action of ["CreatePolicy", "UpdatePolicy", "AttachPolicy"]) {
      const d = await inSample(AUDIT, { principal: admin(AUDIT), action: `organizations:${action}`, resource: policy("resource_control_policy") });
      expect({ action, ...d }).toEqual({ action, ...denied("DenyScpManagement") });
    }
  });

  test("FullAWSAccess cannot be detached from a member account: SCPs are denied by type too", async () => {
    const ou = `arn:aws:organizations::${MANAGEMENT}:ou/o-a1b2c3d4e5/ou-a1b2-work0001`;
    const d = await inSample(AUDIT, {
      principal: admin(AUDIT),
      action: "organizations:DetachPolicy",
      resource: ou,
      context: { "organizations:PolicyType": "SERVICE_CONTROL_POLICY" },
    });
    expect(d).toEqual(denied("DenyScpManagementByType"));
    const tagPolicy = await inSample(AUDIT, {
      principal: admin(AUDIT),
      action: "organizations:DetachPolicy",
      resource: ou,
      context: { "organizations:PolicyType": "TAG_POLICY" },
    });
    expect(tagPolicy.deniedBy).toEqual([]);
  });

  test("other policy types stay delegable", async () => {
    for (const type of ["tag_policy", "backup_policy", "aiservices_opt_out_policy"]) {
      const d = await inSample(AUDIT, { principal: admin(AUDIT), action: "organizations:UpdatePolicy", resource: policy(type) });
      expect({ type, ...d }).toEqual({ type, result: "ImplicitlyDenied", deniedBy: [] });
    }
  });

  test("the SCP policy type cannot be disabled or enabled from a member account; other types can", async () => {
    const root = `arn:aws:organizations::${MANAGEMENT}:root/o-a1b2c3d4e5/r-a1b2`;
    for (const action of ["organizations:DisablePolicyType", "organizations:EnablePolicyType"]) {
      expect(
        await inSample(AUDIT, { principal: deployer(AUDIT), action, resource: root, context: { "organizations:PolicyType": "SERVICE_CONTROL_POLICY" } }),
      ).toEqual(denied("DenyScpManagementByType"));
      expect(await inSample(AUDIT, { principal: admin(AUDIT), action, resource: root, context: { "organizations:PolicyType": "TAG_POLICY" } })).toEqual({
        result: "ImplicitlyDenied",
        deniedBy: [],
      });
    }
  });

  test("nobody, the deployment role included, can take an account out of the organization", async () => {
    for (const principal of [admin(PAYMENTS), deployer(PAYMENTS)]) {
      expect(await inSample(PAYMENTS, { principal, action: "organizations:LeaveOrganization" })).toEqual(denied("DenyLeaveOrganization"));
    }
  });
});

describe("the log pipeline can be neither polluted nor blinded", () => {
  const LOG_GROUP = `arn:aws:logs:us-east-1:${AUDIT}:log-group:/claude-platform/cloudtrail`;
  const STREAM = `${LOG_GROUP}:log-stream:o-a1b2c3d4e5_${PAYMENTS}_CloudTrail_us-east-1`;
  const DELIVERY: Principal = { account: AUDIT, role: "claude-platform-governance-delivery" };

  test("forged events in the governance log group are denied to everyone but the delivery role, the deployment role included", async () => {
    for (const action of ["logs:PutLogEvents", "logs:CreateLogStream"]) {
      expect(await inSample(AUDIT, { principal: admin(AUDIT), action, resource: STREAM })).toEqual(denied("ProtectGovernanceLogEvents"));
      expect(await inSample(AUDIT, { principal: deployer(AUDIT), action, resource: STREAM })).toEqual(denied("ProtectGovernanceLogEvents"));
      expect((await inSample(AUDIT, { principal: DELIVERY, action, resource: STREAM })).result).toBe("Allowed");
    }
    const other = await inSample(AUDIT, {
      principal: admin(AUDIT),
      action: "logs:PutLogEvents",
      resource: `arn:aws:logs:us-east-1:${AUDIT}:log-group:/aws/lambda/app:log-stream:x`,
    });
    expect(other.result).toBe("Allowed");
  });

  test.each([
    ["logs:PutTransformer", LOG_GROUP, "ProtectGovernanceLogGroup"],
    ["logs:DeleteTransformer", LOG_GROUP, "ProtectGovernanceLogGroup"],
    ["logs:PutBearerTokenAuthentication", LOG_GROUP, "ProtectGovernanceLogGroup"],
    ["logs:PutSyslogConfiguration", LOG_GROUP, "ProtectGovernanceLogGroup"],
    ["logs:ProcessWithPipeline", LOG_GROUP, "ProtectGovernanceLogGroup"],
    ["logs:UntagResource", LOG_GROUP, "ProtectGovernanceLogGroup"],
    ["logs:UntagLogGroup", LOG_GROUP, "ProtectGovernanceLogGroup"],
    ["cloudtrail:PutEventConfiguration", `arn:aws:cloudtrail:us-east-1:${AUDIT}:trail/claude-platform-governance`, "ProtectGovernanceTrail"],
    ["cloudtrail:RemoveTags", `arn:aws:cloudtrail:us-east-1:${AUDIT}:trail/claude-platform-governance`, "ProtectGovernanceTrail"],
    ["sns:PutDataProtectionPolicy", `arn:aws:sns:us-east-1:${AUDIT}:claude-platform-governance-alarms`, "ProtectGovernanceAlarmTopic"],
  ])("%s on %s: denied to an administrator, allowed to the deployment role", async (action, resource, sid) => {
    expect(await inSample(AUDIT, { principal: admin(AUDIT), action, resource })).toEqual(denied(sid));
    expect((await inSample(AUDIT, { principal: deployer(AUDIT), action, resource })).result).toBe("Allowed");
  });

  test("account-level log policies (which reach every log group) are denied in the audit account only", async () => {
    for (const action of ["logs:PutAccountPolicy", "logs:DeleteAccountPolicy"]) {
      expect(await inSample(AUDIT, { principal: admin(AUDIT), action })).toEqual(denied("ProtectAuditAccountLogs"));
      expect((await inSample(AUDIT, { principal: deployer(AUDIT), action })).result).toBe("Allowed");
      expect((await inSample(PAYMENTS, { principal: admin(PAYMENTS), action })).result).toBe("Allowed");
    }
  });

  test("in the audit account, no metric filter on any group (it could publish into the alarms' namespace), pipeline rule or log resource policy but the deployment role's", async () => {
    const requests: Array<[string, string]> = [
      ["logs:PutMetricFilter", `arn:aws:logs:us-east-1:${AUDIT}:log-group:/attacker/noise`],
      ["logs:PutPipelineRule", "*"],
      ["logs:PutResourcePolicy", "*"],
      ["logs:DeleteResourcePolicy", "*"],
    ];
    for (const [action, resource] of requests) {
      expect({ action, ...(await inSample(AUDIT, { principal: admin(AUDIT), action, resource })) }).toEqual({ action, ...denied("ProtectAuditAccountLogs") });
      expect({ action, result: (await inSample(AUDIT, { principal: deployer(AUDIT), action, resource })).result }).toEqual({ action, result: "Allowed" });
    }
    const elsewhere = await inSample(PAYMENTS, {
      principal: admin(PAYMENTS),
      action: "logs:PutMetricFilter",
      resource: `arn:aws:logs:us-east-1:${PAYMENTS}:log-group:/aws/lambda/app`,
    });
    expect(elsewhere.result).toBe("Allowed");
  });

  test("log files cannot be forged or overwritten in either bucket; other buckets are unaffected", async () => {
    for (const bucket of [`claude-platform-governance-logs-${AUDIT}`, `claude-platform-governance-access-logs-${AUDIT}`]) {
      for (const action of ["s3:PutObject", "s3:PutObjectAcl"]) {
        const resource = `arn:aws:s3:::${bucket}/AWSLogs/o-a1b2c3d4e5/${PAYMENTS}/CloudTrail/us-east-1/2026/11/22/forged.json.gz`;
        expect({ action, bucket, ...(await inSample(AUDIT, { principal: admin(AUDIT), action, resource })) }).toEqual({
          action,
          bucket,
          ...denied("ProtectGovernanceLogFiles"),
        });
      }
    }
    expect((await inSample(AUDIT, { principal: admin(AUDIT), action: "s3:PutObject", resource: "arn:aws:s3:::team-data/x" })).result).toBe("Allowed");
  });

  test("a transformer on another log group is allowed", async () => {
    const d = await inSample(AUDIT, {
      principal: admin(AUDIT),
      action: "logs:PutTransformer",
      resource: `arn:aws:logs:us-east-1:${AUDIT}:log-group:/claude-platform/cloudtrail-copy`,
    });
    expect(d.result).toBe("Allowed");
  });
});

describe("outbound web identity federation, without which no Claude call works", () => {
  test.each(["iam:DisableOutboundWebIdentityFederation", "iam:EnableOutboundWebIdentityFederation"])(
    "%s: denied to an administrator, allowed to the deployment role",
    async (action) => {
      for (const account of [PAYMENTS, SANDBOX]) {
        expect(await inSample(account, { principal: admin(account), action })).toEqual(denied("ProtectOutboundWebIdentityFederation"));
        expect((await inSample(account, { principal: deployer(account), action })).result).toBe("Allowed");
      }
    },
  );
});

describe("protected workspaces: sub-resource ARNs", () => {
  const under = (id: string, account: string) => `arn:aws:aws-external-anthropic:us-east-1:${account}:workspace/${id}/skill/skl_01`;

  test("an administrator, or a look-alike of an allowed role, is denied under a protected workspace; the allow-list is not", async () => {
    const resource = under("wrkspc_01PaymentsProd", PAYMENTS);
    expect(await inSample(PAYMENTS, { principal: admin(PAYMENTS), action: claude("UpdateSkill"), resource })).toEqual(denied("ProtectWorkspace01PaymentsProd"));
    const lookalike: Principal = { account: PAYMENTS, role: "anything", path: "payments-ai-x" };
    expect(await inSample(PAYMENTS, { principal: lookalike, action: claude("UpdateSkill"), resource })).toEqual(
      denied("ProtectWorkspace01PaymentsProdLookalikes"),
    );
    expect(
      (await inSample(PAYMENTS, { principal: { account: PAYMENTS, role: "payments-ai-inference" }, action: claude("UpdateSkill"), resource })).result,
    ).toBe("Allowed");
  });

  test("under an approved workspace is allowed, under an unapproved one denied", async () => {
    expect(
      (await inSample(SANDBOX, { principal: admin(SANDBOX), action: claude("UpdateSkill"), resource: under("wrkspc_01SandboxPlay", SANDBOX) })).result,
    ).toBe("Allowed");
    expect(await inSample(SANDBOX, { principal: admin(SANDBOX), action: claude("UpdateSkill"), resource: under("wrkspc_01Other", SANDBOX) })).toEqual(
      denied("DenyUnapprovedWorkspaces"),
    );
  });
});

describe("denyAnthropicManagedPolicies (root): the broad AWS managed policies cannot be attached", () => {
  const attach: Array<[string, string]> = [
    ["iam:AttachRolePolicy", role(PAYMENTS, "payments-app")],
    ["iam:AttachUserPolicy", `arn:aws:iam::${PAYMENTS}:user/AeaApiKey-ab12cd34`],
    ["iam:AttachGroupPolicy", `arn:aws:iam::${PAYMENTS}:group/developers`],
  ];
  const managed = (name: string, path = "") => `arn:aws:iam::aws:policy/${path}${name}`;

  test.each(attach)("%s with AnthropicFullAccess or AnthropicLimitedAccess, at any path: denied to an administrator", async (action, resource) => {
    for (const policy of [
      managed("AnthropicFullAccess"),
      managed("AnthropicLimitedAccess"),
      managed("AnthropicFullAccess", "service-role/"),
      managed("AnthropicLimitedAccess", "service-role/"),
    ]) {
      const d = await inSample(PAYMENTS, { principal: admin(PAYMENTS), action, resource, context: { "iam:PolicyARN": policy } });
      expect({ policy, ...d }).toEqual({ policy, result: "ExplicitlyDenied", deniedBy: expect.arrayContaining(["DenyAnthropicManagedPolicies"]) });
    }
  });

  test("other managed policies, customer policies named alike, and the deployment role are unaffected", async () => {
    for (const policy of [managed("AnthropicInferenceAccess"), `arn:aws:iam::${PAYMENTS}:policy/AnthropicFullAccess`]) {
      const d = await inSample(PAYMENTS, {
        principal: admin(PAYMENTS),
        action: "iam:AttachRolePolicy",
        resource: role(PAYMENTS, "payments-app"),
        context: { "iam:PolicyARN": policy },
      });
      expect({ policy, result: d.result }).toEqual({ policy, result: "Allowed" });
    }
    const byDeployer = await inSample(PAYMENTS, {
      principal: deployer(PAYMENTS),
      action: "iam:AttachRolePolicy",
      resource: role(PAYMENTS, "payments-app"),
      context: { "iam:PolicyARN": managed("AnthropicFullAccess") },
    });
    expect(byDeployer.result).toBe("Allowed");
  });
});

describe("disableClaudePlatform (Platform OU): the audit account cannot use Claude Platform", () => {
  const AUDIENCE = "sts:IdentityTokenAudience";

  test("every Claude Platform action is denied, to the deployment role too; other accounts are unaffected", async () => {
    const requests: Request[] = [
      { principal: admin(AUDIT), action: claude("CreateInference"), resource: `arn:aws:aws-external-anthropic:us-east-1:${AUDIT}:workspace/wrkspc_01Any` },
      // A role the console allow-list admits: only this control stands in its way.
      {
        principal: { account: AUDIT, role: "research-ai-developer" },
        action: claude("CallWithBearerToken"),
        context: { [`${CLAUDE_SERVICE}:BearerTokenType`]: "SHORT_TERM" },
      },
      {
        principal: { account: AUDIT, role: "research-ai-developer" },
        action: claude("AssumeConsole"),
        context: { [`${CLAUDE_SERVICE}:Capability`]: "developer" },
      },
      { principal: deployer(AUDIT), action: claude("CreateWorkspace") },
    ];
    for (const request of requests)
      expect({ action: request.action, ...(await inSample(AUDIT, request)) }).toEqual({ action: request.action, ...denied("DisableClaudePlatform") });
    expect((await inSample(RESEARCH, { principal: admin(RESEARCH), action: claude("CreateWorkspace") })).result).toBe("Allowed");
  });

  test("a web identity token for an Anthropic audience is denied, mixed with another audience too; other audiences are not", async () => {
    for (const audience of [["https://api.anthropic.com"], ["https://platform.claude.com"], ["https://sts.example.com", "https://api.anthropic.com"]]) {
      const d = await inSample(AUDIT, { principal: admin(AUDIT), action: "sts:GetWebIdentityToken", context: { [AUDIENCE]: audience } });
      expect({ audience, ...d }).toEqual({ audience, ...denied("DisableClaudePlatformTokens") });
    }
    expect(
      (await inSample(AUDIT, { principal: admin(AUDIT), action: "sts:GetWebIdentityToken", context: { [AUDIENCE]: ["https://sts.example.com"] } })).result,
    ).toBe("Allowed");
  });

  test("subscribing to the Claude Platform Marketplace product is denied; other products are not", async () => {
    for (const action of ["aws-marketplace:CreateAgreementRequest", "aws-marketplace:AcceptAgreementRequest"]) {
      expect(await inSample(AUDIT, { principal: admin(AUDIT), action, context: { "aws-marketplace:ProductId": ["prod-3qbeiztufnva6"] } })).toEqual(
        denied("DisableClaudePlatformSubscription"),
      );
      expect((await inSample(AUDIT, { principal: admin(AUDIT), action, context: { "aws-marketplace:ProductId": ["prod-otherproduct1"] } })).result).toBe(
        "Allowed",
      );
    }
  });
});

describe("a new account can be bootstrapped: the bootstrap role creates the deployment role and nothing more", () => {
  const DEPLOYMENT_ROLE = role(SANDBOX, "platform-governance-deployer");

  test.each(["iam:CreateRole", "iam:AttachRolePolicy", "iam:PutRolePolicy", "iam:TagRole"])(
    "%s on the deployment role: allowed to the bootstrap role, denied to an administrator",
    async (action) => {
      expect((await inSample(SANDBOX, { principal: bootstrap(SANDBOX), action, resource: DEPLOYMENT_ROLE })).result).toBe("Allowed");
      expect(await inSample(SANDBOX, { principal: admin(SANDBOX), action, resource: DEPLOYMENT_ROLE })).toEqual(denied("ProtectDeploymentRoleBootstrap"));
    },
  );

  test.each(["iam:UpdateAssumeRolePolicy", "iam:DeleteRole", "iam:DeleteRolePermissionsBoundary", "iam:PassRole"])(
    "%s on the deployment role: denied to the bootstrap role",
    async (action) => {
      expect(await inSample(SANDBOX, { principal: bootstrap(SANDBOX), action, resource: DEPLOYMENT_ROLE })).toEqual(denied("ProtectDeploymentRole"));
    },
  );

  test("the bootstrap role gets no other exemption", async () => {
    const requests: Request[] = [
      // A team role, made with the baseline's tag or changed once it has it.
      {
        principal: bootstrap(SANDBOX),
        action: "iam:CreateRole",
        resource: role(SANDBOX, "security-audit-ai-reader"),
        context: { "aws:TagKeys": ["claude-platform-baseline:role"], "aws:RequestTag/claude-platform-baseline:role": "team" },
      },
      {
        principal: bootstrap(SANDBOX),
        action: "iam:UpdateAssumeRolePolicy",
        resource: role(SANDBOX, "security-audit-ai-reader"),
        context: { "aws:ResourceTag/claude-platform-baseline:role": "team" },
      },
      { principal: bootstrap(SANDBOX), action: "sts:AssumeRole", resource: DEPLOYMENT_ROLE },
      { principal: bootstrap(AUDIT), action: "cloudtrail:StopLogging", resource: `arn:aws:cloudtrail:us-east-1:${AUDIT}:trail/claude-platform-governance` },
    ];
    for (const request of requests)
      expect({ action: request.action, result: (await inSample(request.principal.account, request)).result }).toEqual({
        action: request.action,
        result: "ExplicitlyDenied",
      });
  });

  test("nobody but the deployment role can re-trust or create the bootstrap role", async () => {
    for (const action of ["iam:UpdateAssumeRolePolicy", "iam:CreateRole", "iam:PutRolePolicy"]) {
      expect(await inSample(SANDBOX, { principal: admin(SANDBOX), action, resource: role(SANDBOX, "OrganizationAccountAccessRole") })).toEqual(
        denied("ProtectBootstrapRoles"),
      );
      expect((await inSample(SANDBOX, { principal: deployer(SANDBOX), action, resource: role(SANDBOX, "OrganizationAccountAccessRole") })).result).toBe(
        "Allowed",
      );
    }
  });
});

describe("workspace keys with keyAdmins (every control on)", () => {
  const inEvery = (account: string, request: Request) => decide(every.get(account)!, request);
  const KEY_ADMIN: Principal = { account: PAYMENTS, role: "workspace-key-admin" };

  test.each(["RegisterKey", "UpdateKey", "DisableKey"])(
    "%s in an account with a protected workspace: the key admin and the deployment role may, an administrator may not",
    async (name) => {
      const action = claude(name);
      expect((await inEvery(PAYMENTS, { principal: KEY_ADMIN, action })).result).toBe("Allowed");
      expect((await inEvery(PAYMENTS, { principal: deployer(PAYMENTS), action })).result).toBe("Allowed");
      expect(await inEvery(PAYMENTS, { principal: admin(PAYMENTS), action })).toEqual(denied("ProtectWorkspaceKeys"));
    },
  );

  test("nobody but the deployment role can create, re-trust or pass a key admin role", async () => {
    for (const action of ["iam:CreateRole", "iam:UpdateAssumeRolePolicy", "iam:PassRole"]) {
      expect(await inEvery(PAYMENTS, { principal: admin(PAYMENTS), action, resource: role(PAYMENTS, "workspace-key-admin") })).toEqual(
        denied("ProtectWorkspaceKeyAdminRoles"),
      );
    }
  });
});

/**
 * Every action of every tamper-protection and role-guard statement, one by one: the lists are
 * written out here, independently of the code, so a dropped action fails a test.
 */
describe("each action tamper protection and the role guards deny, one by one", () => {
  const TRAIL = `arn:aws:cloudtrail:us-east-1:${AUDIT}:trail/claude-platform-governance`;
  const LOG_GROUP = `arn:aws:logs:us-east-1:${AUDIT}:log-group:/claude-platform/cloudtrail`;
  const LOG_BUCKET = `arn:aws:s3:::claude-platform-governance-logs-${AUDIT}`;
  const ACCESS_LOG_BUCKET = `arn:aws:s3:::claude-platform-governance-access-logs-${AUDIT}`;
  const ALARM = `arn:aws:cloudwatch:us-east-1:${AUDIT}:alarm:claude-platform-governance-console-federation`;
  const TOPIC = `arn:aws:sns:us-east-1:${AUDIT}:claude-platform-governance-alarms`;
  const KEY_ALIAS = `arn:aws:kms:us-east-1:${AUDIT}:alias/claude-platform-governance-alarms`;
  const BOUNDARY = `arn:aws:iam::${PAYMENTS}:policy/claude-platform-baseline/payments-ai-inference-boundary`;
  const SAML = `arn:aws:iam::${PAYMENTS}:saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE`;
  const ROLE_TAKEOVER = [
    "CreateRole",
    "PassRole",
    "UpdateAssumeRolePolicy",
    "AttachRolePolicy",
    "PutRolePolicy",
    "PutRolePermissionsBoundary",
    "DeleteRolePermissionsBoundary",
  ].map((a) => `iam:${a}`);
  const ROLE_CHANGE = [
    ...ROLE_TAKEOVER,
    ...["DeleteRole", "UpdateRole", "UpdateRoleDescription", "DetachRolePolicy", "DeleteRolePolicy", "TagRole", "UntagRole"].map((a) => `iam:${a}`),
  ];

  const table: Array<[string, string, string, string[]]> = [
    [
      "ProtectGovernanceTrail",
      AUDIT,
      TRAIL,
      ["StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors", "PutInsightSelectors", "PutEventConfiguration", "RemoveTags"].map(
        (a) => `cloudtrail:${a}`,
      ),
    ],
    [
      "ProtectGovernanceLogGroup",
      AUDIT,
      LOG_GROUP,
      [
        "DeleteLogGroup",
        "PutRetentionPolicy",
        "DeleteRetentionPolicy",
        "PutSubscriptionFilter",
        "DeleteSubscriptionFilter",
        "PutMetricFilter",
        "DeleteMetricFilter",
        "PutTransformer",
        "DeleteTransformer",
        "AssociateKmsKey",
        "DisassociateKmsKey",
        "PutDataProtectionPolicy",
        "DeleteDataProtectionPolicy",
        "PutBearerTokenAuthentication",
        "PutSyslogConfiguration",
        "ProcessWithPipeline",
        "UntagLogGroup",
        "UntagResource",
      ].map((a) => `logs:${a}`),
    ],
    ["ProtectGovernanceLogGroup", AUDIT, `${LOG_GROUP}:log-stream:x`, ["logs:DeleteLogStream"]],
    ...[LOG_BUCKET, ACCESS_LOG_BUCKET].map((bucket): [string, string, string, string[]] => [
      "ProtectGovernanceLogBucket",
      AUDIT,
      bucket,
      [
        "DeleteBucket",
        "PutBucketPolicy",
        "DeleteBucketPolicy",
        "PutBucketAcl",
        "PutBucketVersioning",
        "PutLifecycleConfiguration",
        "PutReplicationConfiguration",
        "PutEncryptionConfiguration",
        "PutBucketPublicAccessBlock",
        "PutBucketOwnershipControls",
        "PutBucketLogging",
        "PutBucketObjectLockConfiguration",
      ].map((a) => `s3:${a}`),
    ]),
    [
      "ProtectGovernanceLogFiles",
      AUDIT,
      `${ACCESS_LOG_BUCKET}/x`,
      ["DeleteObject", "DeleteObjectVersion", "PutObject", "PutObjectAcl", "PutObjectRetention", "PutObjectLegalHold"].map((a) => `s3:${a}`),
    ],
    ["ProtectGovernanceKeyAliases", AUDIT, KEY_ALIAS, ["kms:DeleteAlias", "kms:UpdateAlias"]],
    [
      "ProtectGovernanceAlarms",
      AUDIT,
      ALARM,
      ["DeleteAlarms", "PutMetricAlarm", "DisableAlarmActions", "SetAlarmState", "PutAlarmMuteRule", "PutCompositeAlarm", "PutLogAlarm"].map(
        (a) => `cloudwatch:${a}`,
      ),
    ],
    [
      "ProtectGovernanceDetections",
      AUDIT,
      `arn:aws:cloudwatch:us-east-1:${AUDIT}:insight-rule/claude-platform-governance-model-call-spike`,
      ["DeleteInsightRules", "DisableInsightRules", "PutInsightRule"].map((a) => `cloudwatch:${a}`),
    ],
    [
      "ProtectGovernanceDetections",
      AUDIT,
      `arn:aws:events:us-east-1:${AUDIT}:rule/claude-platform-governance-trail-changes-now`,
      ["DeleteRule", "DisableRule", "PutRule", "PutTargets", "RemoveTargets"].map((a) => `events:${a}`),
    ],
    ["ProtectGovernanceDetections", AUDIT, `arn:aws:events:us-east-1:${AUDIT}:event-bus/default`, ["events:UpdateEventBus"]],
    ["ProtectAuditAccountLogs", AUDIT, "*", ["cloudwatch:DeleteAnomalyDetector", "cloudwatch:PutAnomalyDetector"]],
    ["ProtectGovernanceLogRetention", AUDIT, `arn:aws:s3:::claude-platform-governance-logs-${AUDIT}/AWSLogs/x`, ["s3:BypassGovernanceRetention"]],
    [
      "ProtectGovernanceAlarmTopic",
      AUDIT,
      TOPIC,
      [
        "DeleteTopic",
        "SetTopicAttributes",
        "Subscribe",
        "Unsubscribe",
        "SetSubscriptionAttributes",
        "AddPermission",
        "RemovePermission",
        "PutDataProtectionPolicy",
      ].map((a) => `sns:${a}`),
    ],
    [
      "ProtectBaselinePolicies",
      PAYMENTS,
      BOUNDARY,
      ["CreatePolicy", "CreatePolicyVersion", "DeletePolicy", "DeletePolicyVersion", "SetDefaultPolicyVersion", "TagPolicy", "UntagPolicy"].map(
        (a) => `iam:${a}`,
      ),
    ],
    [
      "ProtectIdentityCenterProvider",
      PAYMENTS,
      SAML,
      ["CreateSAMLProvider", "UpdateSAMLProvider", "DeleteSAMLProvider", "TagSAMLProvider", "UntagSAMLProvider"].map((a) => `iam:${a}`),
    ],
    ["ProtectBaselineRoles", AUDIT, role(AUDIT, "claude-platform-governance-delivery"), ROLE_CHANGE],
    ["ProtectBaselineRoles", MANAGEMENT, role(MANAGEMENT, "platform-break-glass"), ROLE_CHANGE],
    ["ProtectWorkspace01PaymentsProdRoles", PAYMENTS, role(PAYMENTS, "payments-ai-batch"), ROLE_TAKEOVER],
    ["LimitConsoleRoles", SANDBOX, role(SANDBOX, "research-ai-notebook"), ROLE_TAKEOVER],
    ["ProtectBootstrapRoles", SANDBOX, role(SANDBOX, "OrganizationAccountAccessRole"), ROLE_TAKEOVER],
  ];

  test.each(table)("%s in %s on %s", async (sid, account, resource, actions) => {
    for (const action of actions) {
      const d = await inSample(account, { principal: admin(account), action, resource });
      expect({ action, ...d }).toEqual({ action, result: "ExplicitlyDenied", deniedBy: expect.arrayContaining([sid]) });
    }
  });

  test("the deployment role's own statement: every change but the bootstrap ones, for the bootstrap role too", async () => {
    const resource = role(PAYMENTS, "platform-governance-deployer");
    const bootstrapActions = ["iam:CreateRole", "iam:AttachRolePolicy", "iam:PutRolePolicy", "iam:TagRole"];
    for (const action of ROLE_CHANGE.filter((a) => !bootstrapActions.includes(a))) {
      const d = await inSample(PAYMENTS, { principal: bootstrap(PAYMENTS), action, resource });
      expect({ action, ...d }).toEqual({ action, ...denied("ProtectDeploymentRole") });
    }
  });

  test("the key admin roles (every control on): every takeover action", async () => {
    for (const action of ROLE_TAKEOVER) {
      const d = await decide(every.get(PAYMENTS)!, { principal: admin(PAYMENTS), action, resource: role(PAYMENTS, "workspace-key-admin") });
      expect({ action, ...d }).toEqual({ action, ...denied("ProtectWorkspaceKeyAdminRoles") });
    }
  });

  test("SCP and RCP management by type: every policy action and both types, whatever the resource", async () => {
    const actions = ["CreatePolicy", "UpdatePolicy", "DeletePolicy", "AttachPolicy", "DetachPolicy", "EnablePolicyType", "DisablePolicyType"].map(
      (a) => `organizations:${a}`,
    );
    // A target for the actions that take one; for the others, a policy ARN the ARN-based statement does not match, so only the type decides.
    const root = `arn:aws:organizations::${MANAGEMENT}:root/o-a1b2c3d4e5/r-a1b2`;
    const unmatchedPolicy = `arn:aws:organizations::${MANAGEMENT}:policy/o-a1b2c3d4e5/tag_policy/p-12345678`;
    for (const action of actions) {
      const resource = /(Attach|Detach|PolicyType)/.test(action) ? root : unmatchedPolicy;
      for (const type of ["SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"]) {
        const d = await inSample(AUDIT, { principal: admin(AUDIT), action, resource, context: { "organizations:PolicyType": type } });
        expect({ action, type, ...d }).toEqual({ action, type, ...denied("DenyScpManagementByType") });
      }
    }
  });

  test("SCP and RCP management by policy ARN: every policy action", async () => {
    for (const action of ["CreatePolicy", "UpdatePolicy", "DeletePolicy", "AttachPolicy", "DetachPolicy"].map((a) => `organizations:${a}`)) {
      for (const type of ["service_control_policy", "resource_control_policy"]) {
        const resource = `arn:aws:organizations::${MANAGEMENT}:policy/o-a1b2c3d4e5/${type}/p-12345678`;
        const d = await inSample(AUDIT, { principal: admin(AUDIT), action, resource });
        expect({ action, type, ...d }).toEqual({ action, type, ...denied("DenyScpManagement") });
      }
    }
  });

  test("the audit account's log-wide calls, one by one", async () => {
    for (const action of ["PutAccountPolicy", "DeleteAccountPolicy", "PutPipelineRule", "DeletePipelineRule", "PutResourcePolicy", "DeleteResourcePolicy"].map(
      (a) => `logs:${a}`,
    )) {
      expect({ action, ...(await inSample(AUDIT, { principal: admin(AUDIT), action })) }).toEqual({ action, ...denied("ProtectAuditAccountLogs") });
    }
  });
});

describe("an organization whose tamper protection outgrows one SCP", () => {
  // Every exemption is named in nearly every statement: a long list is what outgrows one document.
  const EXEMPT = Array.from({ length: 12 }, (_, n) => `arn:aws:iam::*:role/pipeline-stage-${String(n).padStart(2, "0")}-deployment-automation`);
  const TEAM_ROLE = role(SANDBOX, "security-audit-ai-reader");
  const TAGGED = { "aws:ResourceTag/claude-platform-baseline:role": "team" };
  let chain: ChainLevel[];
  let parts: string[][];

  beforeAll(async () => {
    const exemptions = ["arn:aws:iam::*:role/platform-governance-deployer", ...EXEMPT].map((arn) => `  - ${arn}\n`).join("");
    const out = await synthesize(configFromYaml(`${everyControlYaml()}\nexemptions:\n${exemptions}`));
    try {
      chain = scpChain(out.config, out.stack("organization"), SANDBOX);
      const policies = Object.values(out.stack("organization").resource!.aws_organizations_policy);
      parts = policies.map((p) => (JSON.parse(String(p.content)) as { Statement: Array<{ Sid: string }> }).Statement.map((s) => s.Sid));
    } finally {
      out.cleanup();
    }
  });

  test("its statements are split across documents attached to the root, each statement whole, none lost", () => {
    const holding = (sid: string) => parts.filter((sids) => sids.includes(sid)).length;
    expect(parts.filter((sids) => sids.some((sid) => sid.startsWith("Protect") && !sid.startsWith("ProtectWorkspace"))).length).toBeGreaterThanOrEqual(3);
    for (const sid of [
      "ProtectBaselineRoles",
      "ProtectTeamRoles",
      "ProtectTeamRoleTag",
      "ProtectGovernanceTrail",
      "DenyLeaveOrganization",
      "ProtectExemptRoleSessions",
    ])
      expect({ sid, documents: holding(sid) }).toEqual({ sid, documents: 1 });
  });

  test.each([0, 6, 11])("exemption %i and the deployment role may change a team role; an administrator may not, nor stop the trail", async (n) => {
    const exempt = { account: SANDBOX, role: EXEMPT[n].split("/").pop()! };
    const change = { action: "iam:UpdateAssumeRolePolicy", resource: TEAM_ROLE, context: TAGGED };
    expect(await decide(chain, { principal: admin(SANDBOX), ...change })).toEqual(denied("ProtectTeamRoles"));
    expect((await decide(chain, { principal: exempt, ...change })).result).toBe("Allowed");
    expect((await decide(chain, { principal: deployer(SANDBOX), ...change })).result).toBe("Allowed");
    expect(
      await decide(chain, {
        principal: admin(SANDBOX),
        action: "cloudtrail:StopLogging",
        resource: `arn:aws:cloudtrail:us-east-1:${SANDBOX}:trail/claude-platform-governance`,
      }),
    ).toEqual(denied("ProtectGovernanceTrail"));
  });
});

describe("the archive's principals (every option on): key administrators may recover the keys, the replication role is guarded", () => {
  const KEY = `arn:aws:kms:us-east-1:${AUDIT}:key/11111111-2222-3333-4444-555555555555`;
  const context = { "kms:ResourceAliases": ["alias/claude-platform-governance"] };

  test("a configured key administrator is not denied what recovering a governance key takes; the account's administrator is", async () => {
    for (const action of ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey"]) {
      const custodian = await decide(every.get(AUDIT)!, { principal: { account: AUDIT, role: "key-custodian" }, action, resource: KEY, context });
      expect({ action, deniedBy: custodian.deniedBy }).toEqual({ action, deniedBy: [] });
      // The deployment role stays admitted beside the key administrators: it applies the key policy.
      const deployment = await decide(every.get(AUDIT)!, { principal: deployer(AUDIT), action, resource: KEY, context });
      expect({ action, deniedBy: deployment.deniedBy }).toEqual({ action, deniedBy: [] });
      const administrator = await decide(every.get(AUDIT)!, { principal: admin(AUDIT), action, resource: KEY, context });
      expect({ action, ...administrator }).toEqual({ action, ...denied("ProtectGovernanceKeys") });
    }
  });

  test("the replication role is changed, trusted or passed by nobody but the deployment role", async () => {
    const replication = role(AUDIT, "claude-platform-governance-replication");
    for (const action of ["iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy"]) {
      expect({ action, ...(await decide(every.get(AUDIT)!, { principal: admin(AUDIT), action, resource: replication })) }).toEqual({
        action,
        ...denied("ProtectBaselineRoles"),
      });
    }
  });
});
