/**
 * Intents of the long-term API key controls, proven on the synthesized organization stack of the
 * sample org: nobody in a member account can create a Claude Platform long-term API key, create or
 * equip its shadow user, or use one; short-term keys, other users and other services are unaffected.
 */
import { scpChain, type ChainLevel } from "./harness/organization";
import { decide, type Principal } from "./harness/simulate";
import { configFromYaml, sampleConfig, sampleYaml, synthesize } from "./harness/synth";

const MEMBER_ACCOUNTS = ["222222222222", "333333333333", "444444444444", "555555555555"];
/** The member accounts where Claude Platform is on: the Platform OU (222222222222) has it off. */
const CLAUDE_ACCOUNTS = ["333333333333", "444444444444", "555555555555"];
const CLAUDE_CREDENTIALS = { "iam:ServiceSpecificCredentialServiceName": "aws-external-anthropic.amazonaws.com" };
const admin = (account: string): Principal => ({ account, role: "Administrator" });
const user = (account: string, name: string, path?: string) => `arn:aws:iam::${account}:user/${path ? `${path}/` : ""}${name}`;

async function chainsFor(yaml: string): Promise<Map<string, ChainLevel[]>> {
  const out = await synthesize(configFromYaml(yaml));
  try {
    return new Map(MEMBER_ACCOUNTS.map((a) => [a, scpChain(out.config, out.stack("organization"), a)]));
  } finally {
    out.cleanup();
  }
}

let chains: Map<string, ChainLevel[]>;
beforeAll(async () => {
  const out = await synthesize(sampleConfig());
  chains = new Map(MEMBER_ACCOUNTS.map((a) => [a, scpChain(out.config, out.stack("organization"), a)]));
  out.cleanup();
});

describe.each(MEMBER_ACCOUNTS)("member account %s, administrator", (account) => {
  const chain = () => chains.get(account)!;

  test("denyServiceSpecificCredentials: cannot create, reset or re-activate a credential for the service, in any letter case", async () => {
    for (const action of ["iam:CreateServiceSpecificCredential", "iam:ResetServiceSpecificCredential", "iam:UpdateServiceSpecificCredential"]) {
      for (const serviceName of ["aws-external-anthropic.amazonaws.com", "AWS-External-Anthropic.amazonaws.com"]) {
        const d = await decide(chain(), {
          principal: admin(account),
          action,
          resource: user(account, "alice"),
          context: { "iam:ServiceSpecificCredentialServiceName": serviceName },
        });
        expect(d).toEqual({ result: "ExplicitlyDenied", deniedBy: ["DenyServiceSpecificCredentials"] });
      }
    }
  });

  test("denyServiceSpecificCredentials: credentials for other services are unaffected; deleting the service's stays the clean-up path", async () => {
    for (const action of ["iam:CreateServiceSpecificCredential", "iam:UpdateServiceSpecificCredential"]) {
      const d = await decide(chain(), {
        principal: admin(account),
        action,
        resource: user(account, "alice"),
        context: { "iam:ServiceSpecificCredentialServiceName": "codecommit.amazonaws.com" },
      });
      expect({ action, result: d.result }).toEqual({ action, result: "Allowed" });
    }
    const cleanUp = await decide(chain(), {
      principal: admin(account),
      action: "iam:DeleteServiceSpecificCredential",
      resource: user(account, "alice"),
      context: CLAUDE_CREDENTIALS,
    });
    expect(cleanUp.result).toBe("Allowed");
  });

  test.each([undefined, "some/path", "deep/er/path"])("denyShadowApiKeyUsers: cannot create or equip AeaApiKey-* users (path %s)", async (path) => {
    const shadow = user(account, "AeaApiKey-ab12cd34", path);
    for (const action of [
      "iam:CreateUser",
      "iam:UpdateUser",
      "iam:CreateAccessKey",
      "iam:CreateLoginProfile",
      "iam:UpdateLoginProfile",
      "iam:AttachUserPolicy",
      "iam:PutUserPolicy",
      "iam:PutUserPermissionsBoundary",
      "iam:DeleteUserPermissionsBoundary",
      "iam:ResetServiceSpecificCredential",
      "iam:UpdateServiceSpecificCredential",
    ]) {
      const d = await decide(chain(), { principal: admin(account), action, resource: shadow });
      expect({ action, ...d }).toEqual({ action, result: "ExplicitlyDenied", deniedBy: ["DenyShadowApiKeyUsers"] });
    }
    const credential = await decide(chain(), {
      principal: admin(account),
      action: "iam:CreateServiceSpecificCredential",
      resource: shadow,
      context: { "iam:ServiceSpecificCredentialServiceName": "codecommit.amazonaws.com" },
    });
    expect(credential).toEqual({ result: "ExplicitlyDenied", deniedBy: ["DenyShadowApiKeyUsers"] });
  });

  test("denyShadowApiKeyUsers: incident response can still deactivate and delete a shadow user's keys and the user", async () => {
    const shadow = user(account, "AeaApiKey-ab12cd34");
    for (const action of ["iam:UpdateAccessKey", "iam:DeleteAccessKey", "iam:DeleteServiceSpecificCredential", "iam:DeleteLoginProfile", "iam:DeleteUser"]) {
      const d = await decide(chain(), { principal: admin(account), action, resource: shadow });
      expect({ action, result: d.result }).toEqual({ action, result: "Allowed" });
    }
  });

  test("denyShadowApiKeyUsers: a shadow user reaches no Claude Platform action, whatever credential it still holds", async () => {
    for (const [action, resource] of [
      ["aws-external-anthropic:CreateInference", "arn:aws:aws-external-anthropic:us-east-1:" + account + ":workspace/wrkspc_01Any"],
      ["aws-external-anthropic:ListWorkspaces", "*"],
    ]) {
      for (const path of [undefined, "some/path"]) {
        const d = await decide(chain(), { principal: { account, user: "AeaApiKey-ab12cd34", path }, action, resource });
        expect({ path, ...d }).toEqual({ path, result: "ExplicitlyDenied", deniedBy: expect.arrayContaining(["DenyShadowApiKeyUsersClaudeAccess"]) });
      }
    }
  });

  test("denyShadowApiKeyUsers: other users are unaffected, including near-miss names", async () => {
    for (const name of ["alice", "NotAeaApiKey-ab12cd34", "AeaApiKeyab12cd34"]) {
      for (const action of ["iam:CreateUser", "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:AttachUserPolicy", "iam:PutUserPolicy"]) {
        const d = await decide(chain(), { principal: admin(account), action, resource: user(account, name) });
        expect({ name, action, result: d.result }).toEqual({ name, action, result: "Allowed" });
      }
    }
  });
});

