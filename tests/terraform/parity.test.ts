import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { App, TerraformStack } from "cdktf";
import pLimit from "p-limit";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { GrantsPolicy, type IGrantee } from "../../modules/grants.js";
import { InternalApi } from "../../modules/internal-api.js";
import { NodeFunction } from "../../modules/node-function.js";
import { PublicApi } from "../../modules/public-api.js";
import { Table, type TableItemAction } from "../../modules/table.js";
import type { HttpMethod, RouteTarget } from "../../modules/routes.js";
import { UserPool } from "../../modules/user-pool.js";
import { ApiWebAcl } from "../../modules/web-acl.js";
import { TerraformCommandError, type TerraformCli } from "../../terraform/cli.js";
import { TERRAFORM_MODULES_DIR } from "../../terraform/modules.js";
import { parityDifferences, seededState, UNKNOWN, type SeededResource } from "../../terraform/parity.js";
import { planOffline, type OfflinePlanResult, type PlannedResource } from "../../terraform/plan.js";
import { skipWhen, terraformOrSkip } from "./terraform-fixture.js";

const REGION = "eu-west-1";

/** One route of the shared inputs: a function by name, so both sides get the same invoke ARN. */
interface ParityRoute {
  readonly method: HttpMethod;
  readonly path: string;
  readonly functionName: string;
  /** Public routes only. */
  readonly authorization?: "NONE" | "COGNITO_USER_POOLS";
}

/** The inputs both sides are given: the construct as props, the module as arguments. */
const INPUTS = {
  internal: {
    name: "parity-internal",
    description: "Parity: internal",
    stageName: "v1",
    allowedAccountIds: ["210987654321"],
    organizationId: "o-abcdefghij",
    throttle: { rateLimit: 50, burstLimit: 75 },
    logRetentionDays: 14,
    routes: [
      { method: "GET", path: "/users/{id}", functionName: "parity-users" },
      { method: "POST", path: "/users", functionName: "parity-users" },
      { method: "GET", path: "/users/{id}/orders/{orderId}", functionName: "parity-orders" },
    ] as ParityRoute[],
    grant: { roleName: "parity-caller", routes: [["GET", "/users/{id}"], ["POST", "/users"]] as Array<[HttpMethod, string]> },
    /** A role of the allowed account, granted one route in the resource policy. */
    crossAccountGrant: { roleArn: "arn:aws:iam::210987654321:role/parity-partner", routes: [["GET", "/users/{id}"]] as Array<[HttpMethod, string]> },
  },
  public: {
    name: "parity-public",
    description: "Parity: public",
    stageName: "v1",
    routes: [
      { method: "GET", path: "/users/{id}/profile", functionName: "parity-profile", authorization: "COGNITO_USER_POOLS" },
      { method: "PUT", path: "/me", functionName: "parity-me", authorization: "COGNITO_USER_POOLS" },
      { method: "GET", path: "/health", functionName: "parity-profile", authorization: "NONE" },
    ] as ParityRoute[],
    userPoolArn: "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Parity0001",
    clientIds: ["parityclient000000000000001", "parityclient000000000000002"],
  },
  webAcl: { name: "parity-apis", rateLimitPerIp: 1500, evaluationWindowSec: 120 as const },
  userPool: { name: "parity-users", selfSignUp: false, testClient: true, tokenLifetimes: { accessAndIdMinutes: 10, refreshHours: 24 } },
  table: { name: "parity-users", grant: { roleName: "parity-caller", actions: ["GetItem", "PutItem"] as TableItemAction[] } },
  function: {
    functionName: "parity-users",
    entry: "lambdas/users/handler.ts",
    description: "Parity: function",
    environment: { STAGE: "v1" },
    memorySize: 512,
    timeout: 5,
    logRetentionDays: 7,
  },
} as const;

/** The REST APIs both plans start from (see terraform/parity.ts). */
const API_IDS = { "parity-internal": { id: "a1b2c3d4e5", rootResourceId: "r00t000001" }, "parity-public": { id: "p1b2c3d4e5", rootResourceId: "r00t000002" } };

const invokeArn = (functionName: string) =>
  `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/arn:aws:lambda:${REGION}:123456789012:function:${functionName}/invocations`;
