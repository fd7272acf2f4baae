import { createHash } from "node:crypto";

/**
 * Realistic ids for resources that AWS would name at create time. They are derived from the
 * Terraform address, so URLs and ARNs stay the same across restarts of the offline mode.
 */

function digest(seed: string): Buffer {
  return createHash("sha256").update(seed).digest();
}

function fromAlphabet(seed: string, alphabet: string, length: number): string {
  const bytes = digest(seed);
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[bytes[i % bytes.length]! % alphabet.length];
  return out;
}

const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
const UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** A REST API id, resource id or deployment id: 10 lowercase letters and digits, like `a1b2c3d4e5`. */
export function apiGatewayId(address: string): string {
  return fromAlphabet(address, LOWER_ALNUM, 10);
}

/** A role's unique id: `AROA` and 17 characters. */
export function roleUniqueId(arn: string): string {
  return `AROA${fromAlphabet(arn, UPPER_ALNUM, 17)}`;
}

/** `arn:aws:execute-api:REGION:ACCOUNT:API_ID`. */
export function executionArnOf(region: string, accountId: string, apiId: string): string {
  return `arn:aws:execute-api:${region}:${accountId}:${apiId}`;
}

/** `arn:aws:lambda:REGION:ACCOUNT:function:NAME`. */
export function functionArnOf(region: string, accountId: string, name: string): string {
  return `arn:aws:lambda:${region}:${accountId}:function:${name}`;
}

/** `arn:aws:dynamodb:REGION:ACCOUNT:table/NAME`. */
export function tableArnOf(region: string, accountId: string, tableName: string): string {
  return `arn:aws:dynamodb:${region}:${accountId}:table/${tableName}`;
}

/** The URI an API Gateway Lambda integration uses for a function. */
export function invokeArnOf(region: string, functionArn: string): string {
  return `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${functionArn}/invocations`;
}

/** The function ARN inside an integration URI, or undefined when the URI is not a Lambda invoke ARN. */
export function functionArnFromInvokeArn(uri: string): string | undefined {
  return /^arn:aws[a-z-]*:apigateway:[a-z0-9-]+:lambda:path\/2015-03-31\/functions\/(arn:[^/]+)\/invocations$/.exec(uri)?.[1];
}

/** A user pool id, `<region>_` and 9 letters and digits, like `us-east-1_Ab3dE5gH7`. */
export function userPoolIdOf(region: string, address: string): string {
  return `${region}_${fromAlphabet(address, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 9)}`;
}

/** An app client id: 26 lowercase letters and digits. */
export function userPoolClientIdOf(address: string): string {
  return fromAlphabet(address, LOWER_ALNUM, 26);
}

/** `arn:aws:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID`. */
export function userPoolArnOf(region: string, accountId: string, poolId: string): string {
  return `arn:aws:cognito-idp:${region}:${accountId}:userpool/${poolId}`;
}
