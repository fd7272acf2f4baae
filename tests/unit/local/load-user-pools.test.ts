import { expect } from "chai";
import { expectStop, loadJson } from "./fixtures/load-json.js";
import { userPoolStackJson } from "./fixtures/user-pool-stack.js";

/** Edits the user-pool stack, then expects loading to stop naming `address`. */
function expectStopAfter(edit: (json: Record<string, any>) => void, address: string, wanted: RegExp): void {
  const json = userPoolStackJson();
  edit(json);
  expectStop(json, address, wanted);
}

describe("loading user pools and COGNITO_USER_POOLS authorizers", () => {
  it("models each pool with Cognito's id, ARN and issuer, and its clients with their token lifetimes", () => {
    const model = loadJson(userPoolStackJson());
    const pools = [...model.userPools.values()];
    expect(pools.map((p) => p.name).sort()).to.deep.equal(["others", "users"]);
    const users = pools.find((p) => p.name === "users")!;
    expect(users.id).to.match(/^eu-west-1_[A-Za-z0-9]{9}$/);
    expect(users.arn).to.equal(`arn:aws:cognito-idp:eu-west-1:123456789012:userpool/${users.id}`);
    expect(users.issuer).to.equal(`https://cognito-idp.eu-west-1.amazonaws.com/${users.id}`);
    const clients = [...users.clients.values()];
    expect(clients.map((c) => [c.name, c.idTokenSeconds, c.accessTokenSeconds])).to.deep.equal([
      ["web", 900, 900],
      ["mobile", 3600, 3600],
    ]);
    expect(clients[0]!.id).to.match(/^[a-z0-9]{26}$/);
  });

  it("gives a COGNITO_USER_POOLS method its authorizer: pools, header and the client pattern", () => {
    const model = loadJson(userPoolStackJson());
    const pub = [...model.apis.values()].find((a) => a.name === "pub-api")!;
    const me = pub.root.children.find((c) => c.pathPart === "me")!.methods.get("GET")!;
    expect(me.authorization).to.equal("COGNITO_USER_POOLS");
    expect(me.authorizer!.userPools.map((p) => p.name)).to.deep.equal(["users"]);
    expect(me.authorizer!.tokenHeader).to.equal("authorization");
    const web = [...me.authorizer!.userPools[0]!.clients.values()].find((c) => c.name === "web")!;
    expect(me.authorizer!.audiencePattern!.test(web.id)).to.equal(true);
    const scoped = pub.root.children.find((c) => c.pathPart === "scoped")!.methods.get("GET")!;
    expect(scoped.scopes).to.deep.equal(["api/read"]);
    expect(scoped.authorizer!.audiencePattern).to.equal(undefined);
  });

  it("stops on an authorizer type it does not serve", () => {
    expectStopAfter((j) => (j.resource.aws_api_gateway_authorizer.any_client.type = "TOKEN"), "aws_api_gateway_authorizer.any_client", /authorizer type 'TOKEN' is not supported .*COGNITO_USER_POOLS only/);
  });

  it("stops on a provider ARN that is not a pool of the stack", () => {
    expectStopAfter(
      (j) => (j.resource.aws_api_gateway_authorizer.any_client.provider_arns = ["arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_elsewhere"]),
      "aws_api_gateway_authorizer.any_client",
      /provider_arns\[0\] 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool\/eu-west-1_elsewhere' is not a user pool of this stack/,
    );
  });

  it("stops on an identity source that is not one header", () => {
    expectStopAfter((j) => (j.resource.aws_api_gateway_authorizer.any_client.identity_source = "method.request.querystring.token"), "aws_api_gateway_authorizer.any_client", /identity_source/);
  });

  it("stops on a pool with triggers that rewrite tokens, or without email sign-in", () => {
    expectStopAfter((j) => (j.resource.aws_cognito_user_pool.users.lambda_config = { pre_token_generation: "arn" }), "aws_cognito_user_pool.users", /lambda_config is not modelled/);
    expectStopAfter((j) => delete j.resource.aws_cognito_user_pool.users.username_attributes, "aws_cognito_user_pool.users", /email sign-in only/);
  });

  it("stops on a method whose authorizer is missing or belongs to another API", () => {
    expectStopAfter((j) => (j.resource.aws_api_gateway_method.get_me.authorizer_id = "nope"), "aws_api_gateway_method.get_me", /authorizer_id 'nope' is not an authorizer of this method's REST API/);
  });

  it("stops on scopes with a client pattern, which AWS does not document for access tokens", () => {
    expectStopAfter(
      (j) => (j.resource.aws_api_gateway_method.get_me.authorization_scopes = ["api/read"]),
      "aws_api_gateway_method.get_me",
      /authorization_scopes with aws_api_gateway_authorizer.web_only's identity_validation_expression/,
    );
  });

  it("stops on token lifetimes Cognito would refuse", () => {
    expectStopAfter((j) => (j.resource.aws_cognito_user_pool_client.web.id_token_validity = 2), "aws_cognito_user_pool_client.web", /id_token_validity 2 minutes is outside/);
  });
});