const routeTarget = (functionName: string): RouteTarget => ({ functionName, invokeArn: invokeArn(functionName), node: { path: functionName } });

/** The construct side: a small CDKTF stack, synthesized into `outdir`; returns its directory. */
function synthConstructStack(outdir: string, buildDir: string): { dir: string; sourceCodeHash: string; zipPath: string } {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, "parity");
  new AwsProvider(stack, "aws", { region: REGION });
  const { function: f, internal: i, public: p } = INPUTS;
  const fn = new NodeFunction(stack, "users", { ...f, environment: { ...f.environment }, buildDir });
  const api = new InternalApi(stack, "internal", {
    name: i.name,
    description: i.description,
    stageName: i.stageName,
    allowedAccountIds: i.allowedAccountIds,
    organizationId: i.organizationId,
    throttle: i.throttle,
    logRetentionDays: i.logRetentionDays,
    routes: i.routes.map((r) => ({ method: r.method, path: r.path, function: routeTarget(r.functionName) })),
  });
  // A role that exists elsewhere, known by name: what the module's grants take.
  const policy = new GrantsPolicy(stack, "caller-grants", { roleName: i.grant.roleName });
  const caller: IGrantee = { roleName: i.grant.roleName, roleArn: `arn:aws:iam::123456789012:role/${i.grant.roleName}`, setGrantStatements: (grantor, statements) => policy.setStatements(grantor, statements) };
  for (const [method, path] of i.grant.routes) api.grantInvoke(caller, method, path);
  for (const [method, path] of i.crossAccountGrant.routes) api.grantInvoke(i.crossAccountGrant.roleArn, method, path);
  const publicApi = new PublicApi(stack, "public", {
    name: p.name,
    description: p.description,
    stageName: p.stageName,
    routes: p.routes.map((r) => ({ method: r.method, path: r.path, function: routeTarget(r.functionName), authorization: r.authorization! })),
    userPool: { userPoolArn: p.userPoolArn, clientIds: p.clientIds },
  });
  new ApiWebAcl(stack, "waf", { ...INPUTS.webAcl, stages: [api.stage, publicApi.stage] });
  new UserPool(stack, "users-pool", { ...INPUTS.userPool, tokenLifetimes: { ...INPUTS.userPool.tokenLifetimes } });
  // The table grant in its own policy, as the module writes one policy per grant.
  const t = INPUTS.table;
  const tablePolicy = new GrantsPolicy(stack, "table-grants", { roleName: t.grant.roleName });
  const tableCaller: IGrantee = { ...caller, setGrantStatements: (grantor, statements) => tablePolicy.setStatements(grantor, statements) };
  new Table(stack, "users-table", { tableName: t.name }).grant(tableCaller, t.grant.actions);
  app.synth();
  const zipPath = join(buildDir, `${f.functionName}.zip`);
  return { dir: join(outdir, "stacks", "parity"), sourceCodeHash: fn.sourceCodeHash, zipPath };
}

/** Tags only the module side takes (the constructs set none; the comparison leaves tags out). */
const MODULE_TAGS = { owner: "parity" };

