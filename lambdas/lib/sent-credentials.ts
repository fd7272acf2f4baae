import type { HandlerFunction, Options } from "got";
import { AUTHORIZATION_HEADER, REDACTED, SECURITY_TOKEN_HEADER } from "./constants.js";

/**
 * Keeps the session token and the `Authorization` value out of everything that outlives a
 * request. got keeps the options a request was sent with (`error.options`,
 * `response.request.options`) and Node keeps the header block it wrote (`ClientRequest._header`
 * and its header map), all reachable from every error and response got hands out; so once a
 * request is over, both are rewritten to `<redacted>`. A retry or redirect is signed afresh
 * from the options, so nothing needs them after the request.
 *
 * Where it runs (see `signing-hooks.ts`): `afterResponse` (a response arrived: the request was
 * sent, and a later `.json()` can still raise a `ParseError` outside every hook), `beforeError`
 * (every error got routes through hooks: HTTP, timeout, network, signing), and the two outcomes
 * got reports without a hook: `cancel()` (`CancelError`) and an aborted `signal` (`AbortError`).
 *
 * Not covered, by design: subscribers to diagnostics channels (got's `got:request:start`, Node's
 * `http.client.request.start`) are handed the live request while it is being sent, as any HTTP
 * tap is; they must redact what they record.
 */

/** Node's ClientRequest (or http2-wrapper's) as far as what it keeps of the sent headers. */
interface SentRequest {
  _header?: unknown;
  outputData?: Array<{ data?: unknown }>;
  socket?: { destroyed?: boolean; _pendingData?: unknown } | null;
}

/**
 * One got call's token in its `context`: got gives every retry new options but copies the
 * context onto them, so each attempt's options lead to the call's list of native requests. The
 * token is an empty object so that printing options does not print the requests again.
 */
const CALL_TOKEN = Symbol("sigv4.call");
const sentRequests = new WeakMap<object, SentRequest[]>();

function sentRequestsOf(options: Options): SentRequest[] | undefined {
  const token = (options.context as Record<symbol, unknown>)[CALL_TOKEN];
  return typeof token === "object" && token !== null ? sentRequests.get(token) : undefined;
}

const SECRET_HEADERS: ReadonlySet<string> = new Set([AUTHORIZATION_HEADER, SECURITY_TOKEN_HEADER]);
/** A secret header's line in an HTTP/1.1 header block. */
const SECRET_HEADER_LINE = new RegExp(`^(${[...SECRET_HEADERS].join("|")}):[^\\r\\n]*`, "gim");

/**
 * A got handler recording every native request a call sends, and redacting them when the
 * caller cancels the call (the one outcome got reports without running a hook).
 */
export const trackSentRequests: HandlerFunction = (options, next) => {
  const sent: SentRequest[] = [];
  const token = Object.freeze({});
  sentRequests.set(token, sent);
  (options.context as Record<symbol, unknown>)[CALL_TOKEN] = token;
  // got turns an abort into an AbortError without running a hook; this listener runs right
  // after got's own (added when the request was created), before the caller sees the error. It
  // goes when the call settles, as got's own does: a signal shared by many calls keeps none.
  const signal = options.signal;
  const onAbort = () => redactSentCredentials(options);
  signal?.addEventListener("abort", onAbort, { once: true });
  const result = next(options);
  if (signal) {
    const detach = () => signal.removeEventListener("abort", onAbort);
    (result as PromiseLike<unknown>).then(detach, detach);
  }
  const emitter = result as unknown as { on?: (event: "request", listener: (request: SentRequest) => void) => unknown };
  emitter.on?.("request", (request) => sent.push(request));
  const cancelable = result as unknown as { cancel?: (reason?: string) => void };
  if (typeof cancelable.cancel === "function") {
    const cancel = cancelable.cancel.bind(result);
    // cancel() rejects synchronously; the caller sees the CancelError only after this returns.
    cancelable.cancel = (reason?: string) => {
      try {
        cancel(reason);
      } finally {
        redactSentCredentials(options);
      }
    };
  }
  return result;
};

/** Rewrites the secret headers in `options` and in every native request sent with them. */
export function redactSentCredentials(options: Options | undefined): void {
  if (!options) return;
  redactHeaderRecord(options.headers as Record<string, unknown>);
  for (const request of sentRequestsOf(options) ?? []) redactSentRequest(request);
}

function redactHeaderRecord(headers: Record<string, unknown> | undefined): void {
  if (!headers) return;
  for (const name of Object.keys(headers)) if (SECRET_HEADERS.has(name.toLowerCase())) headers[name] = REDACTED;
}

/**
 * Node's ClientRequest keeps the header block it wrote (`_header`; `outputData` before it had a
 * socket; the socket's `_pendingData` when it never connected) and the header map (under its
 * `kOutHeaders` symbol, as `[name, value]` pairs). These are Node internals: `tests/unit/signed-client/redaction.test.ts`
 * walks everything reachable from every kind of error and fails if one of them moves.
 */
function redactSentRequest(request: SentRequest): void {
  if (typeof request._header === "string") request._header = redactHeaderBlock(request._header);
  for (const chunk of request.outputData ?? []) if (typeof chunk.data === "string") chunk.data = redactHeaderBlock(chunk.data);
  const socket = request.socket;
  // Only a dead socket's unsent bytes: a live one still has to send them.
  if (socket?.destroyed === true) {
    const pending = socket._pendingData;
    if (typeof pending === "string") socket._pendingData = redactHeaderBlock(pending);
    else if (Array.isArray(pending)) for (const entry of pending as Array<{ chunk?: unknown }>) if (typeof entry.chunk === "string") entry.chunk = redactHeaderBlock(entry.chunk);
  }
  const outHeaders = outHeadersSymbol(request);
  const map = outHeaders === undefined ? undefined : (request as Record<symbol, unknown>)[outHeaders];
  if (map && typeof map === "object") {
    // Node keys the map by lower-case name (`setHeader`), so the two names are looked up directly.
    for (const name of SECRET_HEADERS) {
      const entry = (map as Record<string, unknown>)[name];
      if (Array.isArray(entry)) entry[1] = REDACTED;
    }
  }
}

/** Node's one `kOutHeaders` symbol, found on the first request that has it rather than on every one. */
let kOutHeaders: symbol | undefined;
function outHeadersSymbol(request: SentRequest): symbol | undefined {
  if (kOutHeaders !== undefined && Object.prototype.hasOwnProperty.call(request, kOutHeaders)) return kOutHeaders;
  const found = Object.getOwnPropertySymbols(request).find((symbol) => symbol.description === "kOutHeaders");
  kOutHeaders ??= found;
  return found;
}

function redactHeaderBlock(block: string): string {
  return block.replace(SECRET_HEADER_LINE, `$1: ${REDACTED}`);
}
