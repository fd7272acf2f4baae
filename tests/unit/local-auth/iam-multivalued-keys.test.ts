import { expect } from "chai";
import type { CallerPrincipal } from "../../../local/auth/caller-principal.js";
import { evaluate } from "../../../local/auth/iam-evaluator.js";
import { parsePolicyDocument, PolicyError } from "../../../local/auth/iam-policy.js";
import type { ServiceKeyValue } from "../../../local/auth/iam-request-context.js";

const TABLE = "arn:aws:dynamodb:eu-west-1:111111111111:table/users";
const CALLER: CallerPrincipal = {
  arn: "arn:aws:sts::111111111111:assumed-role/users-fn/users-fn",
  roleArn: "arn:aws:iam::111111111111:role/users-fn",
  accountId: "111111111111",
  userId: "AROAUSERSFN:users-fn",
  tokenIssuedAt: new Date("2026-01-01T00:00:00Z"),
  tags: {},
};

const policy = (statements: object[]) => [{ source: "p", document: parsePolicyDocument({ Version: "2012-10-17", Statement: statements }, "identity") }];

function decide(condition: Record<string, Record<string, unknown>>, keys: Record<string, ServiceKeyValue>, effect: "Allow" | "Deny" = "Allow") {
  const allow = { Effect: "Allow", Action: "dynamodb:GetItem", Resource: TABLE };
  const statements = effect === "Allow" ? [{ ...allow, Condition: condition }] : [allow, { Effect: "Deny", Action: "dynamodb:GetItem", Resource: TABLE, Condition: condition }];
  return evaluate({
    action: "dynamodb:GetItem",
    resource: TABLE,
    resourceAccountId: "111111111111",
    principal: CALLER,
    identityPolicies: policy(statements),
    requestTime: new Date("2026-01-01T00:00:00Z"),
    region: "eu-west-1",
    serviceKeys: new Map(Object.entries(keys)),
  }).decision;
}

describe("IAM evaluation of DynamoDB calls' condition keys", () => {
  const onlyOwn = { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": ["u-1"] } };

  it("ForAllValues allows when every request value is listed", () => {
    expect(decide(onlyOwn, { "dynamodb:leadingkeys": ["u-1"] })).to.equal("Allow");
  });

  it("ForAllValues denies when one request value is not listed", () => {
    expect(decide(onlyOwn, { "dynamodb:leadingkeys": ["u-1", "u-2"] })).to.equal("ImplicitDeny");
  });

  it("ForAllValues is true for an absent key (which is why AWS pairs it with dynamodb:Select)", () => {
    expect(decide({ "ForAllValues:StringEquals": { "dynamodb:Attributes": ["id"] } }, {})).to.equal("Allow");
  });

  it("ForAnyValue needs one listed value", () => {
    const anyOf = { "ForAnyValue:StringEquals": { "dynamodb:Attributes": ["email"] } };
    expect(decide(anyOf, { "dynamodb:attributes": ["id", "email"] })).to.equal("Allow");
    expect(decide(anyOf, { "dynamodb:attributes": ["id"] })).to.equal("ImplicitDeny");
  });

  it("a Deny with ForAnyValue applies when any request value matches", () => {
    const denyEmail = { "ForAnyValue:StringEquals": { "dynamodb:Attributes": ["email"] } };
    expect(decide(denyEmail, { "dynamodb:attributes": ["id", "email"] }, "Deny")).to.equal("ExplicitDeny");
    expect(decide(denyEmail, { "dynamodb:attributes": ["id"] }, "Deny")).to.equal("Allow");
  });

  it("dynamodb:Select and dynamodb:ReturnValues are single-valued", () => {
    const specific = { StringEqualsIfExists: { "dynamodb:Select": "SPECIFIC_ATTRIBUTES" } };
    expect(decide(specific, { "dynamodb:select": "SPECIFIC_ATTRIBUTES" })).to.equal("Allow");
    expect(decide(specific, { "dynamodb:select": "ALL_ATTRIBUTES" })).to.equal("ImplicitDeny");
    expect(decide({ StringEquals: { "dynamodb:ReturnValues": "NONE" } }, { "dynamodb:returnvalues": "ALL_OLD" })).to.equal("ImplicitDeny");
  });

  it("the DynamoDB keys are absent from other calls: an execute-api statement on them never allows", () => {
    expect(decide({ StringEquals: { "dynamodb:Select": "COUNT" } }, {})).to.equal("ImplicitDeny");
  });

  it("refuses at load a single-valued operator on a multivalued key, naming the statement", () => {
    expect(() => policy([{ Effect: "Allow", Action: "dynamodb:GetItem", Resource: TABLE, Condition: { StringEquals: { "dynamodb:LeadingKeys": "u-1" } } }])).to.throw(
      PolicyError,
      /Statement\[0\]\.Condition\.StringEquals\.dynamodb:LeadingKeys: 'dynamodb:LeadingKeys' is multivalued: use ForAnyValue:StringEquals or ForAllValues:StringEquals/,
    );
  });
});
