/** The policy engine: canonical documents, the reference-data checks, wildcard logic and packing. */
import { arnPatternsIntersect, globMatches, globsIntersect } from "../config/glob";
import { Catalog, CLAUDE_SERVICE } from "../policies/catalog";
import { checkDocument, checkPreparedDocument } from "../policies/check";
import { minified, policyDocument, sortedUnique, withConditions, type Statement } from "../policies/document";
import { SynthesisError } from "../policies/errors";
import { packScps } from "../policies/pack";
import { QUOTAS } from "../policies/quotas";
import { planBaseline } from "../policies/baseline";
import { SCP_CONTROLS, type BuiltControl } from "../policies/scp";
import { CONTROL_IDS } from "../config/schema";
import { configFromYaml, everyControlYaml, sampleConfig } from "./harness/synth";

let catalog: Catalog;
beforeAll(async () => {
  catalog = await Catalog.load();
});

const deny = (statement: Partial<Statement>): Statement => ({ Sid: "Test", Effect: "Deny", Resource: ["*"], ...statement });

describe("canonical documents", () => {
  test("fixed key order, sorted and de-duplicated arrays, statements by Sid, minified", () => {
    const doc = policyDocument([
      { Condition: { StringEquals: { "b:key": ["2", "1", "2"], "a:key": ["x"] } }, Resource: ["*"], Action: ["s:B", "s:A", "s:B"], Effect: "Deny", Sid: "Zed" },
      { Sid: "Alpha", Effect: "Deny", Action: ["s:C"], Resource: ["*"] },
    ]);
    expect(minified(doc)).toBe(
      '{"Version":"2012-10-17","Statement":[{"Sid":"Alpha","Effect":"Deny","Action":["s:C"],"Resource":["*"]},' +
        '{"Sid":"Zed","Effect":"Deny","Action":["s:A","s:B"],"Resource":["*"],"Condition":{"StringEquals":{"a:key":["x"],"b:key":["1","2"]}}}]}',
    );
  });

  test("sortedUnique: sorted in code-unit order and de-duplicated, a new array even when the input was in order", () => {
    expect(sortedUnique(["b", "a", "b", "B"])).toEqual(["B", "a", "b"]);
    expect(sortedUnique(["a", "a"])).toEqual(["a"]);
    expect(sortedUnique(new Set(["z", "y"]))).toEqual(["y", "z"]);
    const inOrder = ["a", "b", "c"];
    const sorted = sortedUnique(inOrder);
    expect(sorted).toEqual(inOrder);
    expect(sorted).not.toBe(inOrder);
  });

  test("the same statements in any order give the same bytes", () => {
    const a: Statement = { Sid: "A", Effect: "Deny", Action: ["x:Y", "x:Z"], Resource: ["*"] };
    const b: Statement = { Sid: "B", Effect: "Deny", Action: ["x:Z", "x:Y"], Resource: ["*"] };
    expect(minified(policyDocument([a, b]))).toBe(minified(policyDocument([b, a])));
  });

  test("Sids are letters and digits, and unique in a document", () => {
    expect(() => policyDocument([deny({ Sid: "Bad-Sid" })])).toThrow(/letters and digits/);
    expect(() => policyDocument([deny({}), deny({})])).toThrow(/appears twice/);
  });

  test("withConditions unites values key by key", () => {
    const s = withConditions(deny({ Condition: { ArnNotLike: { "aws:PrincipalArn": ["b"] } } }), {
      ArnNotLike: { "aws:PrincipalArn": ["a", "b"] },
      Bool: { "aws:ViaAWSService": ["false"] },
    });
    expect(s.Condition).toEqual({ ArnNotLike: { "aws:PrincipalArn": ["a", "b"] }, Bool: { "aws:ViaAWSService": ["false"] } });
  });
});

describe("wildcards", () => {
  test.each([
    ["arn:aws:iam::*:user/AeaApiKey-*", "arn:aws:iam::1:user/AeaApiKey-x", true],
    ["arn:aws:iam::*:user/*/AeaApiKey-*", "arn:aws:iam::1:user/a/b/AeaApiKey-x", true],
    ["arn:aws:iam::*:user/*/AeaApiKey-*", "arn:aws:iam::1:user/AeaApiKey-x", false],
    ["arn:aws:iam::*:user/AeaApiKey-*", "arn:aws:iam::1:user/aeaapikey-x", false],
    ["role/payments-ai-?", "role/payments-ai-1", true],
    ["a.b", "axb", false],
  ])("globMatches(%s, %s) = %s", (pattern, value, expected) => {
    expect(globMatches(pattern, value)).toBe(expected);
  });

  test.each([
    ["a*c", "*b*", true],
    ["a?c", "abd", false],
    ["*", "", true],
  ])("globsIntersect(%s, %s) = %s", (a, b, expected) => {
    expect(globsIntersect(a, b)).toBe(expected);
    expect(globsIntersect(b, a)).toBe(expected);
  });
});

