import { join } from "node:path";
import { expect } from "chai";
import { loadStack } from "../../../local/loader/load-stack.js";
import { ensureFreshSynth } from "../../../local/fresh-synth.js";
import { DEFAULT_STACK_DIR, PROJECT_ROOT } from "../../../local/offline-mode.js";
import type { StackModel } from "../../../local/model.js";
import { StackLoadError } from "../../../local/loader/terraform-json.js";
import { expectStop, loadJson, placement } from "./fixtures/load-json.js";
import { miniStackJson } from "./fixtures/mini-stack.js";
import { synthReferenceStack } from "../../synth/synthesized.js";

describe("loadStack on the reference stack", function () {
  this.timeout(30_000);
  let model: StackModel;
  before(() => {
    ensureFreshSynth(PROJECT_ROOT, join(DEFAULT_STACK_DIR, "cdk.tf.json"), () => undefined);
    model = loadStack({ stackDir: DEFAULT_STACK_DIR, ...placement });
  });

  const apiNamed = (suffix: string) => [...model.apis.values()].find((a) => a.name.endsWith(suffix))!;

  it("serves the internal API's routes as AWS_IAM methods of the users function", () => {
    const users = apiNamed("-users-internal");
    const byPath = users.root.children.find((c) => c.pathPart === "users")!;
    expect(byPath.methods.size).to.equal(0);
    expect(byPath.children[0]!.path).to.equal("/users/{id}");
    expect(byPath.children[0]!.methods.get("GET")).to.include({ authorization: "AWS_IAM", functionName: "sia-users" });
    expect(byPath.children[0]!.methods.get("PUT")).to.include({ authorization: "AWS_IAM", functionName: "sia-users" });
  });

  it("serves the public API's routes behind the user pool authorizer, with its gateway responses", () => {
    const pub = apiNamed("-public");
    const profile = pub.root.children.find((c) => c.pathPart === "users")!.children[0]!.children[0]!;
    expect(profile.path).to.equal("/users/{id}/profile");
    expect(profile.methods.get("GET")).to.include({ authorization: "COGNITO_USER_POOLS", functionName: "sia-profile" });
    const pool = [...model.userPools.values()][0]!;
    expect(profile.methods.get("GET")!.authorizer!.userPools).to.deep.equal([pool]);
    expect(profile.methods.get("GET")!.authorizer!.audiencePattern!.test([...pool.clients.keys()][0]!)).to.equal(true);
    const me = pub.root.children.find((c) => c.pathPart === "me")!;
    expect([...me.methods.keys()].sort()).to.deep.equal(["GET", "PUT"]);
    for (const method of me.methods.values()) expect(method).to.include({ authorization: "COGNITO_USER_POOLS", functionName: "sia-me" });
    expect(pub.gatewayResponses.get("MISSING_AUTHENTICATION_TOKEN")).to.include({ statusCode: 404, template: '{"message":"Not Found"}' });
    expect(pub.resourcePolicy).to.equal(undefined);
  });

  it("resolves the resource policy's owning account from the API's own execution ARN", () => {
    const users = apiNamed("-users-internal");
    const statement = users.resourcePolicy!.document.Statement[0]!;
    expect(statement.Resource).to.deep.equal([`arn:aws:execute-api:eu-west-1:123456789012:${users.id}/*`]);
    expect(statement.Condition).to.deep.equal({ StringNotEquals: { "aws:PrincipalAccount": ["123456789012"] } });
  });

  it("gives callers the users stage's local URL, the same value as the users_api_url output", () => {
    const users = apiNamed("-users-internal");
    const url = `http://127.0.0.1:4567/restapis/${users.id}/v1`;
    expect(model.functions.get("sia-profile")!.environment).to.deep.equal({ USERS_API_URL: url });
    expect(model.outputs.users_api_url).to.equal(url);
    expect(model.outputs.users_api_id).to.equal(users.id);
    expect(model.outputs.users_api_stage).to.equal("v1");
  });

  it("grants the profile role exactly GET /users/* of the users stage, and denies what is deeper", () => {
    const role = model.roles.get("arn:aws:iam::123456789012:role/sia-profile-role")!;
    const users = apiNamed("-users-internal");
    const grants = role.policies.flatMap((p) => p.document.Statement).filter((s) => s.Action?.includes("execute-api:Invoke"));
    const arn = `arn:aws:execute-api:eu-west-1:123456789012:${users.id}/v1/GET/users/*`;
    expect(grants.map((s) => [s.Effect, s.Resource])).to.deep.equal([["Allow", [arn]], ["Deny", [`${arn}/*`]]]);
  });

  it("reads the users table and grants the users role exactly GetItem and PutItem on its ARN", () => {
    const table = model.tables.get("sia-users")!;
    expect(table).to.deep.include({ name: "sia-users", arn: "arn:aws:dynamodb:eu-west-1:123456789012:table/sia-users", hashKey: "id" });
    expect(model.functions.get("sia-users")!.environment).to.deep.equal({ USERS_TABLE_NAME: "sia-users" });
    const role = model.roles.get("arn:aws:iam::123456789012:role/sia-users-role")!;
    const grants = role.policies.flatMap((p) => p.document.Statement).filter((s) => s.Action?.some((a) => a.startsWith("dynamodb:")));
    expect(grants.map((s) => [s.Action, s.Resource])).to.deep.equal([[["dynamodb:GetItem", "dynamodb:PutItem"], [table.arn]]]);
  });

  it("reads every function's zip, handler, role, timeout and memory", () => {
    const fn = model.functions.get("sia-users")!;
    expect(fn).to.include({ handler: "index.handler", runtime: "nodejs22.x", timeoutSeconds: 10, memoryMb: 256, roleArn: "arn:aws:iam::123456789012:role/sia-users-role" });
    expect(fn.zipPath).to.match(/assets\/.+\/sia-users\.zip$/);
  });

  it("scopes each Lambda permission to its route's execute-api ARN", () => {
    const users = apiNamed("-users-internal");
    expect(model.permissions.filter((p) => p.functionName === "sia-users").map((p) => p.sourceArn)).to.have.members([
      `arn:aws:execute-api:eu-west-1:123456789012:${users.id}/v1/GET/users/*`,
      `arn:aws:execute-api:eu-west-1:123456789012:${users.id}/v1/PUT/users/*`,
    ]);
  });

  it("keeps API ids stable across loads and distinct between APIs", () => {
    const again = loadStack({ stackDir: DEFAULT_STACK_DIR, ...placement, endpoint: "http://127.0.0.1:1" });
    expect([...again.apis.keys()]).to.deep.equal([...model.apis.keys()]);
    expect(new Set(model.apis.keys()).size).to.equal(2);
    for (const id of model.apis.keys()) expect(id).to.match(/^[a-z0-9]{10}$/);
  });
});

