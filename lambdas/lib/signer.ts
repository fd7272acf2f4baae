import { createHmac, hash } from "node:crypto";
import { AMZ_DATE_HEADER, AUTHORIZATION_HEADER, CONTENT_SHA256_HEADER, SECURITY_TOKEN_HEADER, SIGNER_OWNED_HEADERS } from "./constants.js";
import type { Credentials } from "./credentials.js";

/** Everything the signature covers, already in the form it is sent. */
export interface RequestToSign {
  readonly method: string;
  /** The path exactly as sent; SigV4 normalizes it and encodes it a second time. */
  readonly path: string;
  /** From `canonicalQuery()`: built from the raw query string, not from a decoded map. */
  readonly canonicalQuery: string;
  /** From `headersToSign()`, including `host`: lower-case names, canonical values. */
  readonly headers: Readonly<Record<string, string>>;
  /** The exact body bytes, or undefined for none. Ignored if `x-amz-content-sha256` is in `headers`. */
  readonly body: string | Uint8Array | undefined;
}

export interface SigningScope {
  readonly credentials: Credentials;
  readonly region: string;
  readonly service: string;
  readonly signingDate: Date;
}

export interface SignedHeaders {
  readonly authorization: string;
  readonly [AMZ_DATE_HEADER]: string;
  readonly [SECURITY_TOKEN_HEADER]?: string;
}

export interface SignResult {
  /** Headers to add to the request. */
  readonly headers: SignedHeaders;
  /** The canonical request that was signed (contains the session token, if any: redact before showing). */
  readonly canonicalRequest: string;
}

/** "Signature Version 4 signing process", AWS IAM user guide ("Create a signed AWS API request"). */
const ALGORITHM = "AWS4-HMAC-SHA256";
const KEY_REQUEST = "aws4_request";
/** SHA-256 of no bytes: the payload hash of a request without a body. */
const EMPTY_PAYLOAD_HASH = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/**
 * Signs one attempt of a request with SigV4 (header form), synchronously.
 *
 * The steps are the ones AWS documents ("Create a signed AWS API request", IAM user guide) and
 * `@smithy/signature-v4` runs, written out here rather than called through smithy, by
 * measurement: smithy's steps (async hashing through its wrappers, header and path
 * canonicalization with several regular expressions, a date through ISO-8601 formatting) took
 * about 10 µs a GET in a warm loop against about 5 µs here, and the signed call's cost over plain
 * got fell from +79% to about +61% at p50 with this change (`npm run bench -- --only client`,
 * which also shows the floor: a hook doing only the SHA-256 and the HMAC). Equality with smithy is
 * a test: AWS's test vectors (`tests/unit/signed-client/sigv4-test-suite.test.ts`) and smithy
 * itself on generated requests (`signer-parity.test.ts`). Only the two primitives are not ours:
 * SHA-256 and HMAC-SHA256 are `node:crypto`'s.
 *
 * Nothing is kept per request; what is kept between calls is keyed by all it derives from (the
 * formatted date per second, the derived key per credentials object, scope and secret), so one
 * signer serves every request of every client however their awaits interleave.
 */
