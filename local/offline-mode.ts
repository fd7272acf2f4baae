import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { LocalCredentialStore, type RoleCredentials } from "./credentials/local-credentials.js";
import { DEFAULT_OTHER_ACCOUNT_ID, OTHER_ACCOUNT_ROLE_NAME, otherAccountRole } from "./credentials/other-account-role.js";
import { writePrivateFile } from "./credentials/private-file.js";
import { ensureFreshSynth } from "./fresh-synth.js";
import { listenOnLoopback } from "./node-http.js";
import { AwsEndpoint } from "./aws-endpoint/aws-endpoint.js";
import { startDynamoDbEngine, type DynamoDbEngine } from "./aws-endpoint/dynamodb-engine.js";
import { Gateway } from "./gateway/gateway.js";
import { appStackDirs, loadApp } from "./loader/load-app.js";
import { LocalIssuer } from "./issuer/local-issuer.js";
import { loadStack } from "./loader/load-stack.js";
import { StackLoadError } from "./loader/terraform-json.js";
import type { RoleModel, StackModel } from "./model.js";
import { LambdaRunner } from "./runner/lambda-runner.js";

/** The repository root (this file lives in `local/`). */
export const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));
/** The synthesized app `npm start` serves: every stack in it, together. */
export const DEFAULT_APP_DIR = join(PROJECT_ROOT, "cdktf.out");
export const DEFAULT_STACK_DIR = join(DEFAULT_APP_DIR, "stacks", "secure-internal-apis");
export const DEFAULT_ACCOUNT_ID = "123456789012";
/** AWS Organizations ids: `o-` and 10 to 32 lower-case letters or digits (Organizations API reference). */
export const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
/** Where the CLI writes outputs.json, credentials.json and endpoints.json, and keeps table data. */
export const DEFAULT_STATE_DIR = join(PROJECT_ROOT, ".local");
/** Offline-only seed data for the stack's tables (BatchWriteItem's RequestItems shape). */
export const DEFAULT_SEED_FILE = join(PROJECT_ROOT, "local", "seed", "dynamodb.json");

export interface OfflineModeOptions {
  /** Loopback port; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** No access log and no function output. @default false */
  readonly quiet?: boolean;
  /** One synthesized stack directory, served alone and as it is. @default the app (see `stacks`), synthesized first when stale */
  readonly stackDir?: string;
  /** A synthesized app folder (holding `manifest.json`), served as it is. @default cdktf.out, synthesized first when stale */
  readonly appDir?: string;
  /** The stacks of the app to serve (not with `stackDir`). @default every stack of the app */
  readonly stacks?: readonly string[];
  /** The account the stack is "deployed" in. @default "123456789012" */
  readonly accountId?: string;
  /** @default the aws provider's region in the stack, else us-east-1 */
  readonly region?: string;
  /**
   * The AWS Organizations id (`o-…`) of the stack account's principals: `aws:PrincipalOrgID`.
   * The other account's role stays outside it. @default no organization (the key is absent)
   */
  readonly organizationId?: string;
  /** The account of the extra cross-account role. @default "444455556666" */
  readonly otherAccountId?: string;
  /**
   * Write `outputs.json`, `credentials.json` and `endpoints.json` here, and keep the tables' data
   * in `<stateDir>/dynamodb` across restarts. @default nothing is written; tables live in memory
   */
  readonly stateDir?: string;
  /** Start with empty tables (deletes `<stateDir>/dynamodb`). @default false */
  readonly reset?: boolean;
  /** Seed for tables created in this start. @default local/seed/dynamodb.json; `null` for none */
  readonly seedFile?: string | null;
  /** Apply each stage's throttling. @default true */
  readonly throttling?: boolean;
  /** Concurrent instances per function. @default 8 */
  readonly maxInstancesPerFunction?: number;
  /** Where lines go (access log, function output, notices). @default stderr */
  readonly log?: (line: string) => void;
}