describe("loadStack on hand-written stacks", () => {
  it("loads the mini stack with its stage variables, throttling absent, and outputs", () => {
    const model = loadJson(miniStackJson());
    const pub = [...model.apis.values()].find((a) => a.name === "pub-api")!;
    expect(pub.stages.get("prod")!.variables).to.deep.equal({ mode: "test" });
    expect(pub.stages.get("prod")!.throttle).to.equal(undefined);
    expect(model.outputs.caller_role_arn).to.equal("arn:aws:iam::123456789012:role/caller-role");
    expect(model.roles.get("arn:aws:iam::123456789012:role/fn-role")!.policies).to.deep.equal([]);
  });

  it("reads a stage's throttling from method settings on */*", () => {
    const json = miniStackJson();
    json.resource.aws_api_gateway_method_settings = {
      s: { rest_api_id: "${aws_api_gateway_rest_api.pub_api.id}", stage_name: "${aws_api_gateway_stage.pub.stage_name}", method_path: "*/*", settings: { throttling_rate_limit: 5, throttling_burst_limit: 10 } },
    };
    const pub = [...loadJson(json).apis.values()].find((a) => a.name === "pub-api")!;
    expect(pub.stages.get("prod")!.throttle).to.deep.equal({ rateLimit: 5, burstLimit: 10 });
  });

  it("adds the documented statements of a known AWS-managed policy that grants execute-api", () => {
    const json = miniStackJson();
    json.resource.aws_iam_role_policy_attachment.invoke = { role: "caller-role", policy_arn: "arn:aws:iam::aws:policy/AmazonAPIGatewayInvokeFullAccess" };
    const role = loadJson(json).roles.get("arn:aws:iam::123456789012:role/caller-role")!;
    expect(role.policies.map((p) => p.source)).to.include("arn:aws:iam::aws:policy/AmazonAPIGatewayInvokeFullAccess");
  });

  it("stops on a resource type it neither reads nor ignores", () => {
    const json = miniStackJson();
    json.resource.aws_sqs_queue = { q: { name: "q" } };
    expectStop(json, "aws_sqs_queue.q", /resource type aws_sqs_queue is not supported/);
  });

  it("refuses the reference stack synthesized with SIA_WAF=true, naming a WAF resource's address", function () {
    this.timeout(60_000);
    const { stackDir } = synthReferenceStack({ SIA_WAF: "true" });
    let error: unknown;
    try {
      loadStack({ stackDir, ...placement });
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(StackLoadError);
    expect((error as StackLoadError).address).to.match(/^aws_wafv2_web_acl(_association)?\.waf_/);
    expect((error as Error).message).to.match(/start the offline mode without SIA_WAF/);
  });

  it("refuses an AWS WAF web ACL and its association, naming the address and saying to start without SIA_WAF", () => {
    const withAcl = miniStackJson();
    withAcl.resource.aws_wafv2_web_acl = { waf: { name: "apis", scope: "REGIONAL" } };
    expectStop(withAcl, "aws_wafv2_web_acl.waf", /^aws_wafv2_web_acl\.waf: AWS WAF rules .* cannot be evaluated offline; start the offline mode without SIA_WAF/);
    const withAssociation = miniStackJson();
    withAssociation.resource.aws_wafv2_web_acl_association = { pub: { resource_arn: "${aws_api_gateway_stage.pub.arn}", web_acl_arn: "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/1" } };
    expectStop(withAssociation, "aws_wafv2_web_acl_association.pub", /cannot be evaluated offline; start the offline mode without SIA_WAF/);
  });

  it("stops on a policy rendered with jsonencode (HCL object syntax)", () => {
    const json = miniStackJson();
    json.resource.aws_iam_role_policy.grant.policy = '${jsonencode({"Version" = "2012-10-17", "Statement" = []})}';
    expectStop(json, "aws_iam_role_policy.grant", /jsonencode\(\) is not supported/);
  });

  it("stops on a reference to a resource that does not exist", () => {
    const json = miniStackJson();
    json.resource.aws_lambda_permission.item.source_arn = "${aws_api_gateway_rest_api.gone.execution_arn}/prod/GET/items/*";
    expectStop(json, "aws_lambda_permission.item", /cannot resolve 'aws_api_gateway_rest_api.gone.execution_arn'/);
  });

  it("stops on a method authorization it cannot enforce", () => {
    const json = miniStackJson();
    json.resource.aws_api_gateway_method.get_item.authorization = "CUSTOM";
    expectStop(json, "aws_api_gateway_method.get_item", /authorization 'CUSTOM' is not supported/);
  });

  it("stops on an integration that is not a Lambda proxy", () => {
    const json = miniStackJson();
    json.resource.aws_api_gateway_integration.get_item.type = "HTTP_PROXY";
    expectStop(json, "aws_api_gateway_integration.get_item", /integration type 'HTTP_PROXY' is not supported/);
  });

  it("stops on a method without an integration", () => {
    const json = miniStackJson();
    delete json.resource.aws_api_gateway_integration.get_item;
    expectStop(json, "aws_api_gateway_method.get_item", /has no aws_api_gateway_integration/);
  });

  it("stops on an AWS-managed policy it does not know", () => {
    const json = miniStackJson();
    json.resource.aws_iam_role_policy_attachment.basic.policy_arn = "arn:aws:iam::aws:policy/PowerUserAccess";
    expectStop(json, "aws_iam_role_policy_attachment.basic", /PowerUserAccess is neither/);
  });

  it("stops on a policy the evaluator would reject", () => {
    const json = miniStackJson();
    json.resource.aws_iam_role_policy.grant.policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Maybe", Action: "execute-api:Invoke", Resource: "*" }] });
    expectStop(json, "aws_iam_role_policy.grant", /is not a valid identity policy/);
  });

  it("stops on a duplicate Sid, naming the address and the statement", () => {
    const json = miniStackJson();
    const statement = { Effect: "Allow", Action: "execute-api:Invoke", Resource: "*" };
    json.resource.aws_iam_role_policy.grant.policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ ...statement, Sid: "A" }, { ...statement, Sid: "A" }] });
    expectStop(json, "aws_iam_role_policy.grant", /Statement\[1\]\.Sid: Sid 'A' is already used by Statement\[0\]/);
  });

  it("stops on a condition key it cannot evaluate exactly, naming address, statement and key", () => {
    const json = miniStackJson();
    json.resource.aws_iam_role_policy.grant.policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "execute-api:Invoke", Resource: "*", Condition: { Bool: { "aws:ViaAWSService": "false" } } }],
    });
    expectStop(json, "aws_iam_role_policy.grant", /Statement\[0\]\.Condition\.Bool\.aws:ViaAWSService/);
  });

  it("reads a role's permissions boundary and its tags over the provider's default_tags", () => {
    const json = miniStackJson() as ReturnType<typeof miniStackJson> & { provider: { aws: Array<Record<string, unknown>> } };
    json.provider.aws[0]!.default_tags = [{ tags: { env: "dev", team: "platform" } }];
    Object.assign(json.resource.aws_iam_role.caller_role, { permissions_boundary: "${aws_iam_policy.boundary.arn}", tags: { team: "callers" } });
    Object.assign(json.resource, {
      aws_iam_policy: { boundary: { name: "boundary", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "execute-api:Invoke", Resource: "*" }] }) } },
    });
    const role = [...loadJson(json).roles.values()].find((r) => r.name === "caller-role")!;
    expect(role.permissionsBoundary?.source).to.equal("aws_iam_policy.boundary");
    expect(role.tags).to.deep.equal({ env: "dev", team: "callers" });
  });

  it("stops on a role argument it does not model", () => {
    const json = miniStackJson();
    Object.assign(json.resource.aws_iam_role.caller_role, { name_prefix: "x" });
    expectStop(json, "aws_iam_role.caller_role", /argument name_prefix is not modelled/);
  });

  it("stops on a greedy path part", () => {
    const json = miniStackJson();
    json.resource.aws_api_gateway_resource.item.path_part = "{proxy+}";
    expectStop(json, "aws_api_gateway_resource.item", /greedy/);
  });

  it("stops on a gateway response template variable it does not fill", () => {
    const json = miniStackJson();
    json.resource.aws_api_gateway_gateway_response.pub_4xx.response_templates["application/json"] = '{"m":"$context.authorizer.claims"}';
    expectStop(json, "aws_api_gateway_gateway_response.pub_4xx", /\$context\.authorizer\.claims/);
  });

  it("stops on a function whose zip is missing", () => {
    const json = miniStackJson();
    json.resource.aws_lambda_function.fn.filename = "assets/missing.zip";
    expectStop(json, "aws_lambda_function.fn", /does not exist/);
  });

  it("stops on an output that is not a string", () => {
    const json = miniStackJson();
    json.output.list = { value: ["a"] };
    expectStop(json, "output.list", /only string, number and boolean outputs/);
  });

  it("stops on a count or for_each", () => {
    const json = miniStackJson();
    json.resource.aws_iam_role.caller_role.count = 2;
    expectStop(json, "aws_iam_role.caller_role", /count\/for_each/);
  });

  it("ignores the resource types on its explicit list", () => {
    const json = miniStackJson();
    json.resource.aws_api_gateway_account = { a: { cloudwatch_role_arn: "${aws_iam_role.fn_role.arn}" } };
    expect(() => loadJson(json)).to.not.throw();
  });
  it("stops on a function that sets its own AWS endpoint, which would bypass the local one", () => {
    const json = miniStackJson();
    json.resource.aws_lambda_function.fn.environment = { variables: { AWS_ENDPOINT_URL_S3: "https://s3.amazonaws.com" } };
    expectStop(json, "aws_lambda_function.fn", /AWS_ENDPOINT_URL_S3: the offline mode sends every AWS SDK call to its local endpoint/);
  });

  describe("aws_dynamodb_table", () => {
    const withTable = (table: Record<string, unknown>) => {
      const json = miniStackJson();
      json.resource.aws_dynamodb_table = { t: { name: "things", billing_mode: "PAY_PER_REQUEST", hash_key: "pk", range_key: "sk", attribute: [{ name: "pk", type: "S" }, { name: "sk", type: "N" }, { name: "email", type: "S" }], ...table } };
      return json;
    };

    it("reads keys, GSIs and LSIs as declared", () => {
      const model = loadJson(withTable({
        global_secondary_index: [{ name: "by-email", hash_key: "email", projection_type: "KEYS_ONLY" }],
        local_secondary_index: [{ name: "by-email-local", range_key: "email", projection_type: "ALL" }],
      }));
      const table = model.tables.get("things")!;
      expect(table).to.deep.include({ hashKey: "pk", rangeKey: "sk", arn: "arn:aws:dynamodb:eu-west-1:123456789012:table/things" });
      expect(table.globalSecondaryIndexes).to.deep.equal([{ name: "by-email", hashKey: "email", projectionType: "KEYS_ONLY", nonKeyAttributes: [] }]);
      expect(table.localSecondaryIndexes).to.deep.equal([{ name: "by-email-local", hashKey: "pk", rangeKey: "email", projectionType: "ALL", nonKeyAttributes: [] }]);
    });

    const refusals: Array<[string, Record<string, unknown>, RegExp]> = [
      ["streams", { stream_enabled: true, stream_view_type: "NEW_IMAGE" }, /stream_enabled: DynamoDB Streams are not emulated offline/],
      ["TTL", { ttl: { attribute_name: "expires", enabled: true } }, /ttl: TTL expiry is not emulated offline/],
      ["provisioned capacity", { billing_mode: "PROVISIONED", read_capacity: 1, write_capacity: 1 }, /billing_mode PROVISIONED: provisioned capacity/],
      ["a key without an attribute block", { hash_key: "nope" }, /hash_key 'nope' has no attribute block/],
    ];
    for (const [what, table, message] of refusals) {
      it(`stops start-up on ${what}, naming the table's address`, () => {
        expectStop(withTable(table), "aws_dynamodb_table.t", message);
      });
    }
  });
});