test.each([
  ["arn:*:iam::*:user/*", "arn:aws:iam::*:user/AeaApiKey-*", true],
  ["arn:*:iam::*:role/*", "arn:aws:iam::*:user/AeaApiKey-*", false],
  ["arn:aws:iam::*:*", "arn:aws:iam::*:user/AeaApiKey-*", true],
  ["arn:aws:iam::*:user/*", "arn:aws:s3:::*", false],
])("arnPatternsIntersect(%s, %s) = %s: wildcards stay within their segment", (a, b, expected) => {
  expect(arnPatternsIntersect(a, b)).toBe(expected);
});

describe("the catalogue", () => {
  test("reads the service's actions from the reference data", () => {
    const actions = catalog.actionsOf(CLAUDE_SERVICE);
    expect(actions.length).toBeGreaterThanOrEqual(75);
    expect(catalog.action("aws-external-anthropic:callwithbearertoken")).toMatchObject({
      name: "aws-external-anthropic:CallWithBearerToken",
      resourceTypes: [],
    });
  });

  test("knows which actions take only *", () => {
    const starOnly = catalog
      .actionsOf(CLAUDE_SERVICE)
      .filter((a) => a.resourceTypes.length === 0)
      .map((a) => a.name.split(":")[1])
      .sort();
    expect(starOnly).toEqual(
      [
        "AssumeConsole",
        "CallWithBearerToken",
        "CreateWorkspace",
        "DisableKey",
        "GetAccountStatus",
        "GetKey",
        "ListKeys",
        "ListWorkspaces",
        "RegisterKey",
        "UpdateKey",
      ].sort(),
    );
  });

  test("expands wildcards case-insensitively, as IAM does", () => {
    const names = catalog.expand("aws-external-anthropic:*File").map((a) => a.name.split(":")[1]);
    expect(names).toEqual(expect.arrayContaining(["CreateFile", "GetFile", "CreateUserProfile", "GetUserProfile"]));
  });

  test("an action picked by a name the data does not know is an error", () => {
    expect(() => catalog.requireAction("aws-external-anthropic:InvokeModel")).toThrow(/not an action in the IAM reference data/);
  });
});