describe.each(CLAUDE_ACCOUNTS)("member account %s, where Claude Platform is on", (account) => {
  const chain = () => chains.get(account)!;

  test("denyLongTermBearerTokens: a long-term key cannot be used, whatever its letter case", async () => {
    for (const tokenType of ["LONG_TERM", "long_term"]) {
      const d = await decide(chain(), {
        principal: { account, user: "AeaApiKey-ab12cd34" },
        action: "aws-external-anthropic:CallWithBearerToken",
        context: { "aws-external-anthropic:BearerTokenType": tokenType },
      });
      expect(d).toEqual({ result: "ExplicitlyDenied", deniedBy: expect.arrayContaining(["DenyLongTermBearerTokens"]) });
    }
  });

  test("denyLongTermBearerTokens: a key on an IAM user is denied even if its token type is not LONG_TERM (the value is third-party)", async () => {
    for (const context of [{ "aws-external-anthropic:BearerTokenType": "LONGTERM" }, {}] as Array<Record<string, string>>) {
      const d = await decide(chain(), { principal: { account, user: "alice" }, action: "aws-external-anthropic:CallWithBearerToken", context });
      expect(d).toEqual({ result: "ExplicitlyDenied", deniedBy: ["DenyBearerTokensForIamUsers"] });
    }
  });

  test("denyLongTermBearerTokens: short-term keys keep working", async () => {
    const d = await decide(chain(), {
      principal: { account, role: "research-ai-developer" },
      action: "aws-external-anthropic:CallWithBearerToken",
      context: { "aws-external-anthropic:BearerTokenType": "SHORT_TERM" },
    });
    expect(d.result).toBe("Allowed");
  });
});

describe("sample org attachments", () => {
  test("the long-term key controls attach at the root, so every member account inherits them", () => {
    for (const account of MEMBER_ACCOUNTS) {
      const [root] = chains.get(account)!;
      expect(root.orgIdentifier).toBe("r-a1b2");
      const sids = root.policies.flatMap((p) => p.policy.Statement.map((s) => s.Sid)).filter(Boolean);
      expect(sids).toEqual(expect.arrayContaining(["DenyServiceSpecificCredentials", "DenyShadowApiKeyUsers", "DenyLongTermBearerTokens"]));
    }
  });
});

