import { expect } from "chai";
import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ApiGatewayCloudWatchRole } from "../../../modules/api-gateway-account.js";

function synthRole(props: ConstructorParameters<typeof ApiGatewayCloudWatchRole>[2] = {}): Record<string, any> {
  const stack = new TerraformStack(Testing.app(), "test");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  new ApiGatewayCloudWatchRole(stack, "apigw", props);
  return JSON.parse(Testing.synth(stack));
}

const trustOf = (json: Record<string, any>) => JSON.parse((Object.values(json.resource.aws_iam_role)[0] as { assume_role_policy: string }).assume_role_policy);

describe("ApiGatewayCloudWatchRole", () => {
  it("trusts API Gateway only when it acts for the given account", () => {
    const json = synthRole({ accountId: "111122223333" });
    expect(trustOf(json).Statement).to.deep.equal([
      {
        Effect: "Allow",
        Principal: { Service: "apigateway.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } },
      },
    ]);
    expect(json.data?.aws_caller_identity).to.equal(undefined);
  });

  it("defaults aws:SourceAccount to the deploying account, read from aws_caller_identity", () => {
    const json = synthRole();
    const [name] = Object.keys(json.data.aws_caller_identity);
    expect(trustOf(json).Statement[0].Condition.StringEquals["aws:SourceAccount"]).to.equal(`\${data.aws_caller_identity.${name}.account_id}`);
  });
});
