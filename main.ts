import { pathToFileURL } from "node:url";
import { App, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { AwsProvider } from "./modules/aws-provider-classes.js";
import { ApiGatewayCloudWatchRole } from "./modules/api-gateway-account.js";
import { AssumableRole } from "./modules/assumable-role.js";
import { InternalApi } from "./modules/internal-api.js";
import { NodeFunction } from "./modules/node-function.js";
import { PublicApi } from "./modules/public-api.js";
import { UserPool } from "./modules/user-pool.js";
import { Table } from "./modules/table.js";
import type { HttpMethod } from "./modules/routes.js";
import { ApiWebAcl } from "./modules/web-acl.js";

export const STACK_NAME = "secure-internal-apis";
/** The second example service's stack: orders, calling users across stacks. */
export const ORDERS_STACK_NAME = "sia-orders";

/** The reference stack's settings; each has a default and an environment variable. */
export interface StackSettings {
  /** AWS region. Env `SIA_REGION`, else `AWS_REGION`. @default "us-east-1" */
  readonly region: string;
  /** Prefix of every function, role and API name. Env `SIA_NAME_PREFIX`. @default "sia" */
  readonly namePrefix: string;
  /** Stage name of both APIs. Env `SIA_STAGE`. @default "v1" */
  readonly stageName: string;
  /** Other accounts allowed to call the internal API. Env `SIA_ALLOWED_ACCOUNT_IDS` (comma-separated). @default [] */
  readonly allowedAccountIds: readonly string[];
  /** Deny principals outside this organization. Env `SIA_ORGANIZATION_ID`. @default none */
  readonly organizationId?: string;
  /** Days to keep function and access logs. Env `SIA_LOG_RETENTION_DAYS`. @default 30 */
  readonly logRetentionDays: number;
  /** Manage the region-wide API Gateway CloudWatch role. Env `SIA_MANAGE_APIGW_ACCOUNT=true`. @default false */
  readonly manageApiGatewayAccount: boolean;
  /** Refuse deleting the user pool. Env `SIA_USER_POOL_DELETION_PROTECTION=false` to switch off. @default true */
  readonly userPoolDeletionProtection: boolean;
  /** Deletion protection of the users table. Env `SIA_TABLE_DELETION_PROTECTION=false` to switch off. @default true */
  readonly tableDeletionProtection: boolean;
  /** Put an AWS WAF web ACL (rate limit per IP, IP reputation list) in front of both APIs. Env `SIA_WAF=true`. @default false */
  readonly waf: boolean;
  /** The web ACL's requests per source IP per 5 minutes. Env `SIA_WAF_RATE_LIMIT`. @default 2000 */
  readonly wafRateLimitPerIp?: number;
  /**
   * Create two roles for the end-to-end suite, assumable by this account: one with exactly the
   * profile function's grants, one with none; and a user pool app client that allows admin
   * sign-in, for throwaway test users. Env `SIA_TEST_PRINCIPALS=true`. @default false
   */
  readonly testPrincipals: boolean;
}

/** Reads settings from the environment, failing clearly on a value that cannot be right. */
export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): StackSettings {
  const flag = (name: string, fallback = false): boolean => {
    const value = env[name];
    if (value === undefined || value === "") return fallback;
    if (value === "false") return false;
    if (value === "true") return true;
    throw new Error(`${name} must be 'true' or 'false', got '${value}'.`);
  };
  const region = env.SIA_REGION || env.AWS_REGION || "us-east-1";
  if (!/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(region)) throw new Error(`SIA_REGION '${region}' is not an AWS region name.`);
  const namePrefix = env.SIA_NAME_PREFIX || "sia";
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(namePrefix)) {
    throw new Error(`SIA_NAME_PREFIX '${namePrefix}' must be 1-20 lowercase letters, digits or '-', starting with a letter.`);
  }
  const retention = env.SIA_LOG_RETENTION_DAYS || "30";
  if (!/^\d+$/.test(retention)) throw new Error(`SIA_LOG_RETENTION_DAYS '${retention}' must be a number of days.`);
  const wafRateLimit = env.SIA_WAF_RATE_LIMIT || undefined;
  if (wafRateLimit !== undefined && !/^\d+$/.test(wafRateLimit)) throw new Error(`SIA_WAF_RATE_LIMIT '${wafRateLimit}' must be a number of requests.`);
  return {
    region,
    namePrefix,
    stageName: env.SIA_STAGE || "v1",
    allowedAccountIds: (env.SIA_ALLOWED_ACCOUNT_IDS ?? "").split(",").map((s) => s.trim()).filter(Boolean),
    organizationId: env.SIA_ORGANIZATION_ID || undefined,
    logRetentionDays: Number(retention),
    manageApiGatewayAccount: flag("SIA_MANAGE_APIGW_ACCOUNT"),
    userPoolDeletionProtection: flag("SIA_USER_POOL_DELETION_PROTECTION", true),
    tableDeletionProtection: flag("SIA_TABLE_DELETION_PROTECTION", true),
    testPrincipals: flag("SIA_TEST_PRINCIPALS"),
    waf: flag("SIA_WAF"),
    wafRateLimitPerIp: wafRateLimit === undefined ? undefined : Number(wafRateLimit),
  };
}

