/**
 * Verifies a received request's SigV4 `Authorization` header the way API Gateway does for
 * an `AWS_IAM` method: re-sign what arrived (raw path, raw query, the listed headers, the
 * body bytes) with the caller's secret and compare in constant time.
 *
 * Order of checks, each answering with API Gateway's error:
 *  1. `Authorization` present (MissingAuthenticationToken), exactly once and well formed,
 *     `X-Amz-Date` present, once, in basic ISO-8601 (IncompleteSignature)
 *  2. credential scope: date = X-Amz-Date's day, region, service, `aws4_request` (InvalidSignature)
 *  3. access key known and session token matching (UnrecognizedClient)
 *  4. X-Amz-Date within ±5 minutes of `now` (InvalidSignature, expired / not yet current)
 *  5. `x-amz-content-sha256`, when sent, equals the body's hash (InvalidSignature)
 *  6. signature (InvalidSignature, with canonical request and string-to-sign)
 *
 * Not supported, answered as errors rather than guessed: presigned URLs (query-string
 * auth: no Authorization header -> MissingAuthenticationToken), signing with `Date` instead
 * of `X-Amz-Date` (IncompleteSignature), SigV4a.
 *
 * No secret, session token or `Authorization` value appears in an error or in `reason`:
 * the displayed canonical request shows a signed session token as `<redacted>`.
 */
import { hash, timingSafeEqual } from "node:crypto";
import {
  type GatewayError,
  incompleteSignature,
  invalidSignature,
  missingAuthenticationToken,
  signatureExpired,
  signatureMismatch,
  signatureNotYetCurrent,
  unrecognizedClient,
} from "./api-gateway-errors.js";
import type { CallerPrincipal } from "./caller-principal.js";
import { type ReceivedRequest, headersByName } from "./received-request.js";
import { canonicalQueryFromRaw } from "./sigv4-canonical-query.js";
import { parseAuthorizationHeader, safeName } from "./sigv4-authorization-header.js";
import { payloadSha256Hex, resign } from "./sigv4-resigner.js";

export type { ReceivedRequest } from "./received-request.js";

/** The identity behind a local access key (what STS AssumeRole would have returned). */
export interface KnownCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** When set, requests must carry exactly this `X-Amz-Security-Token`; when unset, none. */
  sessionToken?: string;
  principal: CallerPrincipal;
}

export interface VerifyOptions {
  /** Region the API lives in; the credential scope must name it. */
  region: string;
  /** Signing service, `execute-api` for API Gateway. */
  service: string;
  /** The verifier's clock (injected so tests are deterministic). */
  now: Date;
  lookup(accessKeyId: string): KnownCredentials | undefined;
}

export type VerifyResult =
  | { ok: true; credentials: KnownCredentials }
  /** `reason` is a short log line without secrets; `error` is what the caller receives. */
  | { ok: false; error: GatewayError; reason: string };

const FIVE_MINUTES_MS = 5 * 60 * 1000;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const LONE_SURROGATE = /\p{Cs}/u;
const NO_VALUES: readonly string[] = [];

export async function verifySigV4(req: ReceivedRequest, opts: VerifyOptions): Promise<VerifyResult> {
  try {
    return await verify(req, opts);
  } catch (error) {
    // Last line of defence: a verifier bug must deny, never crash the gateway.
    const detail = error instanceof Error ? error.name : "unknown error";
    return fail(incompleteSignature("The request signature could not be verified."), `verifier error (${detail})`);
  }
}