/** The module side: a root module calling the modules under `modulesDir` with the same inputs. */
function writeModuleRoot(dir: string, modulesDir: string, zip: { zipPath: string; sourceCodeHash: string }): void {
  const { function: f, internal: i, public: p } = INPUTS;
  const routes = (rs: readonly ParityRoute[]) =>
    rs.map((r) => ({
      method: r.method,
      path: r.path,
      function: { function_name: r.functionName, invoke_arn: invokeArn(r.functionName) },
      ...(r.authorization ? { authorization: r.authorization } : {}),
    }));
  const root = {
    terraform: { required_providers: { aws: { source: "hashicorp/aws" } } },
    provider: { aws: { region: REGION } },
    module: {
      users: {
        source: `${modulesDir}/node-function`,
        function_name: f.functionName,
        description: f.description,
        filename: zip.zipPath,
        source_code_hash: zip.sourceCodeHash,
        environment: f.environment,
        memory_size: f.memorySize,
        timeout: f.timeout,
        retention_in_days: f.logRetentionDays,
        tags: MODULE_TAGS,
      },
      internal: {
        source: `${modulesDir}/internal-api`,
        name: i.name,
        description: i.description,
        stage_name: i.stageName,
        allowed_account_ids: i.allowedAccountIds,
        organization_id: i.organizationId,
        throttling_rate_limit: i.throttle.rateLimit,
        throttling_burst_limit: i.throttle.burstLimit,
        retention_in_days: i.logRetentionDays,
        routes: routes(i.routes),
        grants: { caller: { role_name: i.grant.roleName, routes: i.grant.routes.map(([m, path]) => `${m} ${path}`) } },
        cross_account_grants: { partner: { role_arn: i.crossAccountGrant.roleArn, routes: i.crossAccountGrant.routes.map(([m, path]) => `${m} ${path}`) } },
        tags: MODULE_TAGS,
      },
      public: {
        source: `${modulesDir}/public-api`,
        name: p.name,
        description: p.description,
        stage_name: p.stageName,
        routes: routes(p.routes),
        user_pool_arn: p.userPoolArn,
        authorizer_client_ids: p.clientIds,
        tags: MODULE_TAGS,
      },
      users_pool: {
        source: `${modulesDir}/user-pool`,
        name: INPUTS.userPool.name,
        self_sign_up: INPUTS.userPool.selfSignUp,
        test_client: INPUTS.userPool.testClient,
        access_and_id_token_minutes: INPUTS.userPool.tokenLifetimes.accessAndIdMinutes,
        refresh_token_hours: INPUTS.userPool.tokenLifetimes.refreshHours,
        tags: MODULE_TAGS,
      },
      users_table: {
        source: `${modulesDir}/table`,
        name: INPUTS.table.name,
        grants: { caller: { role_name: INPUTS.table.grant.roleName, actions: INPUTS.table.grant.actions } },
        tags: MODULE_TAGS,
      },
      waf: {
        source: `${modulesDir}/api-web-acl`,
        name: INPUTS.webAcl.name,
        stage_arns: { internal: "${module.internal.stage_arn}", public: "${module.public.stage_arn}" },
        rate_limit_per_ip: INPUTS.webAcl.rateLimitPerIp,
        evaluation_window_sec: INPUTS.webAcl.evaluationWindowSec,
        tags: MODULE_TAGS,
      },
    },
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "main.tf.json"), JSON.stringify(root, null, 2));
}

/** The seeded resources of each side: the stack's by cdktf's logical ids, the module's as `module.<name>.…this`. */
function constructSeeds(stackDir: string): SeededResource[] {
  const document = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as {
    resource: {
      aws_api_gateway_rest_api: Record<string, { name: string; description?: string }>;
      aws_cloudwatch_log_group: Record<string, { name: string }>;
    };
  };
  const functionLogs = Object.entries(document.resource.aws_cloudwatch_log_group).filter(([, group]) => group.name === FUNCTION_LOG_GROUP);
  expect(functionLogs, "the function's log group in the synthesized stack").to.have.length(1);
  return [
    ...Object.entries(document.resource.aws_api_gateway_rest_api).map(([name, api]) => ({
      type: "aws_api_gateway_rest_api" as const,
      name,
      apiName: api.name,
      description: api.description,
      ...API_IDS[api.name as keyof typeof API_IDS],
    })),
    { type: "aws_cloudwatch_log_group", name: functionLogs[0]![0], logGroupName: FUNCTION_LOG_GROUP, retentionInDays: INPUTS.function.logRetentionDays },
  ];
}
const FUNCTION_LOG_GROUP = `/aws/lambda/${INPUTS.function.functionName}`;
const moduleSeeds: SeededResource[] = [
  { type: "aws_api_gateway_rest_api", module: "module.internal", name: "this", apiName: INPUTS.internal.name, description: INPUTS.internal.description, ...API_IDS["parity-internal"], tags: MODULE_TAGS },
  { type: "aws_api_gateway_rest_api", module: "module.public", name: "this", apiName: INPUTS.public.name, description: INPUTS.public.description, ...API_IDS["parity-public"], tags: MODULE_TAGS },
  { type: "aws_cloudwatch_log_group", module: "module.users", name: "this", logGroupName: FUNCTION_LOG_GROUP, retentionInDays: INPUTS.function.logRetentionDays, tags: MODULE_TAGS },
];