describe("documents are checked against the reference data", () => {
  const problems = (statement: Partial<Statement>) => checkDocument(policyDocument([deny(statement)]), catalog);

  test("sound statements pass", async () => {
    expect(
      await problems({
        Action: ["aws-external-anthropic:CallWithBearerToken"],
        Condition: { StringEquals: { "aws-external-anthropic:BearerTokenType": ["LONG_TERM"] } },
      }),
    ).toEqual([]);
    expect(
      await problems({
        Action: ["aws-external-anthropic:*"],
        Resource: ["arn:aws:aws-external-anthropic:*:*:workspace/wrkspc_01A"],
        Condition: { ArnNotLike: { "aws:PrincipalArn": ["arn:aws:iam::*:role/x"] } },
      }),
    ).toEqual([]);
  });

  test("an unknown action", async () => {
    expect(await problems({ Action: ["aws-external-anthropic:InvokeModel"] })).toEqual([
      "statement Test: action aws-external-anthropic:InvokeModel is not in the IAM reference data",
    ]);
  });

  test("a pattern that matches no action", async () => {
    expect(await problems({ Action: ["aws-external-anthropic:Invoke*"] })).toEqual([expect.stringContaining("the pattern matches no action")]);
  });

  test("an unknown service", async () => {
    expect(await problems({ Action: ["anthropic:CreateInference"] })).toEqual([expect.stringContaining('has no service "anthropic"')]);
  });

  test("a workspace ARN on an action that takes only *", async () => {
    expect(await problems({ Action: ["aws-external-anthropic:CallWithBearerToken"], Resource: ["arn:aws:aws-external-anthropic:*:*:workspace/*"] })).toEqual([
      expect.stringContaining("resource arn:aws:aws-external-anthropic:*:*:workspace/* (workspace) is taken by none of the statement's actions"),
      expect.stringContaining('aws-external-anthropic:CallWithBearerToken takes only Resource "*"'),
    ]);
  });

  test("a resource pattern that fits no resource type", async () => {
    expect(await problems({ Action: ["iam:CreateUser"], Resource: ["arn:aws:iam::*:usr/AeaApiKey-*"] })).toEqual([
      expect.stringContaining("matches no resource type of iam"),
    ]);
  });

  test("a resource type none of the actions take", async () => {
    expect(await problems({ Action: ["iam:AddUserToGroup"], Resource: ["arn:aws:iam::*:user/AeaApiKey-*"] })).toEqual([
      expect.stringContaining("is taken by none of the statement's actions"),
    ]);
  });

  test("an unknown condition key, and one that applies to none of the actions", async () => {
    expect(await problems({ Action: ["iam:CreateUser"], Condition: { StringEquals: { "aws-external-anthropic:TokenType": ["x"] } } })).toEqual([
      expect.stringContaining("condition key aws-external-anthropic:TokenType is not in the IAM reference data"),
    ]);
    expect(await problems({ Action: ["iam:CreateUser"], Condition: { StringEquals: { "aws-external-anthropic:BearerTokenType": ["LONG_TERM"] } } })).toEqual([
      expect.stringContaining("applies to none of the statement's actions"),
    ]);
  });

  test("answers remembered for a recurring action list or resource stay with each statement", async () => {
    const workspace = "arn:aws:aws-external-anthropic:us-east-1:333333333333:workspace/wrkspc_01A";
    const statements: Statement[] = [
      { Sid: "First", Effect: "Allow", Action: ["aws-external-anthropic:InvokeModel"], Resource: [workspace] },
      { Sid: "Second", Effect: "Allow", Action: ["aws-external-anthropic:InvokeModel"], Resource: [workspace] },
      { Sid: "Taken", Effect: "Allow", Action: ["aws-external-anthropic:CreateInference"], Resource: [workspace] },
      { Sid: "NotTaken", Effect: "Allow", Action: ["aws-external-anthropic:CallWithBearerToken"], Resource: [workspace] },
    ];
    const found = await checkDocument(policyDocument(statements), catalog);
    expect(found.filter((p) => p.includes("InvokeModel is not in the IAM reference data")).map((p) => p.split(":")[0])).toEqual([
      "statement First",
      "statement Second",
    ]);
    expect(found.filter((p) => p.includes("is taken by none")).map((p) => p.split(":")[0])).toEqual(["statement NotTaken"]);
  });

  test("a document checked synchronously must have been prepared: an unlooked-up condition key is an error, not a verdict", () => {
    const document = policyDocument([deny({ Action: ["iam:CreateUser"], Condition: { StringEquals: { "aws:KeyNoTestPrepares": ["x"] } } })]);
    expect(() => checkPreparedDocument(document, catalog)).toThrow(/condition key aws:KeyNoTestPrepares was never looked up/);
  });

  test("an operator IAM does not know", async () => {
    expect(await problems({ Action: ["iam:CreateUser"], Condition: { StringEqual: { "aws:PrincipalArn": ["x"] } } })).toEqual([
      expect.stringContaining("condition operator StringEqual is not an IAM operator"),
    ]);
  });
});

