import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { NodeFunction } from "../../../modules/node-function.js";
import { PublicApi, type PublicApiProps, type PublicRoute } from "../../../modules/public-api.js";
import { UserPool } from "../../../modules/user-pool.js";

const buildDir = mkdtempSync(join(tmpdir(), "sia-fn-"));

/** A stack with one function, a user pool and a public API built by `routes(fn)`. */
function synthPublicApi(routes: (fn: NodeFunction) => PublicRoute[], props: { withPool?: boolean; clientIds?: boolean } = {}): Record<string, any> {
  const stack = new TerraformStack(Testing.app(), "test");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  const fn = new NodeFunction(stack, "fn", { entry: "lambdas/users/handler.ts", functionName: "test-fn", buildDir });
  let userPool: PublicApiProps["userPool"];
  if (props.withPool !== false) {
    const pool = new UserPool(stack, "pool", { name: "test-users" });
    userPool = { userPoolArn: pool.userPoolArn, clientIds: props.clientIds === false ? undefined : pool.clientIds };
  }
  new PublicApi(stack, "web", { name: "web", routes: routes(fn), userPool });
  return JSON.parse(Testing.synth(stack));
}

const methods = (json: Record<string, any>) => Object.values(json.resource.aws_api_gateway_method) as Array<Record<string, any>>;

describe("PublicApi", () => {
  describe("every route states its authorization, at synth time", () => {
    it("fails a route without an authorization, naming the construct and the route", () => {
      expect(() => synthPublicApi((fn) => [{ method: "GET", path: "/me", function: fn } as unknown as PublicRoute])).to.throw(
        /route GET \/me in PublicApi 'web' states no authorization: write authorization: "NONE"/,
      );
    });

    it("fails an authorization a public route cannot have (AWS_IAM belongs to internal APIs)", () => {
      expect(() => synthPublicApi((fn) => [{ method: "GET", path: "/me", function: fn, authorization: "AWS_IAM" as never }])).to.throw(
        /route GET \/me in PublicApi 'web' has authorization 'AWS_IAM'/,
      );
    });

    it("fails a COGNITO_USER_POOLS route on an API without a user pool", () => {
      expect(() => synthPublicApi((fn) => [{ method: "GET", path: "/me", function: fn, authorization: "COGNITO_USER_POOLS" }], { withPool: false })).to.throw(
        /route GET \/me in PublicApi 'web' is COGNITO_USER_POOLS but the API has no userPool/,
      );
    });

    it("fails scopes on a NONE route and empty scopes", () => {
      expect(() => synthPublicApi((fn) => [{ method: "GET", path: "/a", function: fn, authorization: "NONE", scopes: ["x/read"] }])).to.throw(/has scopes but is not COGNITO_USER_POOLS/);
      expect(() => synthPublicApi((fn) => [{ method: "GET", path: "/a", function: fn, authorization: "COGNITO_USER_POOLS", scopes: [] }], { clientIds: false })).to.throw(
        /has scopes that are not OAuth scope names/,
      );
    });

    it("fails scopes together with a client restriction, which API Gateway matches against the aud access tokens lack", () => {
      expect(() => synthPublicApi((fn) => [{ method: "GET", path: "/a", function: fn, authorization: "COGNITO_USER_POOLS", scopes: ["api/read"] }])).to.throw(
        /has scopes \(access tokens, no 'aud'\) but the userPool restricts clientIds/,
      );
    });
  });

  describe("the COGNITO_USER_POOLS authorizer", () => {
    it("puts signed-in routes behind one authorizer on the pool, reading the Authorization header, limited to the pool's clients", () => {
      const json = synthPublicApi((fn) => [
        { method: "GET", path: "/me", function: fn, authorization: "COGNITO_USER_POOLS" },
        { method: "GET", path: "/health", function: fn, authorization: "NONE" },
      ]);
      const authorizers = Object.entries(json.resource.aws_api_gateway_authorizer) as Array<[string, Record<string, any>]>;
      expect(authorizers).to.have.length(1);
      const [name, authorizer] = authorizers[0]!;
      expect(authorizer).to.include({ type: "COGNITO_USER_POOLS", identity_source: "method.request.header.Authorization" });
      expect(authorizer.provider_arns).to.deep.equal([`\${aws_cognito_user_pool.${Object.keys(json.resource.aws_cognito_user_pool)[0]}.arn}`]);
      expect(authorizer.identity_validation_expression).to.match(/^\^\(\$\{aws_cognito_user_pool_client\.[^}]+\.id\}\)\$$/);
      const byAuth = Object.fromEntries(methods(json).map((m) => [m.authorization, m]));
      expect(byAuth.COGNITO_USER_POOLS.authorizer_id).to.equal(`\${aws_api_gateway_authorizer.${name}.id}`);
      expect(byAuth.NONE.authorizer_id).to.equal(undefined);
    });

    it("passes a route's scopes to its method, so that it takes access tokens", () => {
      const json = synthPublicApi((fn) => [{ method: "GET", path: "/a", function: fn, authorization: "COGNITO_USER_POOLS", scopes: ["api/read"] }], { clientIds: false });
      expect(methods(json)[0]!.authorization_scopes).to.deep.equal(["api/read"]);
      expect(Object.values(json.resource.aws_api_gateway_authorizer as Record<string, any>)[0]!.identity_validation_expression).to.equal(undefined);
    });

    it("creates no authorizer when every route is NONE", () => {
      const json = synthPublicApi((fn) => [{ method: "GET", path: "/a", function: fn, authorization: "NONE" }]);
      expect(json.resource.aws_api_gateway_authorizer).to.equal(undefined);
    });

    it("redeploys when a route's authorization changes", () => {
      const trigger = (authorization: PublicRoute["authorization"]) => {
        const json = synthPublicApi((fn) => [{ method: "GET", path: "/a", function: fn, authorization }]);
        return (Object.values(json.resource.aws_api_gateway_deployment)[0] as any).triggers.redeployment;
      };
      expect(trigger("NONE")).to.not.equal(trigger("COGNITO_USER_POOLS"));
    });
  });

  describe("tracing", () => {
    it("turns on X-Ray active tracing on the stage and logs the trace id and the caller's sub", () => {
      const json = synthPublicApi((fn) => [{ method: "GET", path: "/a", function: fn, authorization: "NONE" }]);
      const stage = Object.values(json.resource.aws_api_gateway_stage)[0] as Record<string, any>;
      expect(stage.xray_tracing_enabled).to.equal(true);
      const format = JSON.parse(stage.access_log_settings.format);
      expect(format).to.include({ traceId: "$context.xrayTraceId", userSub: "$context.authorizer.claims.sub" });
    });
  });
});

