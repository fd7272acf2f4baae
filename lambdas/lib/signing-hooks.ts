import { HTTPError } from "got";
import type { AfterResponseHook, BeforeErrorHook, BeforeRequestHook, InitHook } from "got";
import { canonicalQuery, formatSentQuery, parseRawQuery } from "./canonical-query.js";
import { headersToSign } from "./canonical-headers.js";
import type { OutgoingHeaders } from "./canonical-headers.js";
import { isClockSkewRejection } from "./clock.js";
import type { SigningClock } from "./clock.js";
import {
  CONTENT_SHA256_HEADER,
  EXPECTED_CANONICAL_REQUEST,
  HOST_HEADER,
  INVALID_SIGNATURE_ERROR_TYPE,
  SIGNATURE_HEADERS,
  SIGNATURE_MISMATCH_MESSAGE,
  UNSIGNED_PAYLOAD,
} from "./constants.js";
import type { CredentialsProvider } from "./credentials.js";
import { apiGatewayMessage, SignatureMismatchError } from "./errors.js";
import { readSignablePayload, signablePayloadNow } from "./payload.js";
import { redactSentCredentials } from "./sent-credentials.js";
import { resolveRegion } from "./region.js";
import { signRequest } from "./signer.js";
import { currentTraceHeader, TRACE_HEADER } from "./trace-header.js";

/** What the hooks of one client share. */
export interface SigningConfig {
  readonly region: string | undefined;
  readonly service: string;
  readonly credentials: CredentialsProvider;
  readonly clock: SigningClock;
  readonly maxBufferedBodyBytes: number;
  readonly unsignedPayload: boolean;
  readonly env: NodeJS.ProcessEnv;
}

// Per-request markers, kept in got's `context` because got copies it onto every retry and
// redirect of the same request (and onto nothing else).
/** The origin the request was first signed for: no other origin ever gets a signature. */
const SIGNING_ORIGIN = Symbol("sigv4.signingOrigin");
/** Set once the request was retried for clock skew, so it is retried at most once. */
const SKEW_RETRIED = Symbol("sigv4.skewRetried");
/** Set once this hook put the invocation's trace header on the request. */
const TRACE_FORWARDED = Symbol("sigv4.traceForwarded");
/** The query was built by got from `searchParams` (form encoding): there a `+` is a space. */
export const FORM_ENCODED_QUERY = Symbol("sigv4.formEncodedQuery");

type Context = Record<PropertyKey, unknown>;

export interface SigningHooks {
  readonly init: InitHook;
  readonly beforeRequest: BeforeRequestHook;
  readonly afterResponse: AfterResponseHook;
  readonly beforeError: BeforeErrorHook;
}

export function createSigningHooks(config: SigningConfig): SigningHooks {
  /** The canonical request of each signed attempt, for the 403 diagnostics. */
  const canonicalRequests = new WeakMap<object, string>();

  const init: InitHook = (plain, options) => {
    if (plain.searchParams !== undefined) (options.context as Context)[FORM_ENCODED_QUERY] = true;
  };

  const beforeRequest: BeforeRequestHook = async (options) => {
    const headers = options.headers as OutgoingHeaders;
    for (const name of Object.keys(headers)) {
      if ((SIGNATURE_HEADERS as readonly string[]).includes(name.toLowerCase())) delete headers[name];
    }
    const url = options.url;
    if (!(url instanceof URL)) return;
    const context = options.context as Context;
    const origin = url.origin;
    context[SIGNING_ORIGIN] ??= origin;
    if (context[SIGNING_ORIGIN] !== origin) {
      // A redirect elsewhere: send nothing of ours (got copied the first attempt's headers).
      if (context[TRACE_FORWARDED] === true) setHeader(headers, TRACE_HEADER, undefined);
      return;
    }
    // The invocation's trace, on every attempt: this call joins the caller's trace.
    const trace = currentTraceHeader(config.env);
    if (trace !== undefined) {
      setHeader(headers, TRACE_HEADER, trace);
      context[TRACE_FORWARDED] = true;
    }
    const region = resolveRegion(url.hostname, config.region, config.env);

    const parameters = parseRawQuery(url.search, context[FORM_ENCODED_QUERY] === true);
    const sentQuery = formatSentQuery(parameters);
    if (url.search.slice(1) !== sentQuery) url.search = sentQuery;

    const host = firstHeader(headers, HOST_HEADER) ?? url.host;
    setHeader(headers, HOST_HEADER, host);

    let body: string | Uint8Array | undefined;
    if (config.unsignedPayload) {
      headers[CONTENT_SHA256_HEADER] = UNSIGNED_PAYLOAD;
    } else {
      // A body in memory is hashed as it is; only a stream or iterable is awaited.
      const payload = signablePayloadNow(options.body) ?? (await readSignablePayload(options.body, config.maxBufferedBodyBytes));
      if (payload.buffered) {
        options.body = payload.buffered;
        if (firstHeader(headers, "transfer-encoding") === undefined) {
          setHeader(headers, "content-length", String(payload.buffered.length));
        }
      }
      body = payload.bytes;
    }

    const signed = signRequest(
      { method: options.method, path: url.pathname, canonicalQuery: canonicalQuery(parameters), headers: headersToSign(headers), body },
      {
        credentials: await config.credentials(),
        region,
        service: config.service,
        signingDate: config.clock.signingDate(),
      },
    );
    Object.assign(headers, signed.headers);
    canonicalRequests.set(options, signed.canonicalRequest);
  };

  const afterResponse: AfterResponseHook = (response, retryWithMergedOptions) => {
    const { options } = response.request;
    redactSentCredentials(options);
    const context = options.context as Context;
    if (!canonicalRequests.has(options) || context[SKEW_RETRIED] === true) return response;
    if (!isClockSkewRejection(response.statusCode, response.rawBody)) return response;
    if (!config.clock.adjustTo(response.headers.date, String(context[SIGNING_ORIGIN]))) return response;
    // A 403 is refused before any integration runs, so even a POST is safe to send again.
    return retryWithMergedOptions({ context: { [SKEW_RETRIED]: true }, preserveHooks: true } as Parameters<typeof retryWithMergedOptions>[0]);
  };

  const beforeError: BeforeErrorHook = (error) => {
    redactSentCredentials(error.options);
    if (!(error instanceof HTTPError) || error.response.statusCode !== 403) return error;
    const message = apiGatewayMessage(error.response.rawBody);
    const errorType = String(error.response.headers["x-amzn-errortype"] ?? "");
    if (!errorType.startsWith(INVALID_SIGNATURE_ERROR_TYPE) && !message.includes(SIGNATURE_MISMATCH_MESSAGE)) return error;
    return new SignatureMismatchError(
      error.response,
      canonicalRequests.get(error.options),
      EXPECTED_CANONICAL_REQUEST.exec(message)?.[1],
    );
  };

  return { init, beforeRequest, afterResponse, beforeError };
}

function firstHeader(headers: OutgoingHeaders, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name && value !== undefined) return String(Array.isArray(value) ? value[0] : value);
  }
  return undefined;
}

/** Replaces every header of this name with one value, or removes them all (`undefined`). */
function setHeader(headers: OutgoingHeaders, name: string, value: string | undefined): void {
  for (const key of Object.keys(headers)) if (key.toLowerCase() === name) delete headers[key];
  if (value !== undefined) headers[name] = value;
}
