import { existsSync, readFileSync } from "node:fs";
import type { AwsCredentialIdentity } from "@smithy/types";
import { awsUserPool } from "./aws-users.js";
import type { E2eUserPool } from "./end-users.js";
import type { E2eTarget, TargetOrSkip } from "./target.js";

const STACK = "secure-internal-apis";

/**
 * The `aws` target: a real deployment, described by the file `cdktf deploy --outputs-file`
 * wrote, signed as the stack's test principals (assumed with the default credential chain).
 */
export async function openAwsTarget(env: NodeJS.ProcessEnv): Promise<TargetOrSkip> {
  const file = env.SIA_E2E_OUTPUTS;
  if (!file) return { skip: "target aws needs SIA_E2E_OUTPUTS=<file written by cdktf deploy --outputs-file>" };
  if (!existsSync(file)) return { skip: `target aws: outputs file ${file} does not exist` };
  const outputs = (JSON.parse(readFileSync(file, "utf8")) as Record<string, Record<string, string>>)[STACK];
  if (!outputs) return { skip: `target aws: ${file} has no outputs for stack ${STACK}` };
  if (!outputs.test_caller_role_arn || !outputs.test_no_grants_role_arn) {
    return { skip: "target aws: deploy with SIA_TEST_PRINCIPALS=true so that the test roles exist" };
  }
  const region = /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com/.exec(outputs.users_api_url ?? "")?.[1];
  if (!region) return { skip: `target aws: users_api_url '${outputs.users_api_url}' is not an execute-api URL` };

  const { fromIni, fromTemporaryCredentials } = await import("@aws-sdk/credential-providers");
  const assume = async (roleArn: string): Promise<AwsCredentialIdentity> =>
    fromTemporaryCredentials({ params: { RoleArn: roleArn, RoleSessionName: "sia-e2e" }, clientConfig: { region } })();
  let granted: AwsCredentialIdentity;
  let noGrants: AwsCredentialIdentity;
  try {
    [granted, noGrants] = await Promise.all([assume(outputs.test_caller_role_arn), assume(outputs.test_no_grants_role_arn)]);
  } catch (error) {
    return { skip: `target aws: could not assume the test roles with the default credential chain (${(error as Error).name})` };
  }
  const otherProfile = env.SIA_E2E_OTHER_ACCOUNT_PROFILE;
  const userPool: E2eUserPool | { skip: string } =
    outputs.user_pool_id && outputs.test_user_pool_client_id
      ? await awsUserPool(region, outputs.user_pool_id, outputs.test_user_pool_client_id)
      : { skip: "target aws: no test app client in the outputs (deploy with SIA_TEST_PRINCIPALS=true)" };
  const target: E2eTarget = {
    name: "aws",
    region,
    publicApiUrl: outputs.public_api_url!,
    usersApiUrl: outputs.users_api_url!,
    usersTableName: outputs.users_table_name!,
    granted: { roleName: roleNameOf(outputs.test_caller_role_arn), credentials: granted },
    noGrants: { roleName: roleNameOf(outputs.test_no_grants_role_arn), credentials: noGrants },
    otherAccount: otherProfile ? { roleName: "(profile " + otherProfile + ")", credentials: await fromIni({ profile: otherProfile })() } : undefined,
    userPool,
    close: async () => {
      if (!("skip" in userPool)) await userPool.close();
    },
  };
  return target;
}

function roleNameOf(roleArn: string): string {
  return roleArn.split("/").pop()!;
}