export function signRequest(request: RequestToSign, scope: SigningScope): SignResult {
  const { credentials } = scope;
  if (typeof credentials !== "object" || credentials === null || typeof credentials.accessKeyId !== "string" || typeof credentials.secretAccessKey !== "string") {
    throw new Error("Resolved credential object is not valid");
  }
  const { longDate, shortDate } = signingDates(scope.signingDate);
  const credentialScope = `${shortDate}/${scope.region}/${scope.service}/${KEY_REQUEST}`;

  const token = credentials.sessionToken || undefined;
  // The names signed, sorted; the date and token are the signer's whatever the request carries.
  const names: string[] = [AMZ_DATE_HEADER];
  if (token !== undefined) names.push(SECURITY_TOKEN_HEADER);
  for (const name in request.headers) {
    if (SIGNER_OWNED_HEADERS.has(name) || (name === SECURITY_TOKEN_HEADER && token !== undefined)) continue;
    names.push(name);
  }
  names.sort();
  let canonicalHeaders = "";
  for (const name of names) {
    const value = name === AMZ_DATE_HEADER ? longDate : name === SECURITY_TOKEN_HEADER && token !== undefined ? token : request.headers[name];
    canonicalHeaders += `${name}:${value}\n`;
  }
  const signedHeaders = names.join(";");
  const canonicalRequest = `${request.method}\n${canonicalPath(request.path)}\n${request.canonicalQuery}\n${canonicalHeaders}\n${signedHeaders}\n${payloadHash(request.headers, request.body)}`;

  const stringToSign = `${ALGORITHM}\n${longDate}\n${credentialScope}\n${hash("sha256", canonicalRequest, "hex")}`;
  const signature = createHmac("sha256", signingKeyFor(credentials, shortDate, scope.region, scope.service, credentialScope)).update(stringToSign, "utf8").digest("hex");
  return {
    headers: {
      [AUTHORIZATION_HEADER]: `${ALGORITHM} Credential=${credentials.accessKeyId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
      [AMZ_DATE_HEADER]: longDate,
      ...(token === undefined ? {} : { [SECURITY_TOKEN_HEADER]: token }),
    },
    canonicalRequest,
  };
}

/** The hex SHA-256 of the body, or the value the caller put in `x-amz-content-sha256` (e.g. UNSIGNED-PAYLOAD). */
function payloadHash(headers: Readonly<Record<string, string>>, body: string | Uint8Array | undefined): string {
  const declared = headers[CONTENT_SHA256_HEADER];
  if (declared !== undefined) return declared;
  if (body === undefined) return EMPTY_PAYLOAD_HASH;
  return hash("sha256", body, "hex");
}

/**
 * The canonical URI of every service but S3: the path with empty, `.` and `..` segments
 * removed, then URI-encoded a second time (each byte but unreserved characters and `/`).
 */
function canonicalPath(path: string): string {
  // Most paths need neither: nothing to remove, nothing encodeURIComponent would leave alone.
  if (PLAIN_PATH.test(path)) return path;
  const segments: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  const normalized = `${path.startsWith("/") ? "/" : ""}${segments.join("/")}${segments.length > 0 && path.endsWith("/") ? "/" : ""}`;
  return encodeURIComponent(normalized).replace(RFC3986_EXTRA, percentEncode).replace(ENCODED_SLASH, "/");
}

/** Segments of unreserved characters only, none of them `.` or `..`, no empty one but a trailing slash. */
const PLAIN_PATH = /^(?:\/(?!\.\.?(?:\/|$))[A-Za-z0-9\-._~]+)*\/?$/;
/** What `encodeURIComponent` leaves alone that RFC 3986 reserves. */
const RFC3986_EXTRA = /[!'()*]/g;
const ENCODED_SLASH = /%2F/g;
function percentEncode(char: string): string {
  return `%${char.charCodeAt(0).toString(16).toUpperCase()}`;
}

/** The last second's `X-Amz-Date` and scope day: sequential calls mostly sign within one second. */
let lastDates: { readonly second: number; readonly longDate: string; readonly shortDate: string } | undefined;

function signingDates(date: Date): { readonly longDate: string; readonly shortDate: string } {
  const second = Math.floor(date.getTime() / 1000);
  if (lastDates?.second !== second) {
    // 2026-11-30T17:29:00.000Z -> 20261130T172900Z
    const iso = new Date(second * 1000).toISOString();
    const longDate = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
    lastDates = { second, longDate, shortDate: longDate.slice(0, 8) };
  }
  return lastDates;
}

/**
 * The derived key of each credentials object's latest scope (day, region, service), kept per
 * credentials object (the memoized provider hands out the same one until it refreshes), so a hit
 * costs no HMAC. The secret is checked too, in case a provider mutates one object in place. A
 * WeakMap: the key goes when the credentials do.
 */
const signingKeys = new WeakMap<Credentials, { readonly scope: string; readonly secret: string; readonly key: Buffer }>();

function signingKeyFor(credentials: Credentials, shortDate: string, region: string, service: string, credentialScope: string): Buffer {
  const cached = signingKeys.get(credentials);
  if (cached?.scope === credentialScope && cached.secret === credentials.secretAccessKey) return cached.key;
  let key = createHmac("sha256", `AWS4${credentials.secretAccessKey}`).update(shortDate, "utf8").digest();
  for (const part of [region, service, KEY_REQUEST]) key = createHmac("sha256", key).update(part, "utf8").digest();
  signingKeys.set(credentials, { scope: credentialScope, secret: credentials.secretAccessKey, key });
  return key;
}