async function verify(req: ReceivedRequest, opts: VerifyOptions): Promise<VerifyResult> {
  const headers = headersByName(req);
  const authorizations = valuesOf(headers, "authorization");
  if (authorizations.length === 0) return fail(missingAuthenticationToken(), "no Authorization header");
  if (authorizations.length > 1) {
    return fail(incompleteSignature("The request has more than one Authorization header."), "several Authorization headers");
  }

  const amzDates = valuesOf(headers, "x-amz-date");
  const hasDate = amzDates.length > 0 || headers.has("date");
  const parsed = parseAuthorizationHeader(authorizations[0]!, hasDate);
  if (!parsed.ok) return fail(incompleteSignature(parsed.message), "malformed Authorization header");
  const auth = parsed.value;

  if (amzDates.length === 0) {
    return fail(incompleteSignature("This local gateway requires the 'X-Amz-Date' header; signing with 'Date' is not supported."), "no X-Amz-Date");
  }
  if (amzDates.length > 1) return fail(incompleteSignature("The request has more than one 'X-Amz-Date' header."), "several X-Amz-Date");
  const amzDate = amzDates[0]!.trim();
  const signingDate = parseAmzDate(amzDate);
  if (signingDate === undefined) {
    return fail(
      incompleteSignature(`Date must be in ISO-8601 'basic format'. Got '${safeName(amzDate)}'. See http://en.wikipedia.org/wiki/ISO_8601`),
      "malformed X-Amz-Date",
    );
  }

  const scopeError = checkScope(auth.scopeDate, auth.scopeRegion, auth.scopeService, auth.scopeTerminator, amzDate, opts);
  if (scopeError !== undefined) return fail(invalidSignature(scopeError), "credential scope mismatch");

  const credentials = opts.lookup(auth.accessKeyId);
  if (credentials === undefined) return fail(unrecognizedClient(), `unknown access key ${safeName(auth.accessKeyId)}`);
  if (!sessionTokenMatches(valuesOf(headers, "x-amz-security-token"), credentials.sessionToken)) {
    return fail(unrecognizedClient(), `session token mismatch for ${credentials.accessKeyId}`);
  }

  const windowError = checkWindow(signingDate, opts.now);
  if (windowError !== undefined) return fail(windowError, "signature outside the 5 minute window");

  const bodyHash = payloadSha256Hex(req.body);
  const claimedHashes = valuesOf(headers, "x-amz-content-sha256");
  if (claimedHashes.length > 0 && (claimedHashes.length > 1 || claimedHashes[0]!.trim().toLowerCase() !== bodyHash)) {
    return fail(invalidSignature("The provided 'x-amz-content-sha256' header does not match what was computed."), "body hash mismatch");
  }

  // smithy's path escaping (encodeURIComponent) throws on a lone surrogate.
  if (LONE_SURROGATE.test(req.rawPath)) {
    return fail(incompleteSignature("The request path is not valid UTF-16 text."), "unencodable request path");
  }

  const expected = await resign({
    method: req.method,
    rawPath: req.rawPath,
    canonicalQuery: canonicalQueryFromRaw(req.rawQuery),
    signedHeaderValues: signedHeaderValues(headers, auth.signedHeaders),
    payloadHash: bodyHash,
    amzDate,
    region: opts.region,
    service: opts.service,
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
  });
  if (!signatureMatches(auth.signature, expected.signature)) {
    return fail(signatureMismatch(redactSessionToken(expected.canonicalRequest), expected.stringToSign), "signature mismatch");
  }
  return { ok: true, credentials };
}

function valuesOf(headers: ReadonlyMap<string, readonly string[]>, name: string): readonly string[] {
  return headers.get(name) ?? NO_VALUES;
}

function fail(error: GatewayError, reason: string): VerifyResult {
  return { ok: false, error, reason };
}

/** `YYYYMMDDTHHMMSSZ` -> Date, or undefined when malformed or not a real calendar instant. */
export function parseAmzDate(value: string): Date | undefined {
  const m = AMZ_DATE.exec(value);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]) - 1;
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  const date = new Date(Date.UTC(year, month, day, hour, minute, second));
  // Date.UTC rolls 20150231 over to March (and years 0-99 to 19xx): reject anything that
  // does not come back field for field, which is what formatting it again would compare.
  const roundTrips =
    date.getUTCFullYear() === year && date.getUTCMonth() === month && date.getUTCDate() === day &&
    date.getUTCHours() === hour && date.getUTCMinutes() === minute && date.getUTCSeconds() === second;
  return roundTrips ? date : undefined;
}

