import { expect } from "chai";
import { expr, renderBlock, renderString, renderValue, splitTemplate } from "../../modules/export/hcl.js";
import { policyExpression } from "../../modules/export/policy-expression.js";

describe("HCL rendering of synthesized Terraform JSON", () => {
  it("writes a lone reference bare and anything else as a quoted template", () => {
    expect(renderString("${aws_iam_role.this.arn}")).to.equal("aws_iam_role.this.arn");
    expect(renderString("${var.name}-role")).to.equal('"${var.name}-role"');
    expect(renderString("${a}${b}")).to.equal('"${a}${b}"');
  });

  it("escapes quotes and backslashes in literal text but not inside an interpolation", () => {
    expect(renderString('{"a":"${element(split(":", x), 4)}"}')).to.equal('"{\\"a\\":\\"${element(split(":", x), 4)}\\"}"');
    expect(renderString("a\\b\nc")).to.equal('"a\\\\b\\nc"');
  });

  it("keeps an escaped $${ literal and finds the end of nested braces", () => {
    expect(splitTemplate("$${x} ${merge({a = 1}, {})}!")).to.deep.equal([
      { literal: "$${x} " },
      { interpolation: "merge({a = 1}, {})" },
      { literal: "!" },
    ]);
    expect(() => splitTemplate("${unterminated")).to.throw(/unterminated interpolation/);
  });

  it("renders nested blocks as blocks, maps as attributes, meta-arguments first and last", () => {
    const text = renderBlock(
      ["resource", "aws_lambda_function", "this"],
      {
        depends_on: ["aws_cloudwatch_log_group.this"],
        environment: { variables: { A: "1" } },
        function_name: "${var.function_name}",
        for_each: expr("local.routes"),
        tags: { team: "x" },
        lifecycle: { create_before_destroy: true },
      },
      new Set(["environment"]),
    );
    expect(text).to.equal(`resource "aws_lambda_function" "this" {
  for_each      = local.routes
  function_name = var.function_name
  tags = {
    team = "x"
  }

  environment {
    variables = {
      A = "1"
    }
  }

  depends_on = [aws_cloudwatch_log_group.this]

  lifecycle {
    create_before_destroy = true
  }
}
`);
  });

  it("quotes object keys that are not identifiers", () => {
    expect(renderValue({ "aws:PrincipalAccount": ["1"] })).to.equal('{\n  "aws:PrincipalAccount" = ["1"]\n}');
  });
});

describe("policy JSON as jsonencode()", () => {
  const policy = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "Deny", Effect: "Deny", Condition: { StringNotEquals: { "aws:PrincipalAccount": ["${local.owner}", "999999999999"] } } },
      { Sid: "Allow", Effect: "Allow", Principal: { AWS: ["arn:aws:iam::999999999999:root"] } },
    ],
  });
  const options = {
    listExpansions: [{ sentinel: "999999999999", collection: "var.accounts", iterator: "account" }],
    conditionalStatements: { Allow: "length(var.accounts) > 0" },
  };

  it("turns a sentinel list element into the list variable, and a templated one into a for-expression", () => {
    const text = policyExpression(policy, options).text;
    expect(text).to.include('"aws:PrincipalAccount" = concat([local.owner], var.accounts)');
    expect(text).to.include('AWS = [for account in var.accounts : "arn:aws:iam::${account}:root"]');
  });

  it("includes a statement that needs an input only when the input is set", () => {
    const text = policyExpression(policy, options).text;
    expect(text).to.match(/length\(var.accounts\) > 0 \? \[\s+\{\s+Sid\s+= "Allow"/);
    expect(text).not.to.match(/\? \[\s+\{\s+Sid\s+= "Deny"/);
  });
});