describe("options", () => {
  test("exempt: true lets the deployment role through the shadow-user control, and nobody else", async () => {
    const yaml = sampleYaml().replace("denyShadowApiKeyUsers:\n    attachTo: [r-a1b2]", "denyShadowApiKeyUsers:\n    attachTo: [r-a1b2]\n    exempt: true");
    const chain = (await chainsFor(yaml)).get("333333333333")!;
    const resource = user("333333333333", "AeaApiKey-ab12cd34");
    const deployer = await decide(chain, { principal: { account: "333333333333", role: "platform-governance-deployer" }, action: "iam:CreateUser", resource });
    expect(deployer.result).toBe("Allowed");
    const lookalike = await decide(chain, {
      principal: { account: "333333333333", role: "platform-governance-deployer-x" },
      action: "iam:CreateUser",
      resource,
    });
    expect(lookalike).toEqual({ result: "ExplicitlyDenied", deniedBy: ["DenyShadowApiKeyUsers"] });
    const pathed = await decide(chain, {
      principal: { account: "333333333333", role: "platform-governance-deployer", path: "other" },
      action: "iam:CreateUser",
      resource,
    });
    expect(pathed.result).toBe("ExplicitlyDenied");
  });

  test("denyIamUsers: false lets IAM users use short-term keys, and still denies LONG_TERM", async () => {
    const yaml = sampleYaml().replace(
      "denyLongTermBearerTokens:\n    attachTo: [r-a1b2]",
      "denyLongTermBearerTokens:\n    attachTo: [r-a1b2]\n    denyIamUsers: false",
    );
    const chain = (await chainsFor(yaml)).get("444444444444")!;
    const call = (tokenType: string) =>
      decide(chain, {
        principal: { account: "444444444444", user: "alice" },
        action: "aws-external-anthropic:CallWithBearerToken",
        context: { "aws-external-anthropic:BearerTokenType": tokenType },
      });
    expect((await call("SHORT_TERM")).result).toBe("Allowed");
    expect(await call("LONG_TERM")).toEqual({ result: "ExplicitlyDenied", deniedBy: ["DenyLongTermBearerTokens"] });
  });

  test("allServices: true denies service-specific credentials for every service", async () => {
    const yaml = sampleYaml().replace(
      "denyServiceSpecificCredentials:\n    attachTo: [r-a1b2]",
      "denyServiceSpecificCredentials:\n    attachTo: [r-a1b2]\n    allServices: true",
    );
    const chain = (await chainsFor(yaml)).get("444444444444")!;
    const d = await decide(chain, {
      principal: admin("444444444444"),
      action: "iam:CreateServiceSpecificCredential",
      resource: user("444444444444", "alice"),
      context: { "iam:ServiceSpecificCredentialServiceName": "codecommit.amazonaws.com" },
    });
    expect(d).toEqual({ result: "ExplicitlyDenied", deniedBy: ["DenyServiceSpecificCredentials"] });
  });

  test("limitServiceCredentialAge: keys must expire within maxAgeDays; never-expiring keys are denied", async () => {
    const yaml = sampleYaml()
      .replace("  denyServiceSpecificCredentials:\n    attachTo: [r-a1b2]\n", "")
      .replace("controls:\n", "controls:\n  limitServiceCredentialAge:\n    attachTo: [ou-a1b2-work0001]\n    maxAgeDays: 90\n");
    const chains = await chainsFor(yaml);
    const create = (account: string, age?: string) =>
      decide(chains.get(account)!, {
        principal: admin(account),
        action: "iam:CreateServiceSpecificCredential",
        resource: user(account, "alice"),
        context: { ...CLAUDE_CREDENTIALS, ...(age ? { "iam:ServiceSpecificCredentialAgeDays": age } : {}) },
      });
    expect((await create("333333333333", "30")).result).toBe("Allowed");
    expect(await create("333333333333", "91")).toEqual({ result: "ExplicitlyDenied", deniedBy: ["DenyLongLivedServiceCredentials"] });
    expect(await create("333333333333")).toEqual({ result: "ExplicitlyDenied", deniedBy: ["DenyNonExpiringServiceCredentials"] });
    // attached to the Workloads OU only: the sandbox is not limited
    expect((await create("555555555555", "400")).result).toBe("Allowed");
  });
});
