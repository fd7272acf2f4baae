import { expect } from "chai";
import type { ConditionValue } from "../../../local/auth/iam-conditions.js";
import { type EvaluatedPrincipal, evaluate } from "../../../local/auth/iam-evaluator.js";
import { parsePolicyDocument } from "../../../local/auth/iam-policy.js";

const TABLE = "arn:aws:dynamodb:eu-west-1:111111111111:table/users";
const CALLER: EvaluatedPrincipal = {
  arn: "arn:aws:sts::111111111111:assumed-role/users-fn/users-fn",
  roleArn: "arn:aws:iam::111111111111:role/users-fn",
  accountId: "111111111111",
};

function decide(condition: Record<string, Record<string, unknown>>, context: Record<string, ConditionValue>, effect: "Allow" | "Deny" = "Allow") {
  const statements = [{ Effect: "Allow", Action: "dynamodb:GetItem", Resource: TABLE }];
  if (effect === "Allow") statements[0] = { ...statements[0]!, Condition: condition } as typeof statements[0];
  else statements.push({ Effect: "Deny", Action: "dynamodb:GetItem", Resource: TABLE, Condition: condition } as typeof statements[0]);
  return evaluate({
    action: "dynamodb:GetItem",
    resource: TABLE,
    resourceAccountId: "111111111111",
    principal: CALLER,
    identityPolicies: [{ name: "p", document: parsePolicyDocument({ Version: "2012-10-17", Statement: statements }, "identity") }],
    serviceContext: new Map(Object.entries(context)),
  });
}

describe("IAM evaluation of multivalued keys (dynamodb:LeadingKeys, dynamodb:Attributes)", () => {
  const onlyOwn = { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": ["u-1"] } };

  it("ForAllValues allows when every request value is listed", () => {
    expect(decide(onlyOwn, { "dynamodb:leadingkeys": ["u-1"] }).decision).to.equal("Allow");
  });

  it("ForAllValues denies when one request value is not listed", () => {
    expect(decide(onlyOwn, { "dynamodb:leadingkeys": ["u-1", "u-2"] }).decision).to.equal("ImplicitDeny");
  });

  it("ForAllValues is true for an absent key (which is why AWS pairs it with dynamodb:Select)", () => {
    expect(decide({ "ForAllValues:StringEquals": { "dynamodb:Attributes": ["id"] } }, {}).decision).to.equal("Allow");
  });

  it("ForAnyValue needs one listed value", () => {
    const anyOf = { "ForAnyValue:StringEquals": { "dynamodb:Attributes": ["email"] } };
    expect(decide(anyOf, { "dynamodb:attributes": ["id", "email"] }).decision).to.equal("Allow");
    expect(decide(anyOf, { "dynamodb:attributes": ["id"] }).decision).to.equal("ImplicitDeny");
  });

  it("a Deny with ForAnyValue applies when any request value matches", () => {
    const denyEmail = { "ForAnyValue:StringEquals": { "dynamodb:Attributes": ["email"] } };
    expect(decide(denyEmail, { "dynamodb:attributes": ["id", "email"] }, "Deny").decision).to.equal("ExplicitDeny");
    expect(decide(denyEmail, { "dynamodb:attributes": ["id"] }, "Deny").decision).to.equal("Allow");
  });

  it("a single-valued operator on a multivalued key is unknown: no Allow relies on it", () => {
    const result = decide({ StringEquals: { "dynamodb:LeadingKeys": "u-1" } }, { "dynamodb:leadingkeys": ["u-1"] });
    expect(result.decision).to.equal("ImplicitDeny");
    expect(result.unsupported.join()).to.match(/needs ForAnyValue: or ForAllValues:/);
  });

  it("dynamodb:Select and dynamodb:ReturnValues are single-valued", () => {
    const specific = { StringEqualsIfExists: { "dynamodb:Select": "SPECIFIC_ATTRIBUTES" } };
    expect(decide(specific, { "dynamodb:select": "SPECIFIC_ATTRIBUTES" }).decision).to.equal("Allow");
    expect(decide(specific, { "dynamodb:select": "ALL_ATTRIBUTES" }).decision).to.equal("ImplicitDeny");
    expect(decide({ StringEquals: { "dynamodb:ReturnValues": "NONE" } }, { "dynamodb:returnvalues": "ALL_OLD" }).decision).to.equal("ImplicitDeny");
  });
});
