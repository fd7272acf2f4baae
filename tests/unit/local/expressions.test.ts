import { expect } from "chai";
import { evaluateExpression, ExpressionError, interpolate } from "../../../local/loader/expressions.js";

const values: Record<string, string> = {
  "aws_api_gateway_rest_api.api_1.execution_arn": "arn:aws:execute-api:eu-west-1:123456789012:abc123",
  "aws_iam_role.my-role_2.arn": "arn:aws:iam::123456789012:role/r",
};
const resolve = (path: readonly string[]) => values[path.join(".")];

describe("Terraform expressions in strings", () => {
  it("replaces each reference, keeping the text around it", () => {
    expect(interpolate("${aws_api_gateway_rest_api.api_1.execution_arn}/v1/GET/users/*", resolve)).to.equal(
      "arn:aws:execute-api:eu-west-1:123456789012:abc123/v1/GET/users/*",
    );
    expect(interpolate("a ${aws_iam_role.my-role_2.arn} b ${aws_iam_role.my-role_2.arn}", resolve)).to.equal(
      "a arn:aws:iam::123456789012:role/r b arn:aws:iam::123456789012:role/r",
    );
  });

  it("reads the owning account with element(split(\":\", arn), 4)", () => {
    expect(interpolate('["${element(split(":", aws_api_gateway_rest_api.api_1.execution_arn), 4)}"]', resolve)).to.equal('["123456789012"]');
  });

  it("wraps element() indexes like Terraform", () => {
    expect(evaluateExpression('element(split(",", "a,b,c"), 4)', resolve)).to.equal("b");
  });

  it("keeps $${ as a literal ${ and leaves $context variables alone", () => {
    expect(interpolate("$${not.a.reference} $context.error.messageString", resolve)).to.equal("${not.a.reference} $context.error.messageString");
  });

  it("leaves strings without interpolation unchanged", () => {
    expect(interpolate('{"Version":"2012-10-17"}', resolve)).to.equal('{"Version":"2012-10-17"}');
  });

  for (const [label, template, wanted] of [
    ["a function it does not know (jsonencode)", '${jsonencode({"a" = 1})}', /jsonencode\(\) is not supported/],
    ["a reference it cannot resolve", "${aws_iam_role.missing.arn}", /cannot resolve 'aws_iam_role.missing.arn'/],
    ["a variable", "${var.region}", /cannot resolve 'var.region'/],
    ["an unterminated interpolation", "${aws_iam_role.my-role_2.arn", /unterminated/],
    ["a template directive", "%{ if true }x%{ endif }", /directive/],
    ["a list where a string is needed", '${split(":", "a:b")}', /is a list/],
    ["arithmetic", "${1 + 2}", /unsupported character '\+'/],
    ["a bare name", "${foo}", /not a resource attribute reference/],
  ] as const) {
    it(`refuses ${label}`, () => {
      expect(() => interpolate(template, resolve)).to.throw(ExpressionError, wanted);
    });
  }
});