/** Breaks the module copy in `modulesDir` in five security-relevant ways the comparison must report. */
function driftModules(modulesDir: string): void {
  const edit = (file: string, from: string, to: string) => {
    const path = join(modulesDir, file);
    const text = readFileSync(path, "utf8");
    if (!text.includes(from)) throw new Error(`${file} no longer contains ${JSON.stringify(from)}: update the drift test`);
    writeFileSync(path, text.replace(from, to));
  };
  edit("internal-api/main.tf", 'authorization    = "AWS_IAM"', 'authorization    = "NONE"');
  edit("internal-api/main.tf", "concat([arns.account], var.allowed_account_ids)", "var.allowed_account_ids");
  edit("api-stage/main.tf", 'logging_level      = "OFF"', 'logging_level      = "INFO"');
  edit("public-api/main.tf", 'identity_validation_expression = length(var.authorizer_client_ids) > 0 ? "^(${join("|", var.authorizer_client_ids)})$" : null', "identity_validation_expression = null");
  edit("table/main.tf", "enabled = var.point_in_time_recovery_enabled", "enabled = false");
}

describe("construct ⇔ module parity, planned offline with the real provider", function () {
  this.timeout(600_000);
  let root: string;
  let plans: Promise<{ construct: OfflinePlanResult; module: OfflinePlanResult; drifted: OfflinePlanResult }> | undefined;

  before(async function () {
    const cli: TerraformCli = await terraformOrSkip(this);
    root = mkdtempSync(join(tmpdir(), "sia-parity-"));
    const construct = synthConstructStack(join(root, "cdktf.out"), join(root, "build"));
    const copyModules = (to: string) => cpSync(TERRAFORM_MODULES_DIR, to, { recursive: true, filter: (src) => !/\.terraform/.test(src) });
    copyModules(join(root, "modules"));
    writeModuleRoot(join(root, "module-root"), "../modules", construct);
    copyModules(join(root, "drifted/modules"));
    driftModules(join(root, "drifted/modules"));
    writeModuleRoot(join(root, "drifted/module-root"), "../modules", construct);

    // Two terraform processes at a time: each holds an aws provider (hundreds of MB) in memory.
    const limit = pLimit(2);
    const plan = (dir: string, seeds: SeededResource[], overrideBackend: boolean) =>
      limit(() => planOffline(cli, dir, { region: REGION, overrideBackend, priorState: seededState(seeds, REGION) }));
    const [constructPlan, modulePlan, driftedPlan] = await Promise.all([
      plan(construct.dir, constructSeeds(construct.dir), true),
      plan(join(root, "module-root"), moduleSeeds, false),
      plan(join(root, "drifted/module-root"), moduleSeeds, false),
    ]);
    plans = Promise.resolve({ construct: constructPlan, module: modulePlan, drifted: driftedPlan });
  });
  after(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const resourcesOf = (context: Mocha.Context, result: OfflinePlanResult): readonly PlannedResource[] => {
    skipWhen(context, result);
    return result.status === "planned" ? result.resources : [];
  };

  it("plans the same resource types and counts, and equal security-relevant attributes", async function () {
    const { construct, module } = await plans!;
    const left = resourcesOf(this, construct);
    const right = resourcesOf(this, module);
    expect(parityDifferences(left, right)).to.deep.equal([]);

    // The comparison saw real values, not only unknowns: the ARNs derived from the seeded APIs.
    const grant = right.find((r) => r.type === "aws_iam_role_policy" && r.address.includes("grant["))!;
    expect(JSON.parse(String(grant.after.policy)).Statement.map((s: { Effect: string; Resource: string }) => [s.Effect, s.Resource])).to.deep.equal([
      ["Allow", "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/v1/GET/users/*"],
      ["Allow", "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/v1/POST/users"],
      // The exactness Deny: GET /users/* would also reach GET /users/{id}/orders/{orderId}.
      ["Deny", ["arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/v1/GET/users/*/*"]],
    ]);
    const permissions = left.filter((r) => r.type === "aws_lambda_permission").map((r) => r.after.source_arn);
    expect(permissions).to.include("arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/v1/GET/users/*/orders/*");
    expect(permissions).not.to.include(UNKNOWN);
    const resourcePolicy = left.find((r) => r.type === "aws_api_gateway_rest_api_policy")!;
    const statements = JSON.parse(String(resourcePolicy.after.policy)).Statement;
    expect(statements[0].Condition.StringNotEquals["aws:PrincipalAccount"]).to.deep.equal(["123456789012", "210987654321"]);
    // The allowed account's role gets exactly its route, nothing account-wide.
    expect(statements.slice(2).map((s: { Effect: string; Principal: { AWS: string } }) => [s.Effect, s.Principal.AWS])).to.deep.equal([
      ["Allow", "arn:aws:iam::210987654321:role/parity-partner"],
      ["Deny", "arn:aws:iam::210987654321:role/parity-partner"],
    ]);
    const logPolicy = right.find((r) => r.address === "module.users.aws_iam_role_policy.write_own_logs")!;
    expect(JSON.parse(String(logPolicy.after.policy)).Statement[0].Resource).to.equal("arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/parity-users:*");
    // Every taggable resource (one whose schema has `tags`) carries the modules' tags.
    const taggable = right.filter((r) => "tags" in r.after);
    expect(taggable.map((r) => r.type)).to.include.members(["aws_cognito_user_pool", "aws_dynamodb_table", "aws_wafv2_web_acl", "aws_api_gateway_rest_api", "aws_api_gateway_stage", "aws_cloudwatch_log_group", "aws_lambda_function", "aws_iam_role"]);
    for (const r of taggable) expect(r.after.tags, r.address).to.deep.equal(MODULE_TAGS);
    expect(left.filter((r) => r.type === "aws_wafv2_web_acl_association")).to.have.length(2);
    // The table is compared, not only counted: its settings are known at plan on both sides.
    const table = right.find((r) => r.type === "aws_dynamodb_table")!;
    expect(table.after).to.deep.include({ billing_mode: "PAY_PER_REQUEST", hash_key: "id", deletion_protection_enabled: true });
    const counts = (resources: readonly PlannedResource[]) => resources.filter((r) => r.type === "aws_api_gateway_method").length;
    expect(counts(left)).to.equal(6);
    // The signed-in routes: one authorizer on the pool, limited to the clients, on exactly those methods.
    const authorizers = right.filter((r) => r.type === "aws_api_gateway_authorizer");
    expect(authorizers.map((r) => [r.after.type, r.after.provider_arns, r.after.identity_validation_expression])).to.deep.equal([
      ["COGNITO_USER_POOLS", [INPUTS.public.userPoolArn], `^(${INPUTS.public.clientIds.join("|")})$`],
    ]);
    const signedIn = (resources: readonly PlannedResource[]) => resources.filter((r) => r.type === "aws_api_gateway_method" && r.after.authorization === "COGNITO_USER_POOLS");
    expect(signedIn(left)).to.have.length(2);
    expect(signedIn(right)).to.have.length(2);
    // The user pool and both its clients were compared by value (names, flows, lifetimes, policy).
    const pool = right.find((r) => r.type === "aws_cognito_user_pool")!;
    expect(pool.after).to.include({ name: "parity-users", mfa_configuration: "OPTIONAL", deletion_protection: "ACTIVE" });
    expect(right.filter((r) => r.type === "aws_cognito_user_pool_client").map((r) => [r.after.name, r.after.id_token_validity]).sort()).to.deep.equal([
      ["parity-users-e2e-test", 10],
      ["parity-users-public", 10],
    ]);
  });

  it("reports a module that drifts from its construct: an open method, a looser resource policy, execution logging on, an authorizer open to every client, a table without PITR", async function () {
    const { construct, drifted } = await plans!;
    const differences = parityDifferences(resourcesOf(this, construct), resourcesOf(this, drifted));
    const about = (type: string, text: string) => differences.filter((d) => d.startsWith(`${type}: only the module plans`) && d.includes(text));
    expect(about("aws_api_gateway_method", '"authorization":"NONE"'), differences.join("\n")).to.have.length(3);
    expect(about("aws_api_gateway_rest_api_policy", '"aws:PrincipalAccount":["210987654321"]'), differences.join("\n")).to.have.length(1);
    expect(about("aws_api_gateway_method_settings", '"logging_level":"INFO"'), differences.join("\n")).to.have.length(2);
    expect(about("aws_api_gateway_authorizer", '"type":"COGNITO_USER_POOLS"'), differences.join("\n")).to.have.length(1);
    expect(about("aws_dynamodb_table", '"point_in_time_recovery":[{'), differences.join("\n")).to.have.length(1);
  });
});

/**
 * Route tables big enough for Lambda's 20 KB resource-policy quota: one function serving all 70
 * routes of an API (the stage form), and one serving every GET and DELETE route of another API
 * but sharing PUT (method forms for GET and DELETE, exact PUT). A third table stays over after
 * compacting, and a fourth API's resource policy is over its 8,192 characters: the construct
 * fails synth and the module fails the plan, each naming the function or API with the same size.
 */
const QUOTA_APIS = {
  "parity-stage-form": {
    id: "s1b2c3d4e5",
    rootResourceId: "r00t000003",
    routes: Array.from({ length: 70 }, (_, i): ParityRoute => ({ method: "GET", path: `/items${i}/{id}`, functionName: "parity-all" })),
  },
  "parity-method-forms": {
    id: "m1b2c3d4e5",
    rootResourceId: "r00t000004",
    routes: [
      ...Array.from({ length: 70 }, (_, i): ParityRoute => ({ method: "GET", path: `/items${i}/{id}`, functionName: "parity-big" })),
      ...Array.from({ length: 2 }, (_, i): ParityRoute => ({ method: "DELETE", path: `/items${i}/{id}`, functionName: "parity-big" })),
      { method: "PUT", path: "/items0/{id}", functionName: "parity-big" },
      { method: "PUT", path: "/items1/{id}", functionName: "parity-small" },
    ],
  },
} as const;
/** One API's inputs: its routes and, for the resource-policy case, roles of another account granted a route. */
interface QuotaApiInputs {
  readonly routes: readonly ParityRoute[];
  readonly crossAccountGrants?: ReadonlyArray<{ readonly roleArn: string; readonly route: readonly [HttpMethod, string] }>;
}
const PARTNER_ACCOUNT = "210987654321";
const OVER_QUOTA_APIS: Record<string, QuotaApiInputs> = {
  /** 69 of 70 GET routes: no compact form grants parity-big nothing more, and its exact permissions are over. */
  "parity-over-quota": {
    routes: [
      ...Array.from({ length: 69 }, (_, i): ParityRoute => ({ method: "GET", path: `/items${i}/{id}`, functionName: "parity-big" })),
      { method: "GET", path: "/other", functionName: "parity-small" },
    ],
  },
  /** 60 roles of an allowed account, each granted a route (an Allow and an exactness Deny each). */
  "parity-over-policy": {
    routes: [
      { method: "GET", path: "/users/{id}", functionName: "parity-users" },
      { method: "POST", path: "/users", functionName: "parity-users" },
    ],
    crossAccountGrants: Array.from({ length: 60 }, (_, i) => ({ roleArn: `arn:aws:iam::${PARTNER_ACCOUNT}:role/partner-${i}`, route: ["GET", "/users/{id}"] as const })),
  },
};

function synthQuotaStack(outdir: string, apis: Record<string, QuotaApiInputs>): string {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, "quotas");
  new AwsProvider(stack, "aws", { region: REGION });
  // One target per function name, as one NodeFunction would be.
  const targets = new Map<string, RouteTarget>();
  const target = (name: string) => targets.get(name) ?? targets.set(name, routeTarget(name)).get(name)!;
  for (const [name, { routes, crossAccountGrants = [] }] of Object.entries(apis)) {
    const api = new InternalApi(stack, name, {
      name,
      stageName: "v1",
      allowedAccountIds: crossAccountGrants.length > 0 ? [PARTNER_ACCOUNT] : [],
      routes: routes.map((r) => ({ method: r.method, path: r.path, function: target(r.functionName) })),
    });
    for (const { roleArn, route } of crossAccountGrants) api.grantInvoke(roleArn, ...route);
  }
  app.synth();
  return join(outdir, "stacks", "quotas");
}

