import { expect } from "chai";
import { lambdaEnvironment } from "../../../local/runner/lambda-environment.js";
import type { FunctionModel } from "../../../local/model.js";

const fn: FunctionModel = {
  address: "aws_lambda_function.users",
  name: "users",
  arn: "arn:aws:lambda:eu-west-1:123456789012:function:users",
  invokeArn: "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:users/invocations",
  zipPath: "/tmp/users.zip",
  handler: "index.handler",
  runtime: "nodejs22.x",
  timeoutSeconds: 10,
  memoryMb: 256,
  environment: { USERS_TABLE_NAME: "users" },
  roleArn: "arn:aws:iam::123456789012:role/users-role",
  logGroupName: "/aws/lambda/users",
};
const credentials = { accessKeyId: "LOCALFAKEFIXTURE", secretAccessKey: "fixture-secret", sessionToken: "fixture-token" };

describe("lambdaEnvironment", () => {
  it("points every AWS SDK call at the local AWS endpoint: DynamoDB and the catch-all", () => {
    const env = lambdaEnvironment(fn, credentials, "eu-west-1", "/task", "http://127.0.0.1:4567");
    expect(env).to.include({ AWS_ENDPOINT_URL: "http://127.0.0.1:4567", AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:4567", USERS_TABLE_NAME: "users" });
  });

  it("sets no endpoint when there is no local AWS endpoint", () => {
    const env = lambdaEnvironment(fn, credentials, "eu-west-1", "/task");
    expect(Object.keys(env).filter((k) => k.startsWith("AWS_ENDPOINT_URL"))).to.deep.equal([]);
  });
});
