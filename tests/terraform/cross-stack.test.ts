import { expect } from "chai";
import { CrossStackReferenceError, crossStackInputs, type SynthesizedStack } from "../../terraform/cross-stack.js";

/** A producer shaped as CDKTF synthesizes one: an internal API, its stage, a role, and outputs of them. */
const users: SynthesizedStack = {
  provider: { aws: [{ region: "eu-west-1" }] },
  resource: {
    aws_api_gateway_rest_api: { users_api: { name: "users" } },
    aws_api_gateway_stage: { users_stage: { rest_api_id: "${aws_api_gateway_rest_api.users_api.id}", stage_name: "v1" } },
    aws_iam_role: { users_role: { name: "sia-users-role" } },
  },
  output: {
    "cross-stack-output-users_api-execution_arn": { value: "${aws_api_gateway_rest_api.users_api.execution_arn}", sensitive: true },
    "cross-stack-output-users_stage-invoke_url": { value: "${aws_api_gateway_stage.users_stage.invoke_url}", sensitive: true },
    users_role_arn: { value: "${aws_iam_role.users_role.arn}" },
    users_api_stage: { value: "v1" },
    summary: { value: '${jsonencode({ stage = "v1" })}' },
  },
};

const remoteState = (producer: string) => ({
  [`cross-stack-reference-input-${producer}`]: { backend: "local", config: { path: `/app/terraform.${producer}.tfstate` }, workspace: "${terraform.workspace}" },
});

/** A consumer reading `outputs` of the users stack through CDKTF's remote state. */
const orders = (...outputs: string[]): SynthesizedStack => ({
  data: { terraform_remote_state: remoteState("users") },
  resource: {
    aws_lambda_function: {
      orders: { environment: { variables: Object.fromEntries(outputs.map((o, i) => [`V${i}`, `\${data.terraform_remote_state.cross-stack-reference-input-users.outputs.${o}}`])) } },
    },
  },
});

const app = (consumer: SynthesizedStack) =>
  new Map([
    ["users", users],
    ["orders", consumer],
  ]);

const thrown = (run: () => unknown): CrossStackReferenceError => {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(CrossStackReferenceError);
    return error as CrossStackReferenceError;
  }
  throw new Error("expected a CrossStackReferenceError");
};

describe("cross-stack references planned offline", () => {
  it("stands in for exactly the outputs the producer declares, with fake values of AWS's shapes in its region", () => {
    const [input, ...others] = crossStackInputs("orders", app(orders("cross-stack-output-users_api-execution_arn", "cross-stack-output-users_stage-invoke_url")));
    expect(others).to.deep.equal([]);
    expect(input!.dataSource).to.equal("cross-stack-reference-input-users");
    expect(input!.producer).to.equal("users");
    expect(input!.outputsRead).to.deep.equal(["cross-stack-output-users_api-execution_arn", "cross-stack-output-users_stage-invoke_url"]);
    expect(Object.keys(input!.placeholders).sort()).to.deep.equal(Object.keys(users.output!).sort());

    const executionArn = input!.placeholders["cross-stack-output-users_api-execution_arn"]!;
    const apiId = /^arn:aws:execute-api:eu-west-1:123456789012:(fake[0-9a-f]{6})$/.exec(executionArn)?.[1];
    expect(apiId, executionArn).to.be.a("string");
    // Every attribute of one resource agrees: the stage's URL names the same placeholder API id.
    expect(input!.placeholders["cross-stack-output-users_stage-invoke_url"]).to.equal(`https://${apiId}.execute-api.eu-west-1.amazonaws.com/v1`);
    expect(input!.placeholders.users_role_arn).to.equal("arn:aws:iam::123456789012:role/sia-users-role");
    expect(input!.placeholders.users_api_stage).to.equal("v1");
  });

  it("writes the placeholders as a state of the producer, sensitive where the producer declares them so", () => {
    const [input] = crossStackInputs("orders", app(orders("users_role_arn")));
    const state = input!.state as { version: number; outputs: Record<string, { value: string; type: string; sensitive?: boolean }>; resources: unknown[] };
    expect(state.version).to.equal(4);
    expect(state.resources).to.deep.equal([]);
    expect(state.outputs["cross-stack-output-users_api-execution_arn"]).to.include({ type: "string", sensitive: true });
    expect(state.outputs.users_role_arn).to.deep.equal({ value: "arn:aws:iam::123456789012:role/sia-users-role", type: "string" });
  });

  it("refuses a consumer reading an output its producer does not declare, naming both stacks and the output", () => {
    const error = thrown(() => crossStackInputs("orders", app(orders("users_role_arn", "cross-stack-output-users_table-arn"))));
    expect(error.message).to.equal(
      "stack 'orders' reads output 'cross-stack-output-users_table-arn' of stack 'users' (data.terraform_remote_state.cross-stack-reference-input-users), but stack 'users' declares no such output",
    );
    expect(error).to.include({ consumer: "orders", producer: "users", output: "cross-stack-output-users_table-arn" });
  });

  it("refuses to guess a read output whose value has no known shape, and only stands in for it when no one reads it", () => {
    const error = thrown(() => crossStackInputs("orders", app(orders("summary"))));
    expect(error.message).to.match(/^stack 'orders' reads output 'summary' of stack 'users' \(value .*jsonencode.*\), which tf:check has no placeholder shape for/);
    const [unread] = crossStackInputs("orders", app(orders("users_api_stage")));
    expect(unread!.placeholders.summary).to.equal("tf:check placeholder of output summary of stack users, not read by stack orders");
  });

  it("refuses a remote state that is not a CDKTF cross-stack reference, and a producer the app does not have", () => {
    const s3: SynthesizedStack = { data: { terraform_remote_state: { network: { backend: "s3", config: { bucket: "b", key: "k" } } } } };
    expect(thrown(() => crossStackInputs("orders", app(s3))).message).to.equal(
      "stack 'orders': data.terraform_remote_state.network is not a CDKTF cross-stack reference (a local backend at terraform.<stack>.tfstate), so tf:check has no producer to stand in for",
    );
    const billing: SynthesizedStack = { data: { terraform_remote_state: remoteState("billing") } };
    expect(thrown(() => crossStackInputs("orders", app(billing))).message).to.equal(
      "stack 'orders' reads stack 'billing' through data.terraform_remote_state.cross-stack-reference-input-billing, but the app has no stack 'billing'",
    );
  });

  it("has nothing to stand in for in a stack without cross-stack references", () => {
    expect(crossStackInputs("users", app(orders()))).to.deep.equal([]);
  });
});
