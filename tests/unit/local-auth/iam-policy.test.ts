import { expect } from "chai";
import { parsePolicyDocument } from "../../../local/auth/iam-policy.js";
import { expectPolicyRejected } from "./policy-assertions.js";

const STATEMENT = { Effect: "Allow", Action: "execute-api:Invoke", Resource: "arn:aws:execute-api:eu-west-1:111111111111:abc/prod/GET/x" };

describe("local auth: IAM policy parsing", () => {
  it("normalizes strings to lists and a single Statement object to a list", () => {
    const doc = parsePolicyDocument({ Version: "2012-10-17", Statement: STATEMENT }, "identity");
    const { compiled, ...normalized } = doc.Statement[0]!;
    expect(doc.Statement).to.have.length(1);
    expect(normalized).to.deep.equal({ Effect: "Allow", Action: ["execute-api:Invoke"], Resource: [STATEMENT.Resource] });
    expect(compiled.resources).to.have.length(1);
  });

  it("parses JSON text, as Terraform's aws_iam_role_policy holds it", () => {
    const doc = parsePolicyDocument(JSON.stringify({ Version: "2012-10-17", Statement: [STATEMENT] }), "identity");
    expect(doc.Statement).to.have.length(1);
  });

  it("turns boolean and number condition values into strings", () => {
    const doc = parsePolicyDocument({ Statement: { ...STATEMENT, Action: "s3:ListBucket", Condition: { Bool: { "aws:SecureTransport": true }, NumericLessThan: { "s3:max-keys": 10 } } } }, "identity");
    expect(doc.Statement[0]!.Condition).to.deep.equal({ Bool: { "aws:SecureTransport": ["true"] }, NumericLessThan: { "s3:max-keys": ["10"] } });
  });

  it("keeps Principal and NotPrincipal of resource policies", () => {
    const doc = parsePolicyDocument({ Statement: [{ ...STATEMENT, Principal: { AWS: "111111111111" } }, { ...STATEMENT, Effect: "Deny", Principal: undefined, NotPrincipal: "*" }] }, "resource");
    expect(doc.Statement[0]!.Principal).to.deep.equal({ AWS: ["111111111111"] });
    expect(doc.Statement[1]!.NotPrincipal).to.equal("*");
  });

  it("stores a condition key named __proto__ as an ordinary key", () => {
    const doc = parsePolicyDocument(`{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"__proto__":"x"}}}}`, "identity");
    expect(Object.keys(doc.Statement[0]!.Condition!.StringEquals!)).to.deep.equal(["__proto__"]);
  });

  const invalid: Array<[string, unknown, "identity" | "resource", string, RegExp]> = [
    ["text that is not JSON", "{nope", "identity", "$", /not valid JSON/],
    ["an array document", [STATEMENT], "identity", "$", /JSON object/],
    ["an unknown top-level element", { Statement: STATEMENT, Extra: 1 }, "identity", "$", /unknown element 'Extra'/],
    ["an unknown Version", { Version: "2020-01-01", Statement: STATEMENT }, "identity", "Version", /2012-10-17/],
    ["no Statement", { Version: "2012-10-17" }, "identity", "Statement", /needs a Statement/],
    ["a bad Effect", { Statement: { ...STATEMENT, Effect: "allow" } }, "identity", "Statement[0].Effect", /'Allow' or 'Deny'/],
    ["Action and NotAction together", { Statement: { ...STATEMENT, NotAction: "s3:*" } }, "identity", "Statement[0]", /exactly one of Action or NotAction/],
    ["neither Resource nor NotResource", { Statement: { ...STATEMENT, Resource: undefined } }, "identity", "Statement[0]", /exactly one of Resource or NotResource/],
    ["an action without service prefix", { Statement: { ...STATEMENT, Action: "Invoke" } }, "identity", "Statement[0].Action", /not an action/],
    ["an empty resource list", { Statement: { ...STATEMENT, Resource: [] } }, "identity", "Statement[0].Resource", /must not be empty/],
    ["a non-string resource", { Statement: { ...STATEMENT, Resource: [42] } }, "identity", "Statement[0].Resource", /non-empty string/],
    ["a Principal in an identity policy", { Statement: { ...STATEMENT, Principal: "*" } }, "identity", "Statement[0]", /cannot name a Principal/],
    ["no Principal in a resource policy", { Statement: STATEMENT }, "resource", "Statement[0]", /exactly one of Principal or NotPrincipal/],
    ["a partial wildcard in a principal", { Statement: { ...STATEMENT, Principal: { AWS: "arn:aws:iam::111111111111:role/*" } } }, "resource", "Statement[0].Principal.AWS", /wildcards are not allowed/],
    ["an unknown statement element", { Statement: { ...STATEMENT, Conditions: {} } }, "identity", "Statement[0]", /unknown element 'Conditions'/],
    ["an object condition value", { Statement: { ...STATEMENT, Condition: { StringEquals: { "aws:PrincipalAccount": { a: 1 } } } } }, "identity", "Statement[0].Condition.StringEquals.aws:PrincipalAccount[0]", /strings, booleans or numbers/],
  ];
  for (const [what, input, kind, path, message] of invalid) {
    it(`rejects ${what}, naming where`, () => expectPolicyRejected(input, kind, path, message));
  }
});