describe("UserPool", () => {
  const synthPool = (props: Partial<ConstructorParameters<typeof UserPool>[2]> = {}) => {
    const stack = new TerraformStack(Testing.app(), "test");
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    new UserPool(stack, "pool", { name: "test-users", ...props });
    return JSON.parse(Testing.synth(stack)).resource;
  };

  it("signs people in by email with a strong password policy, optional TOTP MFA and deletion protection", () => {
    const pool = Object.values(synthPool().aws_cognito_user_pool)[0] as Record<string, any>;
    expect(pool.username_attributes).to.deep.equal(["email"]);
    expect(pool.password_policy).to.include({ minimum_length: 14, require_lowercase: true, require_uppercase: true, require_numbers: true, require_symbols: true });
    expect(pool.mfa_configuration).to.equal("OPTIONAL");
    expect(pool.software_token_mfa_configuration).to.deep.equal({ enabled: true });
    expect(pool.sms_configuration).to.equal(undefined);
    expect(pool.deletion_protection).to.equal("ACTIVE");
    expect(pool.account_recovery_setting.recovery_mechanism).to.deep.equal([{ name: "verified_email", priority: 1 }]);
  });

  it("switches deletion protection off only when asked", () => {
    const pool = Object.values(synthPool({ deletionProtection: false }).aws_cognito_user_pool)[0] as Record<string, any>;
    expect(pool.deletion_protection).to.equal("INACTIVE");
  });

  it("gives the public client no secret, SRP and refresh only, short-lived tokens and no user-existence leaks", () => {
    const clients = Object.values(synthPool().aws_cognito_user_pool_client) as Array<Record<string, any>>;
    expect(clients).to.have.length(1);
    const client = clients[0]!;
    expect(client.generate_secret).to.equal(false);
    expect(client.explicit_auth_flows).to.deep.equal(["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]);
    expect(client).to.include({ access_token_validity: 15, id_token_validity: 15, refresh_token_validity: 12, prevent_user_existence_errors: "ENABLED", enable_token_revocation: true });
    expect(client.token_validity_units).to.deep.equal([{ access_token: "minutes", id_token: "minutes", refresh_token: "hours" }]);
  });

  it("adds the admin-auth test client only when asked", () => {
    const clients = Object.values(synthPool({ testClient: true }).aws_cognito_user_pool_client) as Array<Record<string, any>>;
    expect(clients.map((c) => c.name).sort()).to.deep.equal(["test-users-e2e-test", "test-users-public"]);
    const test = clients.find((c) => c.name === "test-users-e2e-test")!;
    expect(test.explicit_auth_flows).to.deep.equal(["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]);
    expect(test.generate_secret).to.equal(false);
  });

  it("rejects token lifetimes Cognito would refuse", () => {
    expect(() => synthPool({ tokenLifetimes: { accessAndIdMinutes: 2 } })).to.throw(/UserPool 'test\/pool': accessAndIdMinutes 2 must be an integer from 5 to 1440/);
    expect(() => synthPool({ tokenLifetimes: { refreshHours: 0 } })).to.throw(/refreshHours 0 must be an integer from 1 to 87600/);
  });
});