export function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-:]/g, "");
}

function checkScope(date: string, region: string, service: string, terminator: string, amzDate: string, opts: VerifyOptions): string | undefined {
  if (date !== amzDate.slice(0, 8)) {
    return (
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: " +
      `'${safeName(date)}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`
    );
  }
  // AWS concatenates these three, each ending with ". ".
  let message = "";
  if (region !== opts.region) message += `Credential should be scoped to a valid region, not '${safeName(region)}'. `;
  if (service !== opts.service) message += `Credential should be scoped to correct service: '${opts.service}'. `;
  if (terminator !== "aws4_request") message += `Credential should be scoped with a valid terminator: 'aws4_request', not '${safeName(terminator)}'. `;
  return message === "" ? undefined : message;
}

function checkWindow(signedAt: Date, now: Date): GatewayError | undefined {
  const earliest = now.getTime() - FIVE_MINUTES_MS;
  const latest = now.getTime() + FIVE_MINUTES_MS;
  if (signedAt.getTime() < earliest) return signatureExpired(formatAmzDate(signedAt), formatAmzDate(new Date(earliest)), formatAmzDate(now));
  if (signedAt.getTime() > latest) return signatureNotYetCurrent(formatAmzDate(signedAt), formatAmzDate(new Date(latest)), formatAmzDate(now));
  return undefined;
}

/** Compared as SHA-256 digests, so neither the content nor the length of the expected token leaks through timing. */
function sessionTokenMatches(received: readonly string[], expected: string | undefined): boolean {
  if (expected === undefined) return received.length === 0;
  return received.length === 1 && timingSafeEqual(sha256Digest(received[0]!.trim()), expectedTokenDigest(expected));
}

/**
 * A caller sends the same session token on every request: its digest is computed once.
 * Keyed by the token itself, so a new token never meets an old digest; bounded, as tokens
 * come only from the credential lookup, never from the request.
 */
const tokenDigests = new Map<string, Buffer>();
const MAX_TOKEN_DIGESTS = 256;

function expectedTokenDigest(token: string): Buffer {
  let digest = tokenDigests.get(token);
  if (digest === undefined) {
    if (tokenDigests.size >= MAX_TOKEN_DIGESTS) tokenDigests.clear();
    digest = sha256Digest(token);
    tokenDigests.set(token, digest);
  }
  return digest;
}

/**
 * The expected signature is always 64 hex digits, so its length is no secret: equal-length
 * bytes are compared in constant time, anything else is simply different.
 */
function signatureMatches(received: string, expected: string): boolean {
  const receivedBytes = Buffer.from(received, "utf8");
  const expectedBytes = Buffer.from(expected, "utf8");
  return receivedBytes.length === expectedBytes.length && timingSafeEqual(receivedBytes, expectedBytes);
}

function sha256Digest(value: string): Buffer {
  return hash("sha256", value, "buffer");
}

/**
 * The value of each header the client listed, exactly as AWS canonicalizes repeated headers:
 * each value trimmed, then joined with `,` in arrival order (never sorted). A listed header
 * that did not arrive is signed as empty, so the mismatch message shows it missing.
 */
function signedHeaderValues(headers: ReadonlyMap<string, readonly string[]>, signedHeaders: string[]): Record<string, string> {
  const values: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const name of signedHeaders) {
    const received = valuesOf(headers, name);
    values[name] = received.length === 1 ? received[0]!.trim() : received.map((value) => value.trim()).join(",");
  }
  return values;
}

function redactSessionToken(canonicalRequest: string): string {
  return canonicalRequest.replace(/^x-amz-security-token:.*$/m, "x-amz-security-token:<redacted>");
}
