/**
 * AWS's documented rules, one table per page, with negative cases. Each case cites its page;
 * local/auth/README.md maps every rule to the test that proves it.
 */
import { expect } from "chai";
import type { CallerPrincipal } from "../../../local/auth/caller-principal.js";
import { parsePolicyDocument } from "../../../local/auth/iam-policy.js";
import { type DecisionCase, type EvaluationCase, evaluateCase, type Statement } from "./evaluation-cases.js";
import { expectPolicyRejected } from "./policy-assertions.js";

const ACCOUNT = "111122223333";
const OTHER = "444455556666";
const API_ARN = `arn:aws:execute-api:us-east-1:${ACCOUNT}:a123456789`;
const GET_PETS = `${API_ARN}/prod/GET/pets`;
const INVOKE = "execute-api:Invoke";
const NOW = new Date("2026-11-30T12:00:00Z");

const session = (account: string, role: string, name: string, extra: Partial<CallerPrincipal> = {}): CallerPrincipal => ({
  arn: `arn:aws:sts::${account}:assumed-role/${role}/${name}`,
  roleArn: `arn:aws:iam::${account}:role/${role}`,
  accountId: account,
  userId: `AROA${role.toUpperCase()}:${name}`,
  tokenIssuedAt: new Date("2026-11-30T11:30:00Z"),
  tags: {},
  ...extra,
});
const AUDIT = session(ACCOUNT, "audit", "audit-app");
const AUDIT_OTHER_SESSION = session(ACCOUNT, "audit", "someone-else");
const BUILD = session(ACCOUNT, "build", "ci");
const PARTNER = session(OTHER, "partner", "p1");

type Case = DecisionCase;
const run = (c: EvaluationCase) =>
  evaluateCase(c, {
    principal: AUDIT,
    action: INVOKE,
    arn: GET_PETS,
    accountId: ACCOUNT,
    apiArn: API_ARN,
    region: "us-east-1",
    requestTime: NOW,
    sources: { identity: "aws_iam_role_policy.grant", boundary: "aws_iam_policy.boundary", resource: "aws_api_gateway_rest_api_policy.pets" },
  });

const allow = (extra: Statement = {}): Statement => ({ Effect: "Allow", Action: INVOKE, Resource: GET_PETS, ...extra });
const grantTo = (principal: unknown, extra: Statement = {}): Statement => ({ Effect: "Allow", Principal: principal, Action: INVOKE, Resource: "execute-api:/*", ...extra });
const denyAllBut = (notPrincipal: string[]): Statement => ({ Effect: "Deny", NotPrincipal: { AWS: notPrincipal }, Action: INVOKE, Resource: "execute-api:/*" });
const allowIf = (condition: Record<string, Record<string, unknown>>): Statement[] => [allow({ Condition: condition })];
const root = (account: string) => `arn:aws:iam::${account}:root`;

function table(title: string, cases: Case[]): void {
  describe(title, () => {
    for (const c of cases) {
      it(`${c.expect}: ${c.name}`, () => {
        const evaluation = run(c);
        expect(evaluation.decision, evaluation.reason).to.equal(c.expect);
      });
    }
  });
}