describe("packing", () => {
  const config = sampleConfig();
  const bulky = (id: string, size: number, attachTo = ["r-a1b2"]): BuiltControl => ({
    id: id as BuiltControl["id"],
    ref: id,
    label: id,
    title: id,
    attachTo,
    statements: [{ Sid: id.replace(/[^A-Za-z0-9]/g, ""), Effect: "Deny", Action: ["iam:CreateUser"], Resource: [`arn:aws:iam::*:user/${"x".repeat(size)}`] }],
  });

  test("controls on the same targets share a document while it fits", () => {
    const plan = packScps([bulky("a", 100), bulky("b", 100)], config);
    expect(plan.documents.map((d) => [d.name, d.controls])).toEqual([["claude-platform-baseline-root-1", ["a", "b"]]]);
    expect(plan.documents[0].size).toBe(plan.documents[0].content.length);
  });

  test("a control over half the quota has a document of its own, keyed by the control; the others share numbered documents; none passes the quota, and no control is split to fill one", () => {
    const plan = packScps([bulky("a", 6000), bulky("b", 6000), bulky("c", 3000)], config);
    expect(plan.documents.map((d) => [d.name, d.controls])).toEqual([
      ["claude-platform-baseline-root-a", ["a"]],
      ["claude-platform-baseline-root-b", ["b"]],
      ["claude-platform-baseline-root-1", ["c"]],
    ]);
    for (const d of plan.documents) expect(d.size).toBeLessThanOrEqual(QUOTAS.scpSize.value);
  });

  test("where that layout would put a target over 10 SCPs, the target's controls are packed densely instead", () => {
    const reserved = { ...config, organization: { ...config.organization, root: { ...config.organization.root, reservedScpSlots: 7 } } };
    const plan = packScps([bulky("a", 6000), bulky("b", 6000), bulky("c", 3000)], reserved);
    expect(plan.documents.map((d) => [d.name, d.controls])).toEqual([
      ["claude-platform-baseline-root-1", ["a", "c"]],
      ["claude-platform-baseline-root-2", ["b"]],
    ]);
    expect(plan.targets).toEqual([{ target: "r-a1b2", label: "r-a1b2 (root)", baselineScps: 2, reserved: 7, fullAwsAccess: true, total: 10 }]);
  });

  test("the dense layout uses the fewest documents where first-fit in canonical order would need one more and overload the target", () => {
    const twoFree = { ...config, organization: { ...config.organization, root: { ...config.organization.root, reservedScpSlots: 7 } } };
    // a and b fill a document together, leaving c and d a document each: three. a + c and b + d fit: two.
    const plan = packScps([bulky("a", 4000), bulky("b", 4000), bulky("c", 6000), bulky("d", 6000)], twoFree);
    expect(plan.documents.map((d) => d.controls)).toEqual([
      ["a", "c"],
      ["b", "d"],
    ]);
    expect(plan.targets[0].total).toBe(10);
    for (const d of plan.documents) expect(d.size).toBeLessThanOrEqual(QUOTAS.scpSize.value);
  });

  test("where first-fit decreasing also needs one more, the exact search packs the group into the fewest documents", () => {
    const twoFree = { ...config, organization: { ...config.organization, root: { ...config.organization.root, reservedScpSlots: 7 } } };
    const sizes = { a: 4900, b: 3900, c: 3900, d: 2900, e: 1900, f: 1900 };
    const plan = packScps(
      Object.entries(sizes).map(([id, size]) => bulky(id, size)),
      twoFree,
    );
    expect(plan.documents).toHaveLength(2);
    expect(plan.documents.flatMap((d) => d.controls).sort()).toEqual(Object.keys(sizes));
    for (const d of plan.documents) expect(d.size).toBeLessThanOrEqual(QUOTAS.scpSize.value);
  });

  test("controls on different targets get their own documents, attached there, keyed by the target's id", () => {
    const plan = packScps([bulky("a", 10), bulky("b", 10, ["ou-a1b2-sand0001"])], config);
    expect(plan.documents.map((d) => [d.key, d.name, d.logicalId, d.targets])).toEqual([
      ["root-1", "claude-platform-baseline-root-1", "scp-root-1", ["r-a1b2"]],
      ["ou-a1b2-sand0001-1", "claude-platform-baseline-ou-a1b2-sand0001-1", "scp-ou-a1b2-sand0001-1", ["ou-a1b2-sand0001"]],
    ]);
  });

  test("a document on several targets is named by their count and a hash, whatever their number; its description lists them within 512 characters", () => {
    const many = Array.from({ length: 60 }, (_, i) => `${100000000000 + i}`);
    const withAccounts = {
      ...config,
      organization: {
        ...config.organization,
        accounts: [...config.organization.accounts, ...many.map((id) => ({ id, name: `a${id}`, parent: "r-a1b2", reservedScpSlots: 0 }))],
      },
    };
    const two = packScps([bulky("a", 10, ["ou-a1b2-work0001", "ou-a1b2-sand0001"])], config).documents[0];
    expect(two.name).toMatch(/^claude-platform-baseline-2-targets-[0-9a-f]{8}-1$/);
    expect(two.description).toBe("Claude Platform baseline on ou-a1b2-sand0001, ou-a1b2-work0001: a");
    const sixty = packScps([bulky("a", 10, many)], withAccounts).documents[0];
    expect(sixty.name).toMatch(/^claude-platform-baseline-60-targets-[0-9a-f]{8}-1$/);
    expect(sixty.description.length).toBeLessThanOrEqual(512);
    expect(sixty.description).toMatch(/^Claude Platform baseline on 100000000000, 100000000001, .* and \d+ more: a$/);
    expect(packScps([bulky("a", 10, [...many].reverse())], withAccounts).documents[0].name).toBe(sixty.name);
  });

  test("a statement over the size quota alone fails, naming the control, the statement and its size", () => {
    expect(() => packScps([bulky("huge", 11000)], config)).toThrow(
      /controls\.huge \(on r-a1b2 \(root\)\): its statement huge alone is 11,\d{3} characters, over the SCP quota of 10,240/,
    );
  });

  test("a control over the size quota is split at statement boundaries into parts that each fit, attached to the same targets", () => {
    const statement = (sid: string) => ({
      Sid: sid,
      Effect: "Deny" as const,
      Action: ["iam:CreateUser"],
      Resource: [`arn:aws:iam::*:user/${sid}${"x".repeat(4000)}`],
    });
    const large: BuiltControl = { ...bulky("large", 1), statements: ["A", "B", "C"].map(statement) };
    const plan = packScps([large, bulky("small", 100)], config);
    expect(plan.documents.map((d) => [d.name, d.controls, d.targets])).toEqual([
      ["claude-platform-baseline-root-large", ["large (part 1 of 2)"], ["r-a1b2"]],
      ["claude-platform-baseline-root-large-part-2", ["large (part 2 of 2)"], ["r-a1b2"]],
      ["claude-platform-baseline-root-1", ["small"], ["r-a1b2"]],
    ]);
    for (const d of plan.documents) expect(d.size).toBeLessThanOrEqual(10240);
    const sids = plan.documents.flatMap((d) => (JSON.parse(d.content) as { Statement: Array<{ Sid: string }> }).Statement.map((s) => s.Sid));
    expect(sids.sort()).toEqual(["A", "B", "C", "small"]);
  });

  test("a target over 10 SCPs fails, naming the target, FullAWSAccess, reserved slots and each control's size", () => {
    const reserved = { ...config, organization: { ...config.organization, root: { ...config.organization.root, reservedScpSlots: 7 } } };
    const controls = [bulky("a", 9000), bulky("b", 9000), bulky("c", 9000)];
    expect(packScps(controls.slice(0, 2), reserved).targets).toEqual([
      { target: "r-a1b2", label: "r-a1b2 (root)", baselineScps: 2, reserved: 7, fullAwsAccess: true, total: 10 },
    ]);
    let error: unknown;
    try {
      packScps(controls, reserved);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SynthesisError);
    expect((error as SynthesisError).problems).toEqual([
      expect.stringMatching(
        /^r-a1b2 \(root\): would carry 11 SCPs \(FullAWSAccess \+ 7 reserved \+ claude-platform-baseline-root-1 \[a 9,\d{3} chars\] \+ .*\), over the quota of 10 per target/,
      ),
    ]);
  });
});