export interface OfflineMode {
  /** `http://127.0.0.1:PORT`. */
  readonly endpoint: string;
  readonly port: number;
  /** The served stacks' names, `a + b`. */
  readonly stackName: string;
  /** Terraform outputs with local values (`public_api_url`, `users_api_url`, …), of every served stack. */
  readonly outputs: Readonly<Record<string, string>>;
  /** Each served stack on its own (its outputs, its APIs), dependencies first. */
  readonly stacks: readonly StackModel[];
  /** The local AWS endpoint's URL (what `AWS_ENDPOINT_URL_DYNAMODB` holds in the functions). */
  readonly awsEndpoint: string;
  /** Credentials by role name: every role of the stack plus {@link OTHER_ACCOUNT_ROLE_NAME}. */
  readonly credentials: Readonly<Record<string, RoleCredentials>>;
  readonly model: StackModel;
  /** The user pools' token issuer: mints tokens the gateway's COGNITO_USER_POOLS authorizers accept. */
  readonly issuer: LocalIssuer;
  /** Process ids of the running Lambda instances, by function. */
  lambdaPids(): Record<string, number[]>;
  /** Stops the servers, the DynamoDB engine and every Lambda instance, and removes the unzipped bundles. */
  close(): Promise<void>;
}

/** The aws provider's region in a synthesized stack, when it is a literal. */
export function providerRegion(stackDir: string): string | undefined {
  try {
    const json = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as { provider?: { aws?: Array<{ region?: unknown }> } };
    const region = json.provider?.aws?.[0]?.region;
    return typeof region === "string" && !region.includes("${") ? region : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts the offline mode: loads the synthesized stack, serves it on 127.0.0.1 with SigV4 and IAM
 * enforced, and runs its functions in warm child processes with their roles' local credentials.
 */
export async function startOfflineMode(options: OfflineModeOptions = {}): Promise<OfflineMode> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const quiet = options.quiet ?? false;
  const stackDir = resolve(options.stackDir ?? DEFAULT_STACK_DIR);
  const accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
  const otherAccountId = options.otherAccountId ?? DEFAULT_OTHER_ACCOUNT_ID;
  // The other-account role exists to prove cross-account calls are refused: in the stack's own
  // account it would be a same-account role allowed everything, and every cross-account test would lie.
  if (accountId === otherAccountId) {
    throw new StackLoadError("--account-id", `${accountId} is the account of the offline mode's other-account role (${OTHER_ACCOUNT_ROLE_NAME}): pick another account id`);
  }
  if (options.organizationId !== undefined && !ORGANIZATION_ID.test(options.organizationId)) {
    throw new StackLoadError("--organization-id", `'${options.organizationId}' is not an AWS Organizations id (o- and 10 to 32 lower-case letters or digits)`);
  }
  if (options.stackDir !== undefined && !existsSync(join(stackDir, "cdk.tf.json"))) {
    throw new StackLoadError("--stack-dir", `${stackDir} holds no cdk.tf.json (pass a synthesized stack folder, e.g. cdktf.out/stacks/<stack>)`);
  }
  if (options.stackDir !== undefined && options.stacks !== undefined) {
    throw new StackLoadError("--stack", "names stacks of the app, --stack-dir serves one stack folder: pass one of them");
  }
  if (options.stackDir === undefined && options.appDir === undefined) ensureFreshSynth(PROJECT_ROOT, join(stackDir, "cdk.tf.json"), quiet ? () => undefined : log);

  const server = createServer({ keepAlive: true });
  const awsServer = createServer({ keepAlive: true });
  const closeServer = (s: Server) => {
    const closed = new Promise<void>((done) => s.close(() => done()));
    s.closeAllConnections();
    return closed;
  };
  let runner: LambdaRunner | undefined;
  let engine: DynamoDbEngine | undefined;
  let awsEndpoint: AwsEndpoint | undefined;
  const stopAll = async () => {
    awsEndpoint?.close();
    await Promise.all([closeServer(server), closeServer(awsServer), runner?.close(), engine?.close()]);
  };
  try {
    const port = await listenOnLoopback(server, options.port ?? 0);
    const endpoint = `http://127.0.0.1:${port}`;
    const awsEndpointUrl = `http://127.0.0.1:${await listenOnLoopback(awsServer, 0)}`;
    const appDir = options.appDir ?? DEFAULT_APP_DIR;
    // The region of the stack (the first of the app): where the functions' ARNs and URLs point.
    const regionFrom = options.stackDir !== undefined ? stackDir : appStackDirs(appDir)[0];
    const placement = { accountId, region: options.region ?? (regionFrom && providerRegion(regionFrom)) ?? "us-east-1", endpoint };
    let model: StackModel;
    let stacks: readonly StackModel[];
    if (options.stackDir !== undefined) {
      model = loadStack({ stackDir, ...placement });
      stacks = [model];
    } else {
      ({ model, stacks } = loadApp({ appDir, stacks: options.stacks, ...placement }));
    }
    // With a state dir the pool keys persist, so `npm run token` signs what this gateway verifies.
    const issuer = await LocalIssuer.open(model.userPools.values(), endpoint, options.stateDir);
    const store = new LocalCredentialStore((account) => (account === model.accountId ? options.organizationId : undefined));
    const roles = new Map<string, RoleModel>(model.roles);
    const foreign = otherAccountRole(otherAccountId);
    roles.set(foreign.arn, foreign);
    const credentials: Record<string, RoleCredentials> = {};
    for (const role of roles.values()) credentials[role.name] = store.issue(role, "local");

    engine = await startDynamoDbEngine({
      tables: model.tables.values(),
      ...(options.stateDir !== undefined ? { dataDir: join(options.stateDir, "dynamodb") } : {}),
      reset: options.reset ?? false,
      ...(options.seedFile !== null ? { seedFile: options.seedFile ?? DEFAULT_SEED_FILE } : {}),
      // The default seed names the reference stack's tables; another stack may not have them.
      seedStrict: options.seedFile !== undefined,
      notice: log,
    });
    awsEndpoint = new AwsEndpoint({
      region: model.region,
      accountId: model.accountId,
      tables: model.tables,
      engineUrl: engine.url,
      lookupCredentials: store.lookup,
      roles,
      accessLog: quiet ? undefined : log,
      warn: log,
    });
    awsServer.on("request", awsEndpoint.listener);

    // Each function's instances get their own session, named after the function as Lambda does.
    runner = new LambdaRunner({
      functions: model.functions.values(),
      region: model.region,
      credentialsFor: (fn) => store.issue(model.roles.get(fn.roleArn)!, fn.name),
      awsEndpointUrl,
      maxInstancesPerFunction: options.maxInstancesPerFunction,
      log: quiet ? () => undefined : log,
    });
    const gateway = new Gateway({
      model,
      invoker: runner,
      lookupCredentials: store.lookup,
      issuer,
      roles,
      accessLog: quiet ? undefined : log,
      warn: log,
      throttling: options.throttling,
    });
    server.on("request", gateway.listener);
    server.on("clientError", gateway.clientErrorListener);

    if (options.stateDir !== undefined) {
      mkdirSync(options.stateDir, { recursive: true });
      // Shaped as `cdktf deploy --outputs-file` writes it: one object per stack.
      const outputs = Object.fromEntries(stacks.map((stack) => [stack.stackName, stack.outputs]));
      writeFileSync(join(options.stateDir, "outputs.json"), `${JSON.stringify(outputs, null, 2)}\n`);
      writePrivateFile(join(options.stateDir, "credentials.json"), `${JSON.stringify(credentials, null, 2)}\n`);
      writeFileSync(join(options.stateDir, "endpoints.json"), `${JSON.stringify({ dynamodb: awsEndpointUrl }, null, 2)}\n`);
    }

    const activeRunner = runner;
    let closing: Promise<void> | undefined;
    return {
      endpoint,
      awsEndpoint: awsEndpointUrl,
      port,
      stackName: model.stackName,
      outputs: model.outputs,
      stacks,
      credentials,
      model,
      issuer,
      lambdaPids: () => activeRunner.pids(),
      close: () => (closing ??= stopAll()),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