describe("local auth: AWS's documented IAM rules", () => {
  table("IAM JSON policy elements: NotPrincipal (Deny, account + role + session)", [
    { name: "AWS example: the named session of the named role in the named account is exempt", identity: [allow()], resource: [denyAllBut([AUDIT.arn, AUDIT.roleArn, root(ACCOUNT)])], expect: "Allow" },
    { name: "AWS example: another session of that role is not (only the named session is exempt)", principal: AUDIT_OTHER_SESSION, identity: [allow()], resource: [denyAllBut([AUDIT.arn, AUDIT.roleArn, root(ACCOUNT)])], expect: "ExplicitDeny" },
    { name: "role ARN + account root: every session of that role is exempt", principal: AUDIT_OTHER_SESSION, identity: [allow()], resource: [denyAllBut([AUDIT.roleArn, root(ACCOUNT)])], expect: "Allow" },
    { name: "account root beside a role does NOT exempt the account's other roles", principal: BUILD, identity: [allow()], resource: [denyAllBut([AUDIT.roleArn, root(ACCOUNT)])], expect: "ExplicitDeny" },
    { name: "another account's role is denied", principal: PARTNER, identity: [allow()], resource: [grantTo({ AWS: OTHER }), denyAllBut([AUDIT.roleArn, root(ACCOUNT)])], expect: "ExplicitDeny" },
    { name: "an anonymous caller is denied", principal: "anonymous", resource: [grantTo("*"), denyAllBut([AUDIT.roleArn, root(ACCOUNT)])], expect: "ExplicitDeny" },
    { name: "a principal with a permissions boundary is always denied, even when named", identity: [allow()], boundary: [allow()], resource: [denyAllBut([AUDIT.roleArn, root(ACCOUNT)])], expect: "ExplicitDeny" },
  ]);

  table("IAM JSON policy elements: Principal (role ARN vs assumed-role session ARN)", [
    { name: "a role ARN matches its sessions", resource: [grantTo({ AWS: AUDIT.roleArn })], principal: AUDIT_OTHER_SESSION, expect: "Allow" },
    { name: "a session ARN matches only that session", resource: [grantTo({ AWS: AUDIT.arn })], principal: AUDIT_OTHER_SESSION, expect: "ImplicitDeny" },
    { name: "an account root matches every principal of that account", resource: [grantTo({ AWS: root(ACCOUNT) })], principal: BUILD, expect: "Allow" },
  ]);

  table("Permissions boundaries for IAM entities / Policy evaluation logic", [
    { name: "identity allows, boundary allows: Allow", identity: [allow()], boundary: [allow()], expect: "Allow" },
    { name: "identity allows, boundary does not: ImplicitDeny", identity: [allow()], boundary: [allow({ Resource: `${API_ARN}/prod/POST/*` })], expect: "ImplicitDeny" },
    { name: "boundary allows but no identity policy does: ImplicitDeny (a boundary grants nothing)", boundary: [allow()], expect: "ImplicitDeny" },
    { name: "a Deny in the boundary is an explicit deny", identity: [allow()], boundary: [allow(), { Effect: "Deny", Action: INVOKE, Resource: "*" }], expect: "ExplicitDeny" },
    { name: "same account: a resource policy naming the role ARN is limited by the boundary", resource: [grantTo({ AWS: AUDIT.roleArn })], boundary: [allow({ Resource: `${API_ARN}/prod/POST/*` })], expect: "ImplicitDeny" },
    { name: "same account: a resource policy naming the session ARN is not limited by the boundary", resource: [grantTo({ AWS: AUDIT.arn })], boundary: [allow({ Resource: `${API_ARN}/prod/POST/*` })], expect: "Allow" },
    { name: "same account: a resource policy for \"*\" is limited by the boundary", resource: [grantTo("*")], boundary: [allow({ Resource: `${API_ARN}/prod/POST/*` })], expect: "ImplicitDeny" },
    { name: "cross account: the boundary limits the identity side", principal: PARTNER, identity: [allow()], boundary: [allow({ Resource: `${API_ARN}/prod/POST/*` })], resource: [grantTo({ AWS: PARTNER.roleArn })], expect: "ImplicitDeny" },
  ]);

  table("AWS global condition context keys: the request context of an IAM-signed execute-api call", [
    { name: "aws:SecureTransport is true (execute-api is HTTPS-only)", identity: allowIf({ Bool: { "aws:SecureTransport": "true" } }), expect: "Allow" },
    { name: "the documented deny-insecure-transport statement does not deny", identity: [allow(), { Effect: "Deny", Action: "*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }], expect: "Allow" },
    { name: "aws:CurrentTime before a date", identity: allowIf({ DateLessThan: { "aws:CurrentTime": "2027-01-01T00:00:00Z" } }), expect: "Allow" },
    { name: "aws:CurrentTime after a date that has not come", identity: allowIf({ DateGreaterThan: { "aws:CurrentTime": "2027-01-01T00:00:00Z" } }), expect: "ImplicitDeny" },
    { name: "aws:EpochTime as a number", identity: allowIf({ NumericGreaterThanEquals: { "aws:EpochTime": String(NOW.getTime() / 1000) } }), expect: "Allow" },
    { name: "aws:EpochTime as a date (epoch seconds in the policy)", identity: allowIf({ DateLessThan: { "aws:EpochTime": String(NOW.getTime() / 1000 + 1) } }), expect: "Allow" },
    { name: "aws:TokenIssueTime is the session's issue time", identity: allowIf({ DateGreaterThan: { "aws:TokenIssueTime": "2026-11-30T11:00:00Z" } }), expect: "Allow" },
    { name: "aws:PrincipalTag from the role's tags", principal: session(ACCOUNT, "audit", "audit-app", { tags: { team: "audit" } }), identity: allowIf({ StringEquals: { "aws:PrincipalTag/team": "audit" } }), expect: "Allow" },
    { name: "aws:PrincipalTag of a tag the role lacks is absent", identity: allowIf({ StringEquals: { "aws:PrincipalTag/team": "audit" } }), expect: "ImplicitDeny" },
    { name: "aws:PrincipalIsAWSService is false for a role session", identity: allowIf({ Bool: { "aws:PrincipalIsAWSService": "false" } }), expect: "Allow" },
    { name: "aws:MultiFactorAuthPresent is false for a role session (API Gateway: present with temporary credentials)", identity: [allow(), { Effect: "Deny", Action: "*", Resource: "*", Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } } }], expect: "ExplicitDeny" },
    { name: "aws:MultiFactorAuthAge is absent without MFA: NumericLessThan is false", identity: allowIf({ NumericLessThan: { "aws:MultiFactorAuthAge": "3600" } }), expect: "ImplicitDeny" },
    { name: "an anonymous caller has no aws:MultiFactorAuthPresent", principal: "anonymous", resource: [grantTo("*", { Condition: { Null: { "aws:MultiFactorAuthPresent": "true" } } })], expect: "Allow" },
    { name: "aws:PrincipalOrgID from --organization-id", principal: session(ACCOUNT, "audit", "a", { orgId: "o-a1b2c3d4e5" }), identity: allowIf({ StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } }), expect: "Allow" },
    { name: "aws:PrincipalOrgID is absent without an organization", identity: allowIf({ StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } }), expect: "ImplicitDeny" },
    { name: "aws:RequestedRegion is the API's region", identity: allowIf({ StringEquals: { "aws:RequestedRegion": "us-east-1" } }), expect: "Allow" },
    { name: "aws:UserAgent from the header", userAgent: "got (https://github.com/sindresorhus/got)", identity: allowIf({ StringLike: { "aws:UserAgent": "got *" } }), expect: "Allow" },
    { name: "aws:SourceVpce is absent on the public endpoint: Null true", identity: allowIf({ Null: { "aws:SourceVpce": "true" } }), expect: "Allow" },
    { name: "aws:SourceVpce absent: StringEquals is false", identity: allowIf({ StringEquals: { "aws:SourceVpce": "vpce-1a2b3c4d" } }), expect: "ImplicitDeny" },
    { name: "aws:SourceVpce absent: StringEqualsIfExists is true", identity: allowIf({ StringEqualsIfExists: { "aws:SourceVpce": "vpce-1a2b3c4d" } }), expect: "Allow" },
    { name: "aws:SourceVpce absent: the documented private-API Deny (StringNotEquals) applies", identity: [allow()], resource: [grantTo("*"), { Effect: "Deny", Principal: "*", Action: INVOKE, Resource: "execute-api:/*", Condition: { StringNotEquals: { "aws:SourceVpce": "vpce-1a2b3c4d" } } }], expect: "ExplicitDeny" },
    { name: "anonymous callers have no principal keys: Null aws:PrincipalArn true", principal: "anonymous", resource: [grantTo("*", { Condition: { Null: { "aws:PrincipalArn": "true" } } })], expect: "Allow" },
  ]);

  table("IAM JSON policy elements: Condition operators (every family, absent keys, set operators)", [
    { name: "NumericLessThan", identity: allowIf({ NumericLessThan: { "aws:EpochTime": "1" } }), expect: "ImplicitDeny" },
    { name: "NumericNotEquals", identity: allowIf({ NumericNotEquals: { "aws:EpochTime": "1" } }), expect: "Allow" },
    { name: "DateEquals with the exact instant", identity: allowIf({ DateEquals: { "aws:CurrentTime": "2026-11-30T12:00:00Z" } }), expect: "Allow" },
    { name: "DateNotEquals", identity: allowIf({ DateNotEquals: { "aws:CurrentTime": "2026-11-30T12:00:00Z" } }), expect: "ImplicitDeny" },
    { name: "DateGreaterThanEquals", identity: allowIf({ DateGreaterThanEquals: { "aws:TokenIssueTime": "2026-11-30T11:30:00Z" } }), expect: "Allow" },
    { name: "BinaryEquals on a key AWS does not set is false", identity: allowIf({ BinaryEquals: { "aws:SourceVpce": "QmluYXJ5VmFsdWVJbkJhc2U2NA==" } }), expect: "ImplicitDeny" },
    { name: "BinaryEqualsIfExists on a key AWS does not set is true", identity: allowIf({ BinaryEqualsIfExists: { "aws:SourceVpce": "QmluYXJ5VmFsdWVJbkJhc2U2NA==" } }), expect: "Allow" },
    { name: "IpAddress", sourceIp: "203.0.113.5", identity: allowIf({ IpAddress: { "aws:SourceIp": "203.0.113.0/24" } }), expect: "Allow" },
    { name: "NotIpAddress", sourceIp: "203.0.113.5", identity: allowIf({ NotIpAddress: { "aws:SourceIp": "203.0.113.0/24" } }), expect: "ImplicitDeny" },
    { name: "ArnLike on aws:PrincipalArn", identity: allowIf({ ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT}:role/aud*` } }), expect: "Allow" },
    { name: "ForAllValues: on an absent key is true (empty set)", identity: allowIf({ "ForAllValues:StringEquals": { "aws:TagKeys": ["team"] } }), expect: "Allow" },
    { name: "ForAnyValue: on an absent key is false (empty set)", identity: allowIf({ "ForAnyValue:StringEquals": { "aws:TagKeys": ["team"] } }), expect: "ImplicitDeny" },
    { name: "Null false on an absent key is false", identity: allowIf({ Null: { "aws:Referer": "false" } }), expect: "ImplicitDeny" },
  ]);

  table("IAM policy elements: Variables and tags / Version", [
    { name: "${aws:PrincipalAccount} in a Resource (2012-10-17)", identity: [allow({ Resource: "arn:aws:execute-api:us-east-1:${aws:PrincipalAccount}:a123456789/*" })], expect: "Allow" },
    { name: "${aws:PrincipalTag/team} in a Resource, tag absent: matches nothing", identity: [allow({ Resource: `${API_ARN}/prod/GET/\${aws:PrincipalTag/team}` })], arn: `${API_ARN}/prod/GET/`, expect: "ImplicitDeny" },
    { name: "${aws:PrincipalTag/team, 'pets'} falls back to its default", identity: [allow({ Resource: `${API_ARN}/prod/GET/\${aws:PrincipalTag/team, 'pets'}` })], expect: "Allow" },
    { name: "${*} is a literal asterisk, not a wildcard", identity: [allow({ Resource: `${API_ARN}/prod/GET/\${*}` })], expect: "ImplicitDeny" },
    { name: "${*} matches a literal asterisk", identity: [allow({ Resource: `${API_ARN}/prod/GET/\${*}` })], arn: `${API_ARN}/prod/GET/*`, expect: "Allow" },
    { name: "${?} and ${$} are literal", identity: [allow({ Resource: `${API_ARN}/prod/GET/\${$}\${?}` })], arn: `${API_ARN}/prod/GET/$?`, expect: "Allow" },
    { name: "a variable in a condition value", identity: allowIf({ StringEquals: { "aws:PrincipalTag/team": "${aws:PrincipalAccount}" } }), principal: session(ACCOUNT, "audit", "a", { tags: { team: ACCOUNT } }), expect: "Allow" },
    { name: "a variable without value: StringNotEquals matches the null (AWS: 'Policy variables with no value')", identity: allowIf({ StringNotEquals: { "aws:PrincipalAccount": "${aws:PrincipalTag/missing}" } }), expect: "Allow" },
    { name: "in a 2008-10-17 policy a variable is literal text", version: "2008-10-17", identity: [allow({ Resource: "arn:aws:execute-api:us-east-1:${aws:PrincipalAccount}:a123456789/*" })], expect: "ImplicitDeny" },
    { name: "in a policy without Version a variable is literal text too", version: "none", identity: [allow({ Resource: "arn:aws:execute-api:us-east-1:${aws:PrincipalAccount}:a123456789/*" })], expect: "ImplicitDeny" },
    { name: "in a 2008-10-17 policy the literal text matches itself", version: "2008-10-17", identity: [allow({ Resource: `${API_ARN}/prod/GET/\${aws:username}` })], arn: `${API_ARN}/prod/GET/\${aws:username}`, expect: "Allow" },
  ]);
});

describe("local auth: what AWS refuses, or the offline mode cannot evaluate exactly, stops at load", () => {
  const invalid: Array<[what: string, statements: Statement[], kind: "identity" | "resource", path: string, message: RegExp]> = [
    ["a duplicate Sid", [allow({ Sid: "Same" }), allow({ Sid: "Same" })], "identity", "Statement[1].Sid", /Sid 'Same' is already used by Statement\[0\]/],
    ["a Resource that is neither an ARN nor *", [allow({ Resource: "pets" })], "identity", "Statement[0].Resource", /'pets' is not a resource/],
    ["API Gateway's short form in an identity policy", [allow({ Resource: "execute-api:/*" })], "identity", "Statement[0].Resource", /not a resource/],
    ["an unknown operator", allowIf({ StringEqualz: { "aws:PrincipalAccount": ACCOUNT } }), "identity", "Statement[0].Condition.StringEqualz", /not a condition operator/],
    ["a misspelt operator (case matters)", allowIf({ stringequals: { "aws:PrincipalAccount": ACCOUNT } }), "identity", "Statement[0].Condition.stringequals", /not a condition operator/],
    ["Null with IfExists", allowIf({ NullIfExists: { "aws:Referer": "true" } }), "identity", "Statement[0].Condition.NullIfExists", /not a condition operator/],
    ["a key the offline mode does not know", allowIf({ StringEquals: { "aws:MadeUpKey": "x" } }), "identity", "Statement[0].Condition.StringEquals.aws:MadeUpKey", /cannot be evaluated offline/],
    ["aws:ViaAWSService (AWS sets it 'for most services')", allowIf({ Bool: { "aws:ViaAWSService": "false" } }), "identity", "Statement[0].Condition.Bool.aws:ViaAWSService", /most services/],
    ["aws:SourceArn (its value on a direct call is not documented)", allowIf({ ArnLike: { "aws:SourceArn": "arn:aws:sns:*:*:*" } }), "identity", "Statement[0].Condition.ArnLike.aws:SourceArn", /without saying what it holds/],
    ["aws:ResourceTag (not documented for execute-api)", allowIf({ StringEquals: { "aws:ResourceTag/env": "prod" } }), "identity", "Statement[0].Condition.StringEquals.aws:ResourceTag/env", /resource tags/],
    ["an operator that does not fit the key's type", allowIf({ NumericEquals: { "aws:PrincipalArn": "1" } }), "identity", "Statement[0].Condition.NumericEquals.aws:PrincipalArn", /does not fit/],
    ["a value that is not a date", allowIf({ DateLessThan: { "aws:CurrentTime": "next week" } }), "identity", "Statement[0].Condition.DateLessThan.aws:CurrentTime[0]", /not an ISO 8601 date/],
    ["an invalid CIDR", allowIf({ IpAddress: { "aws:SourceIp": "10.0.0.0/33" } }), "identity", "Statement[0].Condition.IpAddress.aws:SourceIp[0]", /not an IP address/],
    ["Bool with a value other than true/false", allowIf({ Bool: { "aws:SecureTransport": "yes" } }), "identity", "Statement[0].Condition.Bool.aws:SecureTransport[0]", /'true' or 'false'/],
    ["a policy variable naming an unknown key", [allow({ Resource: `${API_ARN}/\${aws:nope}` })], "identity", "Statement[0].Resource", /variable 'aws:nope'/],
    ["a policy variable without its closing brace", [allow({ Resource: `${API_ARN}/\${aws:username` })], "identity", "Statement[0].Resource", /closing brace/],
    ["an identity-policy Sid with a space", [allow({ Sid: "has space" })], "identity", "Statement[0].Sid", /ASCII letters and digits/],
    ["NotPrincipal with Allow", [{ Effect: "Allow", NotPrincipal: { AWS: [AUDIT.roleArn, root(ACCOUNT)] }, Action: INVOKE, Resource: "execute-api:/*" }], "resource", "Statement[0].NotPrincipal", /must be used with "Effect": "Deny"/],
    ["NotPrincipal naming a role without its account", [denyAllBut([AUDIT.roleArn])], "resource", "Statement[0].NotPrincipal", /without its account/],
    ["NotPrincipal naming a session without its role", [denyAllBut([AUDIT.arn, root(ACCOUNT)])], "resource", "Statement[0].NotPrincipal", /without its role's ARN/],
    ["NotPrincipal naming an account alone", [denyAllBut([root(ACCOUNT)])], "resource", "Statement[0].NotPrincipal", /without any of its roles/],
    ["a principal that is not an AWS principal", [grantTo({ AWS: "audit" })], "resource", "Statement[0].Principal.AWS", /not an AWS principal/],
    ["an unknown principal type", [grantTo({ Aws: ACCOUNT })], "resource", "Statement[0].Principal", /not a principal type/],
  ];
  for (const [what, statements, kind, path, message] of invalid) {
    it(`refuses ${what}, naming the statement`, () => expectPolicyRejected({ Version: "2012-10-17", Statement: statements }, kind, path, message));
  }

  it("checks only the operators of statements about other services (their keys are not evaluated here)", () => {
    const doc = parsePolicyDocument({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "dynamodb:GetItem", Resource: "*", Condition: { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": ["${aws:userid}"] } } }] }, "identity");
    expect(doc.Statement).to.have.length(1);
  });
});