describe("packing the sample organization", () => {
  const everyControl = everyControlYaml();

  test("with every control on, every document fits the size quota and every target the attachment quota", async () => {
    const plan = await planBaseline(configFromYaml(everyControl), catalog);
    // Each control once, tamper protection (the largest) possibly in parts.
    const held = [...new Set(plan.scps.documents.flatMap((d) => d.controls).map((label) => label.replace(/ \(part \d+ of \d+\)$/, "")))];
    expect(held.sort()).toEqual(["approvedWorkspacesOnly[0]", ...SCP_CONTROLS.map((c) => c.id).filter((id) => id !== "approvedWorkspacesOnly")].sort());
    for (const d of plan.scps.documents) expect(d.content.length).toBeLessThanOrEqual(QUOTAS.scpSize.value);
    for (const t of plan.scps.targets) expect(t.total).toBeLessThanOrEqual(QUOTAS.scpsPerTarget.value);
  });

  test("a config that cannot fit fails, naming the target, the controls on it and their sizes", async () => {
    const crowded = everyControl.replace("  root:\n    id: r-a1b2", "  root:\n    id: r-a1b2\n    reservedScpSlots: 9");
    await expect(planBaseline(configFromYaml(crowded), catalog)).rejects.toThrow(
      /r-a1b2 \(root\): would carry \d+ SCPs \(FullAWSAccess \+ 9 reserved \+ claude-platform-baseline-root-1 \[denyServiceSpecificCredentials [\d,]+ chars, .*protectAuditTrail( \(part \d of \d\))? [\d,]+ chars.*\]/,
    );
  });

  test("every control in the config schema has an implementation", () => {
    expect(SCP_CONTROLS.map((c) => c.id).sort()).toEqual([...CONTROL_IDS].sort());
  });
});
