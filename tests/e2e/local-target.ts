import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { settingsFromEnv, STACK_NAME, synthReferenceApp } from "../../main.js";
import type { RoleCredentials } from "../../local/credentials/local-credentials.js";
import { OTHER_ACCOUNT_ROLE_NAME } from "../../local/credentials/other-account-role.js";
import { DEFAULT_STATE_DIR, startOfflineMode } from "../../local/offline-mode.js";
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
    const endpoints = read("endpoints.json") as { dynamodb: string };
    return localTarget(settingsFromEnv(env).region, outputs, read("credentials.json") as Credentials, endpoints.dynamodb, async () => {});
  }
  const outdir = mkdtempSync(join(tmpdir(), "sia-e2e-"));
  synthReferenceApp({ outdir, env: { ...env, SIA_TEST_PRINCIPALS: "true" } });
  const offline = await startOfflineMode({ port: 0, quiet: true, stackDir: join(outdir, "stacks", STACK_NAME) });
  return localTarget(offline.model.region, offline.outputs, offline.credentials, offline.awsEndpoint, async () => {
    await offline.close();
    rmSync(outdir, { recursive: true, force: true });
  });
}

function localTarget(region: string, outputs: Outputs, credentials: Credentials, dynamoDbEndpoint: string, close: () => Promise<void>): E2eTarget {
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
    close,
  };
}
