import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { expect } from "chai";
import { ref, resourcesOf, synthReferenceStack, type Synthesized, type TerraformJson } from "./synthesized.js";

const METHOD = "(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)";

describe("the reference stack, as synthesized from main.ts", () => {
  let stack: Synthesized;
  before(function () {
    this.timeout(60000);
    stack = synthReferenceStack();
  });

  const apiAddresses = () => resourcesOf(stack.json, "aws_api_gateway_rest_api").map(([address]) => address);
  // An internal API is one with a resource policy: those are the IAM-only ones.
  const internalApis = () =>
    resourcesOf(stack.json, "aws_api_gateway_rest_api_policy").map(([, policy]) =>
      (policy.rest_api_id as string).replace(/^\$\{(.*)\.id\}$/, "$1"),
    );

  it("has one internal and one public REST API, both regional", () => {
    expect(apiAddresses()).to.have.length(2);
    expect(internalApis()).to.have.length(1);
    for (const [, api] of resourcesOf(stack.json, "aws_api_gateway_rest_api")) {
      expect(api.endpoint_configuration.types).to.deep.equal(["REGIONAL"]);
    }
  });

  it("makes every method of every internal API AWS_IAM", () => {
    const internal = new Set(internalApis().map((address) => ref(address, "id")));
    const methods = resourcesOf(stack.json, "aws_api_gateway_method").filter(([, m]) => internal.has(m.rest_api_id));
    expect(methods.map(([, m]) => m.http_method).sort()).to.deep.equal(["GET", "PUT"]);
    for (const [address, method] of methods) expect(method.authorization, address).to.equal("AWS_IAM");
  });

  it("puts every public route behind the user pool's authorizer: ID tokens of the pool's app client only", () => {
    const internal = new Set(internalApis().map((address) => ref(address, "id")));
    const methods = resourcesOf(stack.json, "aws_api_gateway_method").filter(([, m]) => !internal.has(m.rest_api_id));
    const [[authorizerAddress, authorizer], ...others] = resourcesOf(stack.json, "aws_api_gateway_authorizer");
    expect(others).to.have.length(0);
    expect(methods).to.have.length(3);
    for (const [address, method] of methods) {
      expect(method.authorization, address).to.equal("COGNITO_USER_POOLS");
      expect(method.authorizer_id, address).to.equal(ref(authorizerAddress!, "id"));
      expect(method.authorization_scopes, address).to.equal(undefined);
    }
    const [[poolAddress]] = resourcesOf(stack.json, "aws_cognito_user_pool");
    const [[clientAddress, client]] = resourcesOf(stack.json, "aws_cognito_user_pool_client");
    expect(authorizer!.provider_arns).to.deep.equal([ref(poolAddress!, "arn")]);
    expect(authorizer!.identity_source).to.equal("method.request.header.Authorization");
    expect(authorizer!.identity_validation_expression).to.equal(`^(${ref(clientAddress!, "id")})$`);
    expect(client!.generate_secret).to.equal(false);
  });

  it("grants execute-api:Invoke only on concrete API, stage, method and path", () => {
    let allows = 0;
    for (const [address, policy] of resourcesOf(stack.json, "aws_iam_role_policy")) {
      for (const statement of JSON.parse(policy.policy).Statement) {
        const actions = [statement.Action].flat() as string[];
        if (!actions.some((a) => a.startsWith("execute-api"))) continue;
        expect(actions, address).to.deep.equal(["execute-api:Invoke"]);
        if (statement.Effect === "Deny") continue; // the exactness Deny, checked below
        allows++;
        for (const resource of [statement.Resource].flat() as string[]) {
          expect(resource, address).to.match(
            new RegExp(`^\\$\\{aws_api_gateway_rest_api\\.[A-Za-z0-9_-]+\\.execution_arn\\}/v1/${METHOD}/[^*]`),
          );
        }
      }
    }
    expect(allows).to.equal(3);
  });

  const grantStatements = (fn: string) =>
    resourcesOf(stack.json, "aws_iam_role_policy")
      .filter(([, p]) => p.role.includes(`${fn}-function_role`) && p.name === "grants")
      .flatMap(([, p]) => JSON.parse(p.policy).Statement as Array<{ Effect: string; Action: string | string[]; Resource: string | string[] }>);

  it("gives each caller exactly its own route: profile reads, me reads and writes, users calls no API", () => {
    const routes = (fn: string, effect: "Allow" | "Deny") =>
      grantStatements(fn)
        .filter((s) => s.Action === "execute-api:Invoke" && s.Effect === effect)
        .flatMap((s) => [s.Resource].flat().map((r) => r.replace(/^\$\{[^}]+\}/, "")));
    expect(routes("profile", "Allow")).to.deep.equal(["/v1/GET/users/*"]);
    // `*` also matches `/`: without this Deny the read grant would cover GET /users/{id}/anything.
    expect(routes("profile", "Deny")).to.deep.equal(["/v1/GET/users/*/*"]);
    expect(routes("me", "Allow")).to.deep.equal(["/v1/GET/users/*", "/v1/PUT/users/*"]);
    expect(routes("me", "Deny")).to.deep.equal(["/v1/GET/users/*/*", "/v1/PUT/users/*/*"]);
    expect(routes("users", "Allow")).to.deep.equal([]);
  });

  it("grants the users role exactly the table actions its code calls, on the table's ARN, and no one else any", () => {
    const table = resourcesOf(stack.json, "aws_dynamodb_table");
    expect(table).to.have.length(1);
    const [address, config] = table[0]!;
    expect(config).to.deep.include({ name: "sia-users", billing_mode: "PAY_PER_REQUEST", hash_key: "id", deletion_protection_enabled: true, point_in_time_recovery: { enabled: true }, server_side_encryption: { enabled: true } });
    expect(grantStatements("users")).to.deep.equal([{ Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:PutItem"], Resource: [ref(address, "arn")] }]);
    for (const fn of ["profile", "me"]) expect(JSON.stringify(grantStatements(fn))).not.to.contain("dynamodb:");
  });

  it("scopes every Lambda permission to its route's exact execute-api ARN", () => {
    const permissions = resourcesOf(stack.json, "aws_lambda_permission");
    expect(permissions).to.have.length(5);
    const arns = permissions.map(([, p]) => {
      // The users function serves two routes: a fixed statement id would collide on deploy.
      expect(p.statement_id, "statement_id").to.equal(undefined);
      expect(p.statement_id_prefix).to.equal("AllowApiGatewayInvoke-");
      expect(p.principal).to.equal("apigateway.amazonaws.com");
      expect(p.action).to.equal("lambda:InvokeFunction");
      return (p.source_arn as string).replace(/^\$\{aws_api_gateway_rest_api\.([a-z]+)_api_[0-9A-F]+\.execution_arn\}/, "$1:");
    });
    expect(arns.sort()).to.deep.equal([
      "public:/v1/GET/me",
      "public:/v1/GET/users/*/profile",
      "public:/v1/PUT/me",
      "users:/v1/GET/users/*",
      "users:/v1/PUT/users/*",
    ]);
  });

  it("denies principals of other accounts in the resource policy and never allows everyone", () => {
    const [[, resourcePolicy]] = resourcesOf(stack.json, "aws_api_gateway_rest_api_policy") as [[string, any]];
    const statements = JSON.parse(resourcePolicy.policy).Statement;
    const deny = statements.find((s: any) => s.Effect === "Deny");
    expect(deny.Action).to.equal("execute-api:Invoke");
    expect(deny.Condition.StringNotEquals["aws:PrincipalAccount"]).to.have.length(1);
    for (const s of statements) {
      if (s.Effect === "Allow") expect(s.Principal, "Allow *").not.to.be.oneOf(["*", undefined]);
      if (s.Effect === "Allow") expect(s.Principal.AWS).not.to.equal("*");
    }
  });

  it("creates each function's log group first, with retention, and lets the role write only there", () => {
    const functions = resourcesOf(stack.json, "aws_lambda_function");
    expect(functions).to.have.length(3);
    for (const [address, fn] of functions) {
      const logGroup = (fn.depends_on as string[]).find((d) => d.startsWith("aws_cloudwatch_log_group."));
      expect(logGroup, address).to.be.a("string");
      const [, group] = resourcesOf(stack.json, "aws_cloudwatch_log_group").find(([a]) => a === logGroup)!;
      expect(group.name).to.equal(`/aws/lambda/${fn.function_name}`);
      expect(group.retention_in_days).to.equal(30);
      expect(fn.runtime).to.equal("nodejs22.x");
      const roleAddress = (fn.role as string).replace(/^\$\{(.*)\.arn\}$/, "$1");
      const logPolicies = resourcesOf(stack.json, "aws_iam_role_policy").filter(
        ([, p]) => p.role === ref(roleAddress, "name") && p.name === "write-own-logs",
      );
      expect(logPolicies, address).to.have.length(1);
      expect(JSON.parse(logPolicies[0]![1].policy).Statement).to.deep.equal([
        {
          Sid: "WriteOwnLogGroupOnly",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: `${ref(logGroup!, "arn")}:*`,
        },
      ]);
    }
  });

  it("sets every function's source_code_hash, in every stack of the app, to the base64 SHA-256 of the zip it ships", () => {
    const stacksDir = dirname(stack.stackDir);
    const shipped = readdirSync(stacksDir).flatMap((name) => {
      const json = JSON.parse(readFileSync(join(stacksDir, name, "cdk.tf.json"), "utf8")) as TerraformJson;
      return resourcesOf(json, "aws_lambda_function").map(([address, fn]) => ({ address, fn, stackDir: join(stacksDir, name) }));
    });
    expect(shipped.map(({ fn }) => fn.function_name).sort()).to.deep.equal(["sia-me", "sia-orders", "sia-profile", "sia-users"]);
    for (const { address, fn, stackDir } of shipped) {
      const zip = readFileSync(join(stackDir, fn.filename));
      expect(fn.source_code_hash, address).to.equal(createHash("sha256").update(zip).digest("base64"));
    }
  });

  it("passes the internal URL to callers through their environment", () => {
    const users = ref(resourcesOf(stack.json, "aws_api_gateway_stage").find(([a]) => a.includes("users_stage"))![0], "invoke_url");
    const env = Object.fromEntries(
      resourcesOf(stack.json, "aws_lambda_function").map(([, fn]) => [fn.function_name, fn.environment?.variables ?? {}]),
    );
    expect(env["sia-profile"].USERS_API_URL).to.equal(users);
    expect(env["sia-me"].USERS_API_URL).to.equal(users);
    expect(env["sia-users"]).to.deep.equal({ USERS_TABLE_NAME: ref(resourcesOf(stack.json, "aws_dynamodb_table")[0]![0], "name") });
  });

  it("gives stages JSON access logs with the caller's userArn, throttling and metrics", () => {
    for (const [address, stage] of resourcesOf(stack.json, "aws_api_gateway_stage")) {
      expect(JSON.parse(stage.access_log_settings.format), address).to.include({ userArn: "$context.identity.userArn" });
    }
    for (const [address, settings] of resourcesOf(stack.json, "aws_api_gateway_method_settings")) {
      expect(settings.method_path, address).to.equal("*/*");
      expect(settings.settings.metrics_enabled).to.equal(true);
      expect(settings.settings.throttling_rate_limit).to.be.greaterThan(0);
      expect(settings.settings.throttling_burst_limit).to.be.greaterThan(0);
      expect(settings.settings.data_trace_enabled).to.equal(false);
    }
  });

  it("redeploys through a trigger, creating the new deployment before destroying the old", () => {
    for (const [address, deployment] of resourcesOf(stack.json, "aws_api_gateway_deployment")) {
      expect(deployment.triggers.redeployment, address).to.match(/^[0-9a-f]{64}$/);
      expect(deployment.lifecycle.create_before_destroy).to.equal(true);
    }
  });

  it("rewrites the public API's gateway responses so that they leak nothing", () => {
    const responses = Object.fromEntries(
      resourcesOf(stack.json, "aws_api_gateway_gateway_response").map(([, r]) => [r.response_type, r]),
    );
    expect(responses.MISSING_AUTHENTICATION_TOKEN.status_code).to.equal("404");
    expect(JSON.parse(responses.DEFAULT_5XX.response_templates["application/json"])).to.deep.equal({ message: "Internal server error" });
  });

  it("outputs every URL and the callers' roles", () => {
    expect(Object.keys(stack.json.output).sort()).to.include.members([
      "public_api_url",
      "users_api_url",
      "users_api_id",
      "profile_function_role_arn",
      "me_function_role_arn",
      "user_pool_id",
      "user_pool_client_id",
    ]);
  });

  it("does not manage the region-wide API Gateway account setting unless asked", () => {
    expect(resourcesOf(stack.json, "aws_api_gateway_account")).to.have.length(0);
  });

  it("synthesizes identical Terraform JSON and identical zips from unchanged code", function () {
    this.timeout(60000);
    const again = synthReferenceStack();
    expect(again.text).to.equal(stack.text);
    for (const [, fn] of resourcesOf(stack.json, "aws_lambda_function")) {
      expect(readFileSync(join(again.stackDir, fn.filename)).equals(readFileSync(join(stack.stackDir, fn.filename)))).to.equal(true);
    }
  });
});

describe("the reference stack's settings", () => {
  it("takes stage, region, retention and allowed accounts from the environment", function () {
    this.timeout(60000);
    const { json } = synthReferenceStack({
      SIA_STAGE: "prod",
      SIA_REGION: "eu-west-1",
      SIA_LOG_RETENTION_DAYS: "90",
      SIA_ALLOWED_ACCOUNT_IDS: "111122223333",
      SIA_MANAGE_APIGW_ACCOUNT: "true",
    });
    expect(json.provider.aws).to.deep.equal([{ region: "eu-west-1" }]);
    const grant = resourcesOf(json, "aws_iam_role_policy").find(([, p]) => p.name === "grants" && p.role.includes("profile"))!;
    expect(JSON.parse(grant[1].policy).Statement[0].Resource).to.match(/\/prod\/GET\/users\/\*$/);
    for (const [, group] of resourcesOf(json, "aws_cloudwatch_log_group")) expect(group.retention_in_days).to.equal(90);
    const policy = JSON.parse(resourcesOf(json, "aws_api_gateway_rest_api_policy")[0]![1].policy);
    expect(policy.Statement[0].Condition.StringNotEquals["aws:PrincipalAccount"]).to.include("111122223333");
    // An allowed account is only exempt from the Deny: nothing is allowed to it account-wide.
    expect(policy.Statement.filter((s: any) => s.Effect === "Allow")).to.deep.equal([]);
    expect(resourcesOf(json, "aws_api_gateway_account")).to.have.length(1);
  });

  it("lets only this account's API Gateway assume the opt-in CloudWatch role (aws:SourceAccount)", function () {
    this.timeout(60000);
    const { json } = synthReferenceStack({ SIA_MANAGE_APIGW_ACCOUNT: "true" });
    const [, role] = resourcesOf(json, "aws_iam_role").find(([, r]) => r.name === "apigateway-cloudwatch-logs")!;
    const [statement, ...others] = JSON.parse(role.assume_role_policy).Statement;
    expect(others).to.deep.equal([]);
    expect(statement.Principal).to.deep.equal({ Service: "apigateway.amazonaws.com" });
    // The stack's own account, from the internal API's execution ARN: no data source to read at plan.
    const sourceAccount = statement.Condition.StringEquals["aws:SourceAccount"] as string;
    expect(Object.keys(statement.Condition)).to.deep.equal(["StringEquals"]);
    expect(sourceAccount).to.match(/^\$\{local\.users_owning_account_[A-Za-z0-9_]+\}$/);
    expect(json).to.not.have.nested.property("data.aws_caller_identity");
  });

  it("creates no test principals unless SIA_TEST_PRINCIPALS=true", () => {
    const roles = (json: ReturnType<typeof synthReferenceStack>["json"]) =>
      resourcesOf(json, "aws_iam_role").map(([, r]) => r.name as string).sort();
    expect(roles(synthReferenceStack().json)).to.deep.equal(["sia-me-role", "sia-profile-role", "sia-users-role"]);

    const { json } = synthReferenceStack({ SIA_TEST_PRINCIPALS: "true" });
    expect(roles(json)).to.include.members(["sia-test-caller", "sia-test-no-grants"]);
    const policiesOf = (roleName: string) => {
      const [address] = resourcesOf(json, "aws_iam_role").find(([, r]) => r.name === roleName)!;
      return resourcesOf(json, "aws_iam_role_policy")
        .filter(([, p]) => p.role === ref(address, "name"))
        .map(([, p]) => ({ name: p.name as string, statements: JSON.parse(p.policy).Statement }));
    };
    const profileGrants = policiesOf("sia-profile-role").find((p) => p.name === "grants")!.statements;
    expect(policiesOf("sia-test-caller")).to.deep.equal([{ name: "grants", statements: profileGrants }]);
    expect(policiesOf("sia-test-no-grants")).to.deep.equal([]);
    const trust = JSON.parse(resourcesOf(json, "aws_iam_role").find(([, r]) => r.name === "sia-test-caller")![1].assume_role_policy);
    expect(trust.Statement[0].Principal.AWS).to.match(/^arn:aws:iam::\$\{local\.[A-Za-z0-9_]+\}:root$/);
    expect(Object.keys(json.output)).to.include.members(["test_caller_role_arn", "test_no_grants_role_arn"]);
  });

  it("puts no WAF in front of the APIs unless SIA_WAF=true", () => {
    const { json } = synthReferenceStack();
    expect(Object.keys(json.resource).filter((type) => type.startsWith("aws_wafv2"))).to.deep.equal([]);
  });

  it("with SIA_WAF=true, associates one web ACL with both stages, at the SIA_WAF_RATE_LIMIT per IP", function () {
    this.timeout(60000);
    const { json } = synthReferenceStack({ SIA_WAF: "true", SIA_WAF_RATE_LIMIT: "300" });
    const acls = resourcesOf(json, "aws_wafv2_web_acl");
    expect(acls).to.have.length(1);
    const [aclAddress, acl] = acls[0]!;
    expect(acl.rule[0].statement.rate_based_statement).to.deep.equal({ limit: 300, aggregate_key_type: "IP", evaluation_window_sec: 300 });
    const stages = resourcesOf(json, "aws_api_gateway_stage").map(([address]) => ref(address, "arn"));
    expect(stages).to.have.length(2);
    const associations = resourcesOf(json, "aws_wafv2_web_acl_association").map(([, a]) => a);
    expect(associations.map((a) => a.resource_arn).sort()).to.deep.equal(stages.sort());
    for (const association of associations) expect(association.web_acl_arn).to.equal(ref(aclAddress, "arn"));
  });

  const bad: Array<[Record<string, string>, RegExp]> = [
    [{ SIA_REGION: "mars" }, /SIA_REGION 'mars'/],
    [{ SIA_LOG_RETENTION_DAYS: "forever" }, /SIA_LOG_RETENTION_DAYS/],
    [{ SIA_LOG_RETENTION_DAYS: "8" }, /log retention 8 is not one CloudWatch accepts/],
    [{ SIA_ALLOWED_ACCOUNT_IDS: "12345" }, /allowed account '12345'/],
    [{ SIA_MANAGE_APIGW_ACCOUNT: "yes" }, /SIA_MANAGE_APIGW_ACCOUNT must be 'true' or 'false'/],
    [{ SIA_STAGE: "v1/*" }, /stage/],
    [{ SIA_WAF: "yes" }, /SIA_WAF must be 'true' or 'false'/],
    [{ SIA_WAF: "true", SIA_WAF_RATE_LIMIT: "lots" }, /SIA_WAF_RATE_LIMIT 'lots' must be a number of requests/],
    [{ SIA_WAF: "true", SIA_WAF_RATE_LIMIT: "5" }, /rateLimitPerIp 5 must be a whole number from 10/],
    [{ SIA_WAF_RATE_LIMIT: "300" }, /SIA_WAF_RATE_LIMIT is set but SIA_WAF is not 'true'/],
  ];
  for (const [env, message] of bad) {
    it(`rejects ${JSON.stringify(env)} with a clear error`, () => {
      expect(() => synthReferenceStack(env)).to.throw(message);
    });
  }
});
