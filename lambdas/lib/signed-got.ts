import got from "got";
import type { ExtendOptions, Got } from "got";
import { SigningClock } from "./clock.js";
import { DEFAULT_MAX_BUFFERED_BODY_BYTES, DEFAULT_RETRY, DEFAULT_SERVICE, DEFAULT_TIMEOUT } from "./constants.js";
import { defaultCredentials, memoizeCredentials, toProvider } from "./credentials.js";
import type { Credentials, CredentialsProvider } from "./credentials.js";
import { trackSentRequests } from "./sent-credentials.js";
import { createSigningHooks, FORM_ENCODED_QUERY } from "./signing-hooks.js";

/** `createSignedGot` options: any got option, plus how to sign. */
export interface SignedGotOptions extends ExtendOptions {
  /**
   * The signing region.
   * @default the region in an execute-api or VPC-endpoint host name, else `AWS_REGION`; a custom domain with neither fails the request
   */
  readonly region?: string;
  /**
   * The signing service name.
   * @default "execute-api"
   */
  readonly service?: string;
  /**
   * An identity or a provider (memoized, refreshed 5 minutes before `expiration`).
   * @default in Lambda the role's credentials from the environment (no SDK code); elsewhere the SDK's default chain, imported on first use
   */
  readonly credentials?: Credentials | CredentialsProvider;
  /**
   * The local clock in epoch milliseconds; signing adds the skew offset learned from API Gateway.
   * @default Date.now
   */
  readonly now?: () => number;
  /**
   * Streams and async iterables are buffered to be hashed; larger bodies fail the request.
   * @default 10 MiB (API Gateway's payload limit)
   */
  readonly maxBufferedBodyBytes?: number;
  /**
   * Sign `x-amz-content-sha256: UNSIGNED-PAYLOAD` instead of hashing the body (streams are then sent as they come).
   * @default false
   */
  readonly unsignedPayload?: boolean;
  /**
   * Where the client says what it decided by itself (a clock-skew correction applied or refused); never given a secret.
   * @default console.warn
   */
  readonly log?: (line: string) => void;
}

/**
 * A got instance whose last `beforeRequest` hook signs, with SigV4, exactly the URL, headers and
 * bytes got sends, on every attempt. Redirects are off and timeouts and retries (idempotent
 * methods on 429/5xx and network errors) are on by default; every got option overrides them.
 * Hooks added later with `.extend()` run after signing: pass hooks here instead.
 */
export function createSignedGot(options: SignedGotOptions = {}): Got {
  const {
    region,
    service = DEFAULT_SERVICE,
    credentials,
    now = Date.now,
    maxBufferedBodyBytes = DEFAULT_MAX_BUFFERED_BODY_BYTES,
    unsignedPayload = false,
    log,
    ...gotOptions
  } = options;
  const hooks = createSigningHooks({
    region,
    service,
    credentials: memoizeCredentials(credentials === undefined ? defaultCredentials() : toProvider(credentials), now),
    clock: new SigningClock(now, log),
    maxBufferedBodyBytes,
    unsignedPayload,
    env: process.env,
  });
  return got.extend(
    {
      followRedirect: false,
      timeout: { ...DEFAULT_TIMEOUT },
      retry: { ...DEFAULT_RETRY, methods: [...DEFAULT_RETRY.methods], statusCodes: [...DEFAULT_RETRY.statusCodes] },
      hooks: { init: [hooks.init] },
      handlers: [trackSentRequests],
    },
    gotOptions.searchParams === undefined ? gotOptions : { ...gotOptions, context: { ...gotOptions.context, [FORM_ENCODED_QUERY]: true } },
    {
      hooks: {
        beforeRequest: [hooks.beforeRequest],
        afterResponse: [hooks.afterResponse],
        beforeError: [hooks.beforeError],
      },
    },
  );
}
