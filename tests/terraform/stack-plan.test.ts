import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { ORDERS_STACK_NAME, STACK_NAME } from "../../main.js";
import { checkApp, planProblems, stacksInDependencyOrder, type AppCheckResult, type StackPlanResult } from "../../terraform/check.js";
import type { TerraformCli } from "../../terraform/cli.js";
import type { PlannedResource } from "../../terraform/plan.js";
import { skipWhen, terraformOrSkip } from "./terraform-fixture.js";

const planned = (address: string, after: Record<string, unknown> = {}, actions = ["create"]): PlannedResource => ({
  address,
  type: address.split(".")[0]!,
  actions,
  after,
  afterUnknown: {},
});

/** One synth and plan of the app for every test that reads it (planning both stacks takes a while). */
let appCheck: Promise<AppCheckResult> | undefined;
const checkedApp = (cli: TerraformCli) => (appCheck ??= checkApp({ cli, env: {} }));

/** The planned resources of `type` in `stack`. */
const ofType = (stack: StackPlanResult, type: string) => stack.resources.filter((r) => r.type === type);

describe("terraform plan of the synthesized app", function () {
  this.timeout(180_000);

  it("plans every stack, dependencies first: every declared resource is created, internal methods are AWS_IAM", async function () {
    const result = await checkedApp(await terraformOrSkip(this));
    skipWhen(this, result);
    if (result.status !== "passed") return;
    expect(result.stacks.map((s) => s.stack)).to.deep.equal([STACK_NAME, ORDERS_STACK_NAME]);
    const reference = result.stacks[0]!;
    expect(ofType(reference, "aws_api_gateway_rest_api")).to.have.length(2);
    expect(ofType(reference, "aws_lambda_function")).to.have.length(3);
    expect(ofType(reference, "aws_iam_role_policy").filter((r) => r.address.includes("grants"))).to.have.length(3);
    expect(ofType(reference, "aws_dynamodb_table")).to.have.length(1);
    expect(reference.crossStackInputs).to.deep.equal([]);
  });

  it("plans the orders stack against placeholders of the users stack's outputs: its function, its exact grant on users, its public API", async function () {
    const result = await checkedApp(await terraformOrSkip(this));
    skipWhen(this, result);
    if (result.status !== "passed") return;
    const orders = result.stacks[1]!;
    const [input] = orders.crossStackInputs;
    expect(orders.crossStackInputs).to.have.length(1);
    expect(input!.producer).to.equal(STACK_NAME);
    // CDKTF names a cross-stack output `cross-stack-output-<resource type><construct id><attribute>`.
    const placeholder = (output: RegExp) => Object.entries(input!.placeholders).find(([name]) => output.test(name))![1];
    const executionArn = placeholder(/^cross-stack-output-aws_api_gateway_rest_api.*execution_arn$/);
    expect(executionArn).to.match(/^arn:aws:execute-api:us-east-1:123456789012:fake[0-9a-f]{6}$/);

    const [fn] = ofType(orders, "aws_lambda_function");
    expect(fn!.after.function_name).to.equal("sia-orders");
    expect(fn!.after.environment).to.deep.equal([{ variables: { USERS_API_URL: placeholder(/^cross-stack-output-aws_api_gateway_stage.*invoke_url$/) } }]);

    const grants = ofType(orders, "aws_iam_role_policy").find((r) => r.address.includes("grants"));
    expect(JSON.parse(grants!.after.policy as string).Statement).to.deep.equal([
      { Effect: "Allow", Action: "execute-api:Invoke", Resource: `${executionArn}/v1/GET/users/*` },
      { Effect: "Deny", Action: "execute-api:Invoke", Resource: [`${executionArn}/v1/GET/users/*/*`] },
    ]);

    expect(ofType(orders, "aws_api_gateway_rest_api").map((r) => r.after.name)).to.deep.equal(["sia-orders-public"]);
    expect(ofType(orders, "aws_api_gateway_method").map((r) => [r.after.http_method, r.after.authorization])).to.deep.equal([["POST", "COGNITO_USER_POOLS"]]);
    const [authorizer] = ofType(orders, "aws_api_gateway_authorizer");
    const userPoolArn = placeholder(/^cross-stack-output-aws_cognito_user_pool(?!_client).*arn$/);
    expect(authorizer!.after.provider_arns).to.deep.equal([userPoolArn]);
    expect(userPoolArn).to.match(/^arn:aws:cognito-idp:us-east-1:123456789012:userpool\/us-east-1_fake[0-9a-f]{5}$/);
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

describe("stacks of a synthesized app, in dependency order", () => {
  const withManifest = (stacks: Record<string, readonly string[]>, check: (appDir: string) => void) => {
    const appDir = mkdtempSync(join(tmpdir(), "sia-manifest-"));
    try {
      const entries = Object.entries(stacks).map(([name, dependencies]) => [
        name,
        { synthesizedStackPath: `stacks/${name}/cdk.tf.json`, workingDirectory: `stacks/${name}`, dependencies },
      ]);
      writeFileSync(join(appDir, "manifest.json"), JSON.stringify({ stacks: Object.fromEntries(entries) }));
      check(appDir);
    } finally {
      rmSync(appDir, { recursive: true, force: true });
    }
  };

  it("puts every stack after the stacks it depends on, whatever the manifest's order", () => {
    withManifest({ orders: ["users"], billing: ["orders", "users"], users: [] }, (appDir) => {
      expect(stacksInDependencyOrder(appDir).map((s) => s.name)).to.deep.equal(["users", "orders", "billing"]);
      expect(stacksInDependencyOrder(appDir)[0]).to.deep.include({ dir: join(appDir, "stacks/users"), file: join(appDir, "stacks/users/cdk.tf.json") });
    });
  });

  it("refuses a dependency cycle and a dependency on a stack the app does not have", () => {
    withManifest({ a: ["b"], b: ["a"] }, (appDir) => expect(() => stacksInDependencyOrder(appDir)).to.throw("stack 'a' depends on itself through a -> b -> a"));
    withManifest({ a: ["missing"] }, (appDir) => expect(() => stacksInDependencyOrder(appDir)).to.throw("stack 'a' depends on stack 'missing', which is not in the app"));
  });
});