function writeQuotaModuleRoot(dir: string, modulesDir: string, apis: Record<string, QuotaApiInputs>): void {
  const module = Object.fromEntries(
    Object.entries(apis).map(([name, { routes, crossAccountGrants = [] }]) => [
      name,
      {
        source: `${modulesDir}/internal-api`,
        name,
        stage_name: "v1",
        routes: routes.map((r) => ({ method: r.method, path: r.path, function: { function_name: r.functionName, invoke_arn: invokeArn(r.functionName) } })),
        allowed_account_ids: crossAccountGrants.length > 0 ? [PARTNER_ACCOUNT] : [],
        cross_account_grants: Object.fromEntries(crossAccountGrants.map(({ roleArn, route }, i) => [`partner-${i}`, { role_arn: roleArn, routes: [route.join(" ")] }])),
      },
    ]),
  );
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "main.tf.json"), JSON.stringify({ terraform: { required_providers: { aws: { source: "hashicorp/aws" } } }, provider: { aws: { region: REGION } }, module }, null, 2));
}

describe("construct ⇔ module parity at AWS size quotas: Lambda's resource policy, the REST API's resource policy", function () {
  this.timeout(600_000);
  let root: string;
  let plans: Promise<{ construct: OfflinePlanResult; module: OfflinePlanResult; overQuota: Promise<unknown> }> | undefined;
  const apis = Object.fromEntries(Object.entries(QUOTA_APIS).map(([name, api]) => [name, { routes: api.routes }]));

  before(async function () {
    const cli = await terraformOrSkip(this);
    root = mkdtempSync(join(tmpdir(), "sia-parity-quotas-"));
    const stackDir = synthQuotaStack(join(root, "cdktf.out"), apis);
    cpSync(TERRAFORM_MODULES_DIR, join(root, "modules"), { recursive: true, filter: (src) => !/\.terraform/.test(src) });
    writeQuotaModuleRoot(join(root, "module-root"), "../modules", apis);
    writeQuotaModuleRoot(join(root, "over-quota"), "../modules", OVER_QUOTA_APIS);

    const api = (name: keyof typeof QUOTA_APIS, address: { module?: string; name: string }): SeededResource => ({
      type: "aws_api_gateway_rest_api",
      ...address,
      apiName: name,
      id: QUOTA_APIS[name].id,
      rootResourceId: QUOTA_APIS[name].rootResourceId,
    });
    const logicalIds = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")).resource.aws_api_gateway_rest_api as Record<string, { name: keyof typeof QUOTA_APIS }>;
    const constructSeeds = Object.entries(logicalIds).map(([id, { name }]) => api(name, { name: id }));
    const moduleSeeds = (Object.keys(QUOTA_APIS) as Array<keyof typeof QUOTA_APIS>).map((name) => api(name, { module: `module.${name}`, name: "this" }));

    const limit = pLimit(2);
    const plan = (dir: string, seeds: SeededResource[], overrideBackend: boolean) =>
      limit(() => planOffline(cli, dir, { region: REGION, overrideBackend, priorState: seededState(seeds, REGION) }));
    const construct = plan(stackDir, constructSeeds, true);
    const module = plan(join(root, "module-root"), moduleSeeds, false);
    // Settled either way, so that an unexpected success is reported by the test, not here.
    const overQuota = plan(join(root, "over-quota"), [], false).then((result) => result, (error: unknown) => error);
    plans = Promise.all([construct, module]).then(([c, m]) => ({ construct: c, module: m, overQuota }));
    await plans;
  });
  after(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("plans the same compact Lambda permissions: one for the stage, one per method a function serves alone, exact for the rest", async function () {
    const { construct, module } = await plans!;
    skipWhen(this, construct);
    skipWhen(this, module);
    const left = construct.status === "planned" ? construct.resources : [];
    const right = module.status === "planned" ? module.resources : [];
    expect(parityDifferences(left, right)).to.deep.equal([]);

    const permissions = (resources: readonly PlannedResource[]) =>
      resources.filter((r) => r.type === "aws_lambda_permission").map((r) => `${String(r.after.function_name)} ${String(r.after.source_arn)}`).sort();
    const arn = (name: keyof typeof QUOTA_APIS) => `arn:aws:execute-api:${REGION}:123456789012:${QUOTA_APIS[name].id}/v1`;
    const expected = [
      `parity-all ${arn("parity-stage-form")}/*/*`,
      `parity-big ${arn("parity-method-forms")}/DELETE/*`,
      `parity-big ${arn("parity-method-forms")}/GET/*`,
      `parity-big ${arn("parity-method-forms")}/PUT/items0/*`,
      `parity-small ${arn("parity-method-forms")}/PUT/items1/*`,
    ];
    expect(permissions(left)).to.deep.equal(expected);
    expect(permissions(right)).to.deep.equal(expected);
    // Every route still has its method and integration: only the permissions are compacted.
    expect(right.filter((r) => r.type === "aws_api_gateway_integration")).to.have.length(70 + 74);
  });

  it("refuses a function still over the quota after compacting, and a resource policy over its length: synth and plan both name them, with the same sizes", async function () {
    let synthError = "";
    try {
      synthQuotaStack(join(root, "over-quota-cdktf.out"), OVER_QUOTA_APIS);
    } catch (error) {
      synthError = String(error);
    }
    const synthBytes = /function 'parity-big': its resource-based policy \(69 aws_lambda_permission statements, 69 routes\) would be (\d+) bytes, over the "Lambda function resource-based policy size" quota of 20480/.exec(synthError);
    expect(synthBytes, synthError || "synth succeeded").not.to.equal(null);
    const synthCharacters = /InternalApi 'parity-over-policy': its resource policy would be (\d+) characters, over the "API Gateway resource policy length" quota of 8192/.exec(synthError);
    expect(synthCharacters, synthError).not.to.equal(null);
    const outcome = await (await plans!).overQuota;
    if (outcome && typeof outcome === "object" && "status" in outcome) {
      skipWhen(this, outcome as OfflinePlanResult);
      expect.fail("the module planned a function over Lambda's resource-policy quota");
    }
    expect(outcome).to.be.instanceOf(TerraformCommandError);
    // Terraform wraps the message at 80 columns.
    const output = (outcome as TerraformCommandError).output.replace(/\s+/g, " ");
    // The same bound on both sides: the module measures the policy as the construct does.
    expect(output).to.include(
      `Function 'parity-big': its resource-based policy from this API (69 aws_lambda_permission statements, 69 routes) would be ${synthBytes![1]} bytes, over lambda_policy_budget_bytes = 20480`,
    );
    expect(output).to.include(`InternalApi 'parity-over-policy': its resource policy would be ${synthCharacters![1]} characters, over the "API Gateway resource policy length" quota of 8192`);
  });
});

describe("parity comparison", () => {
  const resource = (type: string, after: Record<string, unknown>, afterUnknown: Record<string, unknown> = {}): PlannedResource => ({
    address: `${type}.x`,
    type,
    actions: ["create"],
    after,
    afterUnknown,
  });

  it("compares policy JSON parsed: key order and spacing do not matter, content does", () => {
    const a = resource("aws_iam_role_policy", { policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke"}]}' });
    const b = resource("aws_iam_role_policy", { policy: '{ "Statement": [{ "Action": "execute-api:Invoke", "Effect": "Allow" }], "Version": "2012-10-17" }' });
    const c = resource("aws_iam_role_policy", { policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"execute-api:Invoke"}]}' });
    expect(parityDifferences([a], [b])).to.deep.equal([]);
    expect(parityDifferences([a], [c])).to.have.length(2);
  });

  it("reports a resource type planned a different number of times", () => {
    const method = resource("aws_api_gateway_method", { authorization: "AWS_IAM" });
    expect(parityDifferences([method, method], [method])[0]).to.equal("aws_api_gateway_method: the construct plans 2, the module 1");
  });

  it("requires the same attributes to be unknown at plan on both sides", () => {
    const known = resource("aws_lambda_permission", { source_arn: "arn:aws:execute-api:r:1:a/v1/GET/x" });
    const unknown = resource("aws_lambda_permission", {}, { source_arn: true });
    expect(parityDifferences([known], [unknown])).to.have.length(2);
    expect(parityDifferences([unknown], [unknown])).to.deep.equal([]);
  });

  it("leaves out only the attributes that differ by design", () => {
    const construct = resource("aws_iam_role_policy", { name: "grants", tags: null, role: "r" });
    const module = resource("aws_iam_role_policy", { name: "invoke-a1b2c3d4e5-caller", tags: { team: "x" }, role: "r" });
    expect(parityDifferences([construct], [module])).to.deep.equal([]);
    expect(parityDifferences([construct], [resource("aws_iam_role_policy", { name: "grants", role: "other" })])).to.have.length(2);
  });
});