/**
 * The reference architecture: an internal users service behind an IAM-only REST API, and a
 * public API whose functions call it with SigV4, each granted exactly the routes it needs.
 */
export class ReferenceStack extends TerraformStack {
  readonly users: InternalApi;
  readonly usersTable: Table;
  readonly publicApi: PublicApi;
  readonly userPool: UserPool;
  readonly functions: { readonly users: NodeFunction; readonly profile: NodeFunction; readonly me: NodeFunction };

  constructor(scope: Construct, id: string, settings: StackSettings) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: settings.region });

    const p = settings.namePrefix;
    const fn = (name: string, description: string, environment?: Record<string, string>) =>
      new NodeFunction(this, `${name}-function`, {
        entry: `lambdas/${name}/handler.ts`,
        functionName: `${p}-${name}`,
        description,
        environment,
        logRetentionDays: settings.logRetentionDays,
      });

    this.usersTable = new Table(this, "users-table", {
      tableName: `${p}-users`,
      deletionProtection: settings.tableDeletionProtection,
      tags: { service: "users" },
    });
    const usersFunction = fn("users", "Internal users service (GET /users/{id}, PUT /users/{id})", { USERS_TABLE_NAME: this.usersTable.tableName });
    // Exactly what lambdas/users/dynamodb-store.ts calls: GetItem to read, PutItem to create or replace
    // (and, with attribute_not_exists(id), to create only: the same action, no other grant).
    this.usersTable.grant(usersFunction, ["GetItem", "PutItem"]);
    this.users = new InternalApi(this, "users", {
      name: `${p}-users-internal`,
      description: "Internal users service: every method is AWS_IAM",
      stageName: settings.stageName,
      allowedAccountIds: settings.allowedAccountIds,
      organizationId: settings.organizationId,
      logRetentionDays: settings.logRetentionDays,
      routes: [
        { method: "GET", path: "/users/{id}", function: usersFunction },
        // Create or replace one user's record; only the me function is granted it.
        { method: "PUT", path: "/users/{id}", function: usersFunction },
      ],
    });

    if (settings.manageApiGatewayAccount) {
      new ApiGatewayCloudWatchRole(this, "apigateway-account", { accountId: this.users.accountId });
    }

    // Internal URLs reach callers through their environment.
    const callerEnv = { USERS_API_URL: this.users.url };
    const profile = fn("profile", "Public GET /users/{id}/profile: reads users, returns public fields", callerEnv);
    const me = fn("me", "Public GET and PUT /me: the signed-in user's own record, by the token's sub", callerEnv);
    // Grants are per method and path: profile may only read; me reads and writes, and the handler
    // only ever names the verified caller's own id (the role answers for the id it passes).
    const profileGrants: ReadonlyArray<readonly [HttpMethod, string]> = [["GET", "/users/{id}"]];
    for (const [method, path] of profileGrants) this.users.grantInvoke(profile, method, path);
    this.users.grantInvoke(me, "GET", "/users/{id}");
    this.users.grantInvoke(me, "PUT", "/users/{id}");

    this.userPool = new UserPool(this, "users-pool", {
      name: `${p}-users`,
      deletionProtection: settings.userPoolDeletionProtection,
      testClient: settings.testPrincipals,
    });

    this.publicApi = new PublicApi(this, "public", {
      name: `${p}-public`,
      description: "Public entry point",
      stageName: settings.stageName,
      logRetentionDays: settings.logRetentionDays,
      userPool: { userPoolArn: this.userPool.userPoolArn, clientIds: this.userPool.clientIds },
      // Every route is for signed-in users; sign-up itself is Cognito's (SignUp, or admins).
      routes: [
        { method: "GET", path: "/me", function: me, authorization: "COGNITO_USER_POOLS" },
        { method: "PUT", path: "/me", function: me, authorization: "COGNITO_USER_POOLS" },
        { method: "GET", path: "/users/{id}/profile", function: profile, authorization: "COGNITO_USER_POOLS" },
      ],
    });
    this.functions = { users: usersFunction, profile, me };
    if (settings.waf) {
      new ApiWebAcl(this, "waf", { name: `${p}-apis`, stages: [this.users.stage, this.publicApi.stage], rateLimitPerIp: settings.wafRateLimitPerIp });
    } else if (settings.wafRateLimitPerIp !== undefined) {
      throw new Error("SIA_WAF_RATE_LIMIT is set but SIA_WAF is not 'true': set SIA_WAF=true to create the web ACL.");
    }

    const output = (name: string, value: string, description: string) =>
      new TerraformOutput(this, name, { value, description });
    output("public_api_url", this.publicApi.url, "Base URL of the public API");
    output("user_pool_id", this.userPool.userPoolId, "Id of the user pool whose tokens the public API accepts");
    output("user_pool_client_id", this.userPool.publicClientId, "Public app client (SRP sign-in, no secret)");
    output("users_api_url", this.users.url, "Base URL of the internal users API (AWS_IAM only)");
    output("users_api_id", this.users.restApiId, "REST API id of the internal users API");
    output("users_api_stage", this.users.stageName, "Stage of the internal users API");
    output("users_table_name", this.usersTable.tableName, "Name of the users table");
    output("users_function_role_arn", usersFunction.roleArn, "Role of the users function (GetItem and PutItem on the users table)");
    output("profile_function_role_arn", profile.roleArn, "Role of the profile function (GET /users/{id})");
    output("me_function_role_arn", me.roleArn, "Role of the me function (GET and PUT /users/{id})");

    if (settings.testPrincipals) {
      const role = (name: string, description: string) =>
        new AssumableRole(this, name, { roleName: `${p}-${name}`, trustedAccountId: this.users.accountId, description });
      const caller = role("test-caller", "End-to-end tests: exactly the profile function's grants");
      for (const [method, path] of profileGrants) this.users.grantInvoke(caller, method, path);
      const noGrants = role("test-no-grants", "End-to-end tests: no grants at all");
      output("test_caller_role_arn", caller.roleArn, "Role with the profile function's grants, for end-to-end tests");
      output("test_no_grants_role_arn", noGrants.roleArn, "Role without grants, for end-to-end tests");
      output("test_user_pool_client_id", this.userPool.testClientId!, "App client with admin sign-in, for throwaway end-to-end users");
    }
  }
}

