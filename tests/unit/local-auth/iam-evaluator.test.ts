import { expect } from "chai";
import type { CallerPrincipal } from "../../../local/auth/caller-principal.js";
import { type DecisionCase, type EvaluationCase, evaluateCase, type Statement } from "./evaluation-cases.js";

const ACCOUNT = "111111111111";
const OTHER_ACCOUNT = "222222222222";
const API_ARN = `arn:aws:execute-api:eu-west-1:${ACCOUNT}:abc123`;
const GET_USER = `${API_ARN}/prod/GET/users/42`;
const INVOKE = "execute-api:Invoke";

const PROFILE: CallerPrincipal = {
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/profile-fn/profile-session`,
  roleArn: `arn:aws:iam::${ACCOUNT}:role/service/profile-fn`,
  accountId: ACCOUNT,
  userId: "AROAPROFILE:profile-session",
  tokenIssuedAt: new Date("2026-11-30T11:00:00Z"),
  tags: { team: "profiles", CostCenter: "12345" },
};
const IN_ORG: CallerPrincipal = { ...PROFILE, orgId: "o-abc123defg" };
const PARTNER: CallerPrincipal = {
  arn: `arn:aws:sts::${OTHER_ACCOUNT}:assumed-role/partner/partner-session`,
  roleArn: `arn:aws:iam::${OTHER_ACCOUNT}:role/partner`,
  accountId: OTHER_ACCOUNT,
  userId: "AROAPARTNER:partner-session",
  tokenIssuedAt: new Date("2026-11-30T11:00:00Z"),
  tags: {},
};
/** The instant every case is evaluated at. */
const NOW = new Date("2026-11-30T12:00:00Z");

type Case = DecisionCase;
const run = (c: EvaluationCase) =>
  evaluateCase(c, {
    principal: PROFILE,
    action: INVOKE,
    arn: GET_USER,
    accountId: ACCOUNT,
    apiArn: API_ARN,
    region: "eu-west-1",
    requestTime: NOW,
    sources: { identity: "role/profile-fn inline:invoke", boundary: "policy/boundary", resource: "resource policy of abc123" },
  });

const allow = (extra: Statement = {}): Statement => ({ Effect: "Allow", Action: INVOKE, Resource: GET_USER, ...extra });
const deny = (extra: Statement = {}): Statement => ({ Effect: "Deny", Action: INVOKE, Resource: GET_USER, ...extra });
const allowAnyone = (extra: Statement = {}): Statement => ({ Effect: "Allow", Principal: "*", Action: INVOKE, Resource: "execute-api:/*", ...extra });
const denyAnyone = (extra: Statement = {}): Statement => ({ Effect: "Deny", Principal: "*", Action: INVOKE, Resource: "execute-api:/*", ...extra });
/** An identity Allow guarded by one condition: the decision says whether the condition held. */
const allowIf = (condition: Record<string, Record<string, unknown>>): Statement[] => [allow({ Condition: condition })];

const CASES: Case[] = [
  // Which policies must allow
  { name: "same account: identity policy allows the exact ARN", identity: [allow()], expect: "Allow" },
  { name: "same account: no policy at all", expect: "ImplicitDeny" },
  { name: "same account: identity allows another route only", identity: [allow({ Resource: `${API_ARN}/prod/GET/users` })], expect: "ImplicitDeny" },
  { name: "same account: resource policy alone allows the role", resource: [allow({ Principal: { AWS: PROFILE.roleArn } })], expect: "Allow" },
  { name: "same account: resource policy for another role, no identity grant", resource: [allow({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/other` } })], expect: "ImplicitDeny" },
  { name: "same account: identity allows and the resource policy names someone else", identity: [allow()], resource: [allow({ Principal: { AWS: OTHER_ACCOUNT } })], expect: "Allow" },
  { name: "cross account: identity policy alone is not enough", principal: PARTNER, identity: [allow()], expect: "ImplicitDeny" },
  { name: "cross account: resource policy alone is not enough", principal: PARTNER, resource: [allow({ Principal: { AWS: PARTNER.roleArn } })], expect: "ImplicitDeny" },
  { name: "cross account: identity and resource policy both allow", principal: PARTNER, identity: [allow()], resource: [allow({ Principal: { AWS: PARTNER.roleArn } })], expect: "Allow" },
  { name: "anonymous: only a resource policy with Principal * can allow", principal: "anonymous", resource: [allowAnyone()], expect: "Allow" },
  { name: "anonymous: identity policies never apply", principal: "anonymous", identity: [allow()], expect: "ImplicitDeny" },
  { name: "anonymous: a principal naming an account does not match", principal: "anonymous", resource: [allow({ Principal: { AWS: ACCOUNT } })], expect: "ImplicitDeny" },

  // Explicit deny wins
  { name: "identity Deny beats identity Allow", identity: [allow(), deny()], expect: "ExplicitDeny" },
  { name: "resource policy Deny beats identity Allow", identity: [allow()], resource: [deny({ Principal: "*" })], expect: "ExplicitDeny" },
  { name: "identity Deny beats resource policy Allow", identity: [deny()], resource: [allow({ Principal: { AWS: PROFILE.roleArn } })], expect: "ExplicitDeny" },
  { name: "a Deny for another route does not apply", identity: [allow(), deny({ Resource: `${API_ARN}/prod/DELETE/*` })], expect: "Allow" },

  // Actions: case-insensitive, wildcards, NotAction
  { name: "action match ignores case", identity: [allow({ Action: "EXECUTE-API:invoke" })], expect: "Allow" },
  { name: "action wildcard execute-api:*", identity: [allow({ Action: "execute-api:*" })], expect: "Allow" },
  { name: "action wildcard * and a list", identity: [allow({ Action: ["s3:GetObject", "*"] })], expect: "Allow" },
  { name: "action wildcard ? matches one character", identity: [allow({ Action: "execute-api:Inv?ke" })], expect: "Allow" },
  { name: "another action does not match", identity: [allow({ Action: "execute-api:ManageConnections" })], expect: "ImplicitDeny" },
  { name: "NotAction Allow covers every other action", identity: [allow({ Action: undefined, NotAction: "execute-api:ManageConnections" })], expect: "Allow" },
  { name: "NotAction Allow excludes the named action", identity: [allow({ Action: undefined, NotAction: "execute-api:Invoke" })], expect: "ImplicitDeny" },
  { name: "NotAction Deny does not deny the excluded action", identity: [allow(), deny({ Action: undefined, NotAction: "execute-api:*" })], expect: "Allow" },

  // Resources: case-sensitive, * and ? across '/', NotResource, short form
  { name: "the iam-simulate mismatch: …:*/prod/GET/users/42 (api id by wildcard)", identity: [allow({ Resource: `arn:aws:execute-api:eu-west-1:${ACCOUNT}:*/prod/GET/users/42` })], expect: "Allow" },
  { name: "* spans several path segments", identity: [allow({ Resource: `${API_ARN}/prod/*/42` })], expect: "Allow" },
  { name: "* spans ':' between ARN parts", identity: [allow({ Resource: "arn:aws:execute-api:*" })], expect: "Allow" },
  { name: "? matches exactly one character", identity: [allow({ Resource: `${API_ARN}/prod/GET/users/4?` })], expect: "Allow" },
  { name: "? does not match two characters", identity: [allow({ Resource: `${API_ARN}/prod/GET/users/?` })], expect: "ImplicitDeny" },
  { name: "resource match is case-sensitive (get ≠ GET)", identity: [allow({ Resource: `${API_ARN}/prod/get/users/42` })], expect: "ImplicitDeny" },
  { name: "another stage does not match", identity: [allow({ Resource: `${API_ARN}/test/GET/users/42` })], expect: "ImplicitDeny" },
  { name: "a trailing /* needs something after the slash", identity: [allow({ Resource: `${API_ARN}/prod/GET/users/42/*` })], expect: "ImplicitDeny" },
  { name: "NotResource Deny applies outside the excluded routes", identity: [allow(), deny({ Resource: undefined, NotResource: `${API_ARN}/prod/GET/public/*` })], expect: "ExplicitDeny" },
  { name: "NotResource Deny spares the excluded route", identity: [allow(), deny({ Resource: undefined, NotResource: `${API_ARN}/prod/GET/users/*` })], expect: "Allow" },
  { name: "short form execute-api:/stage/METHOD/path in a resource policy", resource: [allow({ Principal: { AWS: ACCOUNT }, Resource: "execute-api:/prod/GET/users/*" })], expect: "Allow" },
  { name: "short form execute-api:/* covers the whole API", resource: [allowAnyone()], expect: "Allow" },
  { name: "short form for another method does not match", resource: [allowAnyone({ Resource: "execute-api:/*/POST/*" })], expect: "ImplicitDeny" },
  { name: "short form expands to this API only", arn: `arn:aws:execute-api:eu-west-1:${ACCOUNT}:zzz999/prod/GET/users/42`, resource: [allowAnyone()], identity: [], expect: "ImplicitDeny" },

  // Principals in resource policies
  { name: "Principal \"*\"", resource: [allowAnyone()], expect: "Allow" },
  { name: "Principal {AWS: \"*\"}", resource: [allowAnyone({ Principal: { AWS: "*" } })], expect: "Allow" },
  { name: "Principal account id", resource: [allowAnyone({ Principal: { AWS: ACCOUNT } })], expect: "Allow" },
  { name: "Principal account root ARN", resource: [allowAnyone({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } })], expect: "Allow" },
  { name: "Principal role ARN (with path) matches its sessions", resource: [allowAnyone({ Principal: { AWS: PROFILE.roleArn } })], expect: "Allow" },
  { name: "Principal assumed-role session ARN matches that session", resource: [allowAnyone({ Principal: { AWS: PROFILE.arn } })], expect: "Allow" },
  { name: "Principal: another session of the same role does not match", resource: [allowAnyone({ Principal: { AWS: `arn:aws:sts::${ACCOUNT}:assumed-role/profile-fn/other` } })], expect: "ImplicitDeny" },
  { name: "Principal: another account's root does not match", resource: [allowAnyone({ Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` } })], expect: "ImplicitDeny" },
  { name: "Principal: a Service principal never matches an IAM caller", resource: [allowAnyone({ Principal: { Service: "lambda.amazonaws.com" } })], expect: "ImplicitDeny" },


  // Condition operators and keys
  { name: "StringEquals aws:PrincipalAccount holds", identity: allowIf({ StringEquals: { "aws:PrincipalAccount": ACCOUNT } }), expect: "Allow" },
  { name: "StringEquals aws:PrincipalAccount fails", identity: allowIf({ StringEquals: { "aws:PrincipalAccount": OTHER_ACCOUNT } }), expect: "ImplicitDeny" },
  { name: "condition key names ignore case", identity: allowIf({ StringEquals: { "AWS:PRINCIPALACCOUNT": ACCOUNT } }), expect: "Allow" },
  { name: "several values of one key are ORed", identity: allowIf({ StringEquals: { "aws:PrincipalAccount": [OTHER_ACCOUNT, ACCOUNT] } }), expect: "Allow" },
  { name: "several keys of one operator are ANDed", identity: allowIf({ StringEquals: { "aws:PrincipalAccount": ACCOUNT, "aws:PrincipalArn": PARTNER.roleArn } }), expect: "ImplicitDeny" },
  { name: "several operators are ANDed", identity: allowIf({ StringEquals: { "aws:PrincipalAccount": ACCOUNT }, StringLike: { "aws:PrincipalArn": "*:role/nope" } }), expect: "ImplicitDeny" },
  { name: "StringNotEquals holds for another value", identity: allowIf({ StringNotEquals: { "aws:PrincipalAccount": OTHER_ACCOUNT } }), expect: "Allow" },
  { name: "StringNotEquals with several values is a NOR", identity: allowIf({ StringNotEquals: { "aws:PrincipalAccount": [OTHER_ACCOUNT, ACCOUNT] } }), expect: "ImplicitDeny" },
  { name: "StringEquals is case-sensitive", identity: allowIf({ StringEquals: { "aws:PrincipalArn": PROFILE.roleArn.toUpperCase() } }), expect: "ImplicitDeny" },
  { name: "StringEqualsIgnoreCase", identity: allowIf({ StringEqualsIgnoreCase: { "aws:PrincipalArn": PROFILE.roleArn.toUpperCase() } }), expect: "Allow" },
  { name: "StringNotEqualsIgnoreCase", identity: allowIf({ StringNotEqualsIgnoreCase: { "aws:PrincipalArn": PROFILE.roleArn.toUpperCase() } }), expect: "ImplicitDeny" },
  { name: "StringLike with * across '/'", identity: allowIf({ StringLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/*profile-*" } }), expect: "Allow" },
  { name: "StringNotLike", identity: allowIf({ StringNotLike: { "aws:PrincipalArn": "*profile*" } }), expect: "ImplicitDeny" },
  { name: "aws:PrincipalArn is the role ARN, not the session ARN", identity: allowIf({ StringEquals: { "aws:PrincipalArn": PROFILE.arn } }), expect: "ImplicitDeny" },
  { name: "ArnEquals on aws:PrincipalArn", identity: allowIf({ ArnEquals: { "aws:PrincipalArn": PROFILE.roleArn } }), expect: "Allow" },
  { name: "ArnLike matches part by part", identity: allowIf({ ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/service/*" } }), expect: "Allow" },
  { name: "ArnLike checks the six ARN parts separately: * cannot swallow ':'", identity: allowIf({ ArnLike: { "aws:PrincipalArn": "arn:aws:*:role/service/profile-fn" } }), expect: "ImplicitDeny" },
  { name: "StringLike on the same pattern does let * swallow ':'", identity: allowIf({ StringLike: { "aws:PrincipalArn": "arn:aws:*:role/service/profile-fn" } }), expect: "Allow" },
  { name: "ArnNotEquals", identity: allowIf({ ArnNotEquals: { "aws:PrincipalArn": PARTNER.roleArn } }), expect: "Allow" },
  { name: "ArnNotLike", identity: allowIf({ ArnNotLike: { "aws:PrincipalArn": "arn:aws:iam::111111111111:role/*" } }), expect: "ImplicitDeny" },
  { name: "Bool compares case-insensitively", identity: allowIf({ Bool: { "aws:SecureTransport": "TRUE" } }), expect: "Allow" },
  { name: "Null true: the key is absent", identity: allowIf({ Null: { "aws:PrincipalOrgID": "true" } }), expect: "Allow" },
  { name: "Null false: the key is present", principal: IN_ORG, identity: allowIf({ Null: { "aws:PrincipalOrgID": "false" } }), expect: "Allow" },
  { name: "Null true fails when the key is present", principal: IN_ORG, identity: allowIf({ Null: { "aws:PrincipalOrgID": true } }), expect: "ImplicitDeny" },
  { name: "aws:PrincipalOrgID matches", principal: IN_ORG, identity: allowIf({ StringEquals: { "aws:PrincipalOrgID": "o-abc123defg" } }), expect: "Allow" },
  { name: "missing key: a positive operator is false", identity: allowIf({ StringEquals: { "aws:PrincipalOrgID": "o-abc123defg" } }), expect: "ImplicitDeny" },
  { name: "missing key: a negated operator is true", identity: allowIf({ StringNotEquals: { "aws:PrincipalOrgID": "o-abc123defg" } }), expect: "Allow" },
  { name: "…IfExists is true when the key is missing", identity: allowIf({ StringEqualsIfExists: { "aws:PrincipalOrgID": "o-abc123defg" } }), expect: "Allow" },
  { name: "…IfExists still tests a present key", principal: IN_ORG, identity: allowIf({ StringEqualsIfExists: { "aws:PrincipalOrgID": "o-other" } }), expect: "ImplicitDeny" },
  { name: "ForAnyValue: with a present key", identity: allowIf({ "ForAnyValue:StringLike": { "aws:PrincipalAccount": ["1111*", "3333*"] } }), expect: "Allow" },
  { name: "ForAnyValue: with a missing key is false", identity: allowIf({ "ForAnyValue:StringEquals": { "aws:PrincipalOrgID": "o-abc123defg" } }), expect: "ImplicitDeny" },
  { name: "ForAllValues: with a missing key is (vacuously) true", identity: allowIf({ "ForAllValues:StringEquals": { "aws:PrincipalOrgID": "o-abc123defg" } }), expect: "Allow" },
  { name: "ForAllValues: with a present key that fails", principal: IN_ORG, identity: allowIf({ "ForAllValues:StringEquals": { "aws:PrincipalOrgID": "o-other" } }), expect: "ImplicitDeny" },
  { name: "IpAddress in a CIDR list", sourceIp: "198.51.100.7", identity: allowIf({ IpAddress: { "aws:SourceIp": ["192.0.2.0/24", "198.51.100.0/24"] } }), expect: "Allow" },
  { name: "IpAddress outside the range", sourceIp: "203.0.113.9", identity: allowIf({ IpAddress: { "aws:SourceIp": "198.51.100.0/24" } }), expect: "ImplicitDeny" },
  { name: "IpAddress with a bare address and an IPv4-mapped client", sourceIp: "::ffff:127.0.0.1", identity: allowIf({ IpAddress: { "aws:SourceIp": "127.0.0.1" } }), expect: "Allow" },
  { name: "IpAddress with IPv6", sourceIp: "2001:db8::1", identity: allowIf({ IpAddress: { "aws:SourceIp": "2001:db8::/32" } }), expect: "Allow" },
  { name: "NotIpAddress", sourceIp: "127.0.0.1", identity: allowIf({ NotIpAddress: { "aws:SourceIp": "10.0.0.0/8" } }), expect: "Allow" },
  { name: "IpAddress with no client address known", identity: allowIf({ IpAddress: { "aws:SourceIp": "0.0.0.0/0" } }), expect: "ImplicitDeny" },

  // AWS's documented examples
  {
    name: "AWS IAM example: any POST under mydemoresource in stage test (any account)",
    arn: "arn:aws:execute-api:us-east-1:123456789012:a123456789/test/POST/mydemoresource/items",
    identity: [{ Effect: "Allow", Action: ["execute-api:Invoke"], Resource: ["arn:aws:execute-api:us-east-1:*:a123456789/test/POST/mydemoresource/*"] }],
    principal: { ...PROFILE, accountId: "123456789012" },
    resourceAccountId: "123456789012",
    expect: "Allow",
  },
  {
    name: "AWS IAM example: any method on petstorewalkthrough/pets in any stage and region",
    arn: "arn:aws:execute-api:eu-west-1:123456789012:a123456789/beta/DELETE/petstorewalkthrough/pets",
    identity: [{ Effect: "Allow", Action: ["execute-api:Invoke"], Resource: ["arn:aws:execute-api:*:*:a123456789/*/*/petstorewalkthrough/pets"] }],
    principal: { ...PROFILE, accountId: "123456789012" },
    resourceAccountId: "123456789012",
    expect: "Allow",
  },
  {
    name: "AWS resource policy example: roles of another account (with their identity grant)",
    principal: PARTNER,
    identity: [allow({ Resource: `arn:aws:execute-api:*:*:*` })],
    resource: [{ Effect: "Allow", Principal: { AWS: [PARTNER.roleArn, `arn:aws:iam::${OTHER_ACCOUNT}:role/Admin`] }, Action: INVOKE, Resource: ["execute-api:/prod/GET/*"] }],
    expect: "Allow",
  },
  {
    name: "AWS resource policy example: deny traffic from a source IP range (caller inside it)",
    sourceIp: "192.0.2.10",
    resource: [allowAnyone(), denyAnyone({ Condition: { IpAddress: { "aws:SourceIp": ["192.0.2.0/24", "198.51.100.0/24"] } } })],
    expect: "ExplicitDeny",
  },
  {
    name: "AWS resource policy example: deny traffic from a source IP range (caller outside it)",
    sourceIp: "203.0.113.10",
    resource: [allowAnyone(), denyAnyone({ Condition: { IpAddress: { "aws:SourceIp": ["192.0.2.0/24", "198.51.100.0/24"] } } })],
    expect: "Allow",
  },
];

describe("local auth: IAM evaluator", () => {
  for (const c of CASES) {
    it(`${c.expect}: ${c.name}`, () => {
      const evaluation = run(c);
      expect(evaluation.decision, evaluation.reason).to.equal(c.expect);
    });
  }

  it("names the deciding statement: the Deny, with its Sid", () => {
    const evaluation = run({ identity: [allow({ Sid: "Grant" }), deny({ Sid: "Block" })] });
    expect(evaluation.decidedBy).to.deep.equal([{ policy: "role/profile-fn inline:invoke", index: 1, sid: "Block" }]);
    expect(evaluation.reason).to.equal("explicitly denied by role/profile-fn inline:invoke statement 1 (Sid Block)");
  });

  it("names both Allows of a cross-account grant", () => {
    const evaluation = run({ principal: PARTNER, identity: [allow()], resource: [allow({ Principal: { AWS: OTHER_ACCOUNT } })] });
    expect(evaluation.decidedBy.map((ref) => ref.policy)).to.deep.equal(["role/profile-fn inline:invoke", "resource policy of abc123"]);
  });

  it("says which side is missing in a cross-account implicit deny", () => {
    expect(run({ principal: PARTNER, identity: [allow()] }).reason).to.equal(
      `cross-account call: the resource policy does not allow ${INVOKE} on ${GET_USER}`,
    );
    expect(run({ principal: PARTNER, resource: [allow({ Principal: { AWS: OTHER_ACCOUNT } })] }).reason).to.match(/^cross-account call: the identity policies do not allow/);
  });

});
