import { expect } from "chai";
import { checkReferenceStack, planProblems } from "../../terraform/check.js";
import type { PlannedResource } from "../../terraform/plan.js";
import { skipWhen, terraformOrSkip } from "./terraform-fixture.js";

const planned = (address: string, after: Record<string, unknown> = {}, actions = ["create"]): PlannedResource => ({
  address,
  type: address.split(".")[0]!,
  actions,
  after,
  afterUnknown: {},
});

describe("terraform plan of the synthesized stack", function () {
  this.timeout(120_000);

  it("validates and plans offline: every declared resource is created, internal methods are AWS_IAM", async function () {
    const cli = await terraformOrSkip(this);
    const result = await checkReferenceStack({ cli, env: {} });
    skipWhen(this, result);
    if (result.status !== "passed") return;
    const addresses = result.resources.map((r) => r.address);
    expect(addresses.filter((a) => a.startsWith("aws_api_gateway_rest_api."))).to.have.length(2);
    expect(addresses.filter((a) => a.startsWith("aws_lambda_function."))).to.have.length(3);
    expect(result.resources.filter((r) => r.type === "aws_iam_role_policy" && r.address.includes("grants"))).to.have.length(3);
    expect(addresses.filter((a) => a.startsWith("aws_dynamodb_table."))).to.have.length(1);
  });

  it("reports a resource that is declared but not planned, or planned as anything but create", () => {
    const problems = planProblems(["aws_iam_role.a", "aws_iam_role.b"], [planned("aws_iam_role.a", {}, ["delete", "create"])], []);
    expect(problems).to.deep.equal([
      "aws_iam_role.b is declared but not planned",
      "aws_iam_role.a is planned as delete,create, expected create",
    ]);
  });

  it("reports an internal method whose planned authorization is not AWS_IAM", () => {
    const method = "aws_api_gateway_method.users_get";
    expect(planProblems([method], [planned(method, { authorization: "NONE" })], [method])).to.deep.equal([
      `${method} of an internal API has authorization NONE, expected AWS_IAM`,
    ]);
    expect(planProblems([method], [planned(method, { authorization: "AWS_IAM" })], [method])).to.deep.equal([]);
  });
});
