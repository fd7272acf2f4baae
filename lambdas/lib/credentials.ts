import { CREDENTIAL_REFRESH_MARGIN_MS, ERROR_CODES } from "./constants.js";
import { SigningError } from "./errors.js";

/** AWS credentials (structurally the SDK's `AwsCredentialIdentity`). */
export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
  readonly expiration?: Date | undefined;
}

export type CredentialsProvider = () => Promise<Credentials>;

/**
 * A Lambda function's role credentials, which the runtime puts in its environment: read with no
 * SDK code, so a bundle does not carry the SDK's provider chain.
 */
export function fromLambdaEnvironment(env: NodeJS.ProcessEnv = process.env): CredentialsProvider {
  return async () => {
    const accessKeyId = env["AWS_ACCESS_KEY_ID"];
    const secretAccessKey = env["AWS_SECRET_ACCESS_KEY"];
    if (!accessKeyId || !secretAccessKey) {
      throw new SigningError("AWS_ACCESS_KEY_ID or AWS_SECRET_ACCESS_KEY is not set", ERROR_CODES.credentials);
    }
    return { accessKeyId, secretAccessKey, sessionToken: env["AWS_SESSION_TOKEN"] || undefined };
  };
}

/** Held in a variable so that esbuild leaves this import out of the bundles (~280 KB). */
const SDK_CREDENTIAL_CHAIN: string = "@aws-sdk/credential-provider-node";

/**
 * Outside Lambda, the SDK's default chain (env, SSO, profiles, IMDS...), imported only when first
 * needed: in Lambda this path is never taken, so the bundles do not carry it.
 */
export function fromDefaultChain(): CredentialsProvider {
  let chain: CredentialsProvider | undefined;
  return async () => {
    if (chain === undefined) {
      const sdk = (await import(SDK_CREDENTIAL_CHAIN)) as typeof import("@aws-sdk/credential-provider-node");
      chain = sdk.defaultProvider();
    }
    return chain();
  };
}

/** Lambda's own credentials when running in Lambda, the SDK chain elsewhere. */
export function defaultCredentials(env: NodeJS.ProcessEnv = process.env): CredentialsProvider {
  return env["AWS_LAMBDA_FUNCTION_NAME"] && env["AWS_ACCESS_KEY_ID"] ? fromLambdaEnvironment(env) : fromDefaultChain();
}

/**
 * Caches credentials until `refreshMarginMs` before they expire, then fetches new ones; callers
 * waiting meanwhile share one fetch. A failed fetch is not cached.
 */
export function memoizeCredentials(
  provider: CredentialsProvider,
  now: () => number,
  refreshMarginMs = CREDENTIAL_REFRESH_MARGIN_MS,
): CredentialsProvider {
  let current: Promise<Credentials> | undefined;
  let refreshAt = Number.POSITIVE_INFINITY;
  return () => {
    if (current && now() < refreshAt) return current;
    refreshAt = Number.POSITIVE_INFINITY;
    const fetching = provider().then((credentials) => {
      assertUsable(credentials);
      if (current === fetching && credentials.expiration) {
        refreshAt = credentials.expiration.getTime() - refreshMarginMs;
      }
      return credentials;
    });
    current = fetching;
    fetching.catch(() => {
      if (current === fetching) current = undefined;
    });
    return fetching;
  };
}

/** An identity or a provider, as `createSignedGot` accepts them. */
export function toProvider(credentials: Credentials | CredentialsProvider): CredentialsProvider {
  return typeof credentials === "function" ? credentials : async () => credentials;
}

function assertUsable(credentials: Credentials): void {
  if (
    typeof credentials !== "object" ||
    credentials === null ||
    typeof credentials.accessKeyId !== "string" ||
    typeof credentials.secretAccessKey !== "string" ||
    credentials.accessKeyId === "" ||
    credentials.secretAccessKey === ""
  ) {
    throw new SigningError("the credentials provider returned no accessKeyId/secretAccessKey", ERROR_CODES.credentials);
  }
}