/**
 * A second service in its own stack, as real estates split them: a public orders API (signed in
 * with the users stack's user pool) whose function reads users through the users service's
 * internal API, granted exactly `GET /users/{id}` there. CDKTF turns each reference to the other stack (the API's execution ARN
 * in the grant, its URL in the environment) into an output there and a remote state here.
 */
export class OrdersStack extends TerraformStack {
  readonly publicApi: PublicApi;
  readonly orders: NodeFunction;

  constructor(scope: Construct, id: string, settings: StackSettings, users: InternalApi, userPool: UserPool) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: settings.region });
    const p = settings.namePrefix;
    this.orders = new NodeFunction(this, "orders-function", {
      entry: "lambdas/orders/handler.ts",
      functionName: `${p}-orders`,
      description: "Public POST /orders (signed in): reads the user through the users service",
      environment: { USERS_API_URL: users.url },
      logRetentionDays: settings.logRetentionDays,
    });
    users.grantInvoke(this.orders, "GET", "/users/{id}");
    this.publicApi = new PublicApi(this, "orders-public", {
      name: `${p}-orders-public`,
      description: "Orders service: public entry point",
      stageName: settings.stageName,
      logRetentionDays: settings.logRetentionDays,
      // The users stack's pool signs its users in here too: an order is a signed-in user's own.
      userPool: { userPoolArn: userPool.userPoolArn, clientIds: userPool.clientIds },
      routes: [{ method: "POST", path: "/orders", function: this.orders, authorization: "COGNITO_USER_POOLS" }],
    });
    new TerraformOutput(this, "orders_api_url", { value: this.publicApi.url, description: "Base URL of the public orders API" });
    new TerraformOutput(this, "orders_function_role_arn", { value: this.orders.roleArn, description: "Role of the orders function (GET /users/{id} on users)" });
  }
}

/** Builds the app (the reference stack and the orders stack); `cdktf synth` runs this file. */
export function synthReferenceApp(options: { outdir?: string; env?: NodeJS.ProcessEnv } = {}): App {
  // cdktf captures a full stack trace for every token it creates, and with source maps on (tsx
  // turns them on) Node maps every frame: ~100 ms of a synth, for traces only cdktf's own token
  // errors print. Off while the app is built, restored after, whatever happens.
  const sourceMaps = process.sourceMapsEnabled;
  process.setSourceMapsEnabled(false);
  try {
    const app = new App({ outdir: options.outdir, skipValidation: false });
    const settings = settingsFromEnv(options.env);
    const reference = new ReferenceStack(app, STACK_NAME, settings);
    new OrdersStack(app, ORDERS_STACK_NAME, settings, reference.users, reference.userPool);
    app.synth();
    return app;
  } finally {
    process.setSourceMapsEnabled(sourceMaps);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    synthReferenceApp();
  } catch (error) {
    console.error(`synth failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
