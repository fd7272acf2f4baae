import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { settingsFromEnv, STACK_NAME, synthReferenceApp } from "../../main.js";
import type { RoleCredentials } from "../../local/credentials/local-credentials.js";
import { OTHER_ACCOUNT_ROLE_NAME } from "../../local/credentials/other-account-role.js";
import { mintFromStateDir, type MintOptions } from "../../local/issuer/local-issuer.js";
import { poolUserFor } from "../../local/issuer/local-users.js";
import { DEFAULT_STATE_DIR, startOfflineMode } from "../../local/offline-mode.js";
import { throwawayEmail, type E2eUserPool } from "./end-users.js";
import type { E2ePrincipal, E2eTarget, TargetOrSkip } from "./target.js";

type Outputs = Record<string, string>;
type Credentials = Record<string, RoleCredentials>;

/**
 * The `local` target: the offline mode serving the reference stack synthesized with its test
 * principals. Started on a free loopback port and stopped after, or, with SIA_E2E_REUSE=1, the
 * one `SIA_TEST_PRINCIPALS=true npm start` is running (read from `.local/`).
 */
export async function openLocalTarget(env: NodeJS.ProcessEnv): Promise<TargetOrSkip> {
  if (env.SIA_E2E_REUSE === "1") {
    const read = (file: string) => JSON.parse(readFileSync(join(DEFAULT_STATE_DIR, file), "utf8"));
    if (!existsSync(join(DEFAULT_STATE_DIR, "outputs.json"))) return { skip: "SIA_E2E_REUSE=1 but no offline mode has written .local/outputs.json (run npm start)" };
    const outputs = (read("outputs.json") as Record<string, Outputs>)[STACK_NAME]!;
    const users = localUserPool(outputs, (options) => mintFromStateDir(DEFAULT_STATE_DIR, options));
    const endpoints = read("endpoints.json") as { dynamodb: string };
    return localTarget(settingsFromEnv(env).region, outputs, read("credentials.json") as Credentials, endpoints.dynamodb, users, undefined, async () => {});
  }
  const outdir = mkdtempSync(join(tmpdir(), "sia-e2e-"));
  synthReferenceApp({ outdir, env: { ...env, SIA_TEST_PRINCIPALS: "true" } });
  // Not quiet: the cases read the access log (function output lands here too, unprinted).
  const lines: string[] = [];
  const offline = await startOfflineMode({ port: 0, stackDir: join(outdir, "stacks", STACK_NAME), log: (line) => lines.push(line) });
  const users = localUserPool(offline.outputs, (options) => offline.issuer.mint(options));
  return localTarget(offline.model.region, offline.outputs, offline.credentials, offline.awsEndpoint, users, () => lines, async () => {
    await offline.close();
    rmSync(outdir, { recursive: true, force: true });
  });
}

/** The local pool: any email signs in (the issuer mints for it), tokens of the public app client. */
function localUserPool(outputs: Outputs, mint: (options: MintOptions) => Promise<string>): E2eUserPool {
  const poolId = outputs.user_pool_id!;
  const clientId = outputs.user_pool_client_id!;
  const region = poolId.split("_")[0];
  return {
    issuer: `https://cognito-idp.${region}.amazonaws.com/${poolId}`,
    signIn: async (label) => {
      const email = throwawayEmail(label);
      const [idToken, accessToken] = await Promise.all([mint({ email, poolId, clientId }), mint({ email, poolId, clientId, use: "access" })]);
      return { sub: poolUserFor(email).sub, email, idToken, accessToken };
    },
    expiredIdToken: (user) => mint({ email: user.email, poolId, clientId, expiresInSeconds: -60 }),
    close: async () => {},
  };
}

function localTarget(
  region: string,
  outputs: Outputs,
  credentials: Credentials,
  dynamoDbEndpoint: string,
  userPool: E2eUserPool,
  accessLog: (() => readonly string[]) | undefined,
  close: () => Promise<void>,
): E2eTarget {
  const principal = (roleArnOutput: string): E2ePrincipal => {
    const roleName = outputs[roleArnOutput]?.split("/").pop();
    const found = roleName ? credentials[roleName] : undefined;
    if (!roleName || !found) {
      throw new Error(`the offline mode has no credentials for output ${roleArnOutput}: start it with SIA_TEST_PRINCIPALS=true`);
    }
    return { roleName, credentials: found };
  };
  const other = credentials[OTHER_ACCOUNT_ROLE_NAME];
  return {
    name: "local",
    region,
    publicApiUrl: outputs.public_api_url!,
    usersApiUrl: outputs.users_api_url!,
    usersTableName: outputs.users_table_name!,
    dynamoDbEndpoint,
    granted: principal("test_caller_role_arn"),
    noGrants: principal("test_no_grants_role_arn"),
    otherAccount: other ? { roleName: OTHER_ACCOUNT_ROLE_NAME, credentials: other } : undefined,
    userPool,
    accessLog,
    close,
  };
}
