import { createHash, createHmac } from "node:crypto";
import { Hash } from "@smithy/hash-node";
import { ALGORITHM_IDENTIFIER, GENERATED_HEADERS, SignatureV4Base, createScope, getCanonicalHeaders, getPayloadHash, getSigningKey } from "@smithy/signature-v4";
import type { HeaderBag, HttpRequest } from "@smithy/types";
import { AMZ_DATE_HEADER, AUTHORIZATION_HEADER, SECURITY_TOKEN_HEADER } from "./constants.js";
import type { Credentials } from "./credentials.js";

/** Everything the signature covers, already in the form it is sent. */
export interface RequestToSign {
  readonly method: string;
  /** The path exactly as sent; SigV4 normalizes it and encodes it a second time. */
  readonly path: string;
  /** From `canonicalQuery()`: built from the raw query string, not from a decoded map. */
  readonly canonicalQuery: string;
  /** From `headersToSign()`, including `host`. */
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

const sha256 = Hash.bind(null, "sha256");

/**
 * The steps of smithy's `SignatureV4.signRequest` (header preparation, payload hash, header
 * canonicalization, path normalization and double encoding, key derivation and its cache, HMAC),
 * run in the same order with one step replaced: smithy's canonical query comes from a decoded
 * key/value map, which cannot tell `+` from a space once decoded, nor keep bytes that are not
 * UTF-8, so the query line is the one built from the raw query string.
 *
 * Every input comes with the call and what is kept between calls (the formatted date, the
 * derived key) is keyed by all it derives from, so one instance serves every request of every
 * client, however their awaits interleave. The two last steps (hash of
 * the canonical request, HMAC of the string to sign) call Node's crypto directly, and the date
 * and derived key are cached (below): they are what a call pays for signing, and smithy's
 * wrappers around the same primitives cost several times the primitives themselves.
 */
class RawQuerySigner extends SignatureV4Base {
  constructor() {
    super({
      // The steps below take credentials, region and service per call; these are never read.
      credentials: () => Promise.reject(new Error("RawQuerySigner takes credentials per request")),
      region: () => Promise.reject(new Error("RawQuerySigner takes the region per request")),
      service: "",
      sha256,
      applyChecksum: false, // API Gateway does not need x-amz-content-sha256
      uriEscapePath: true, // every service but S3: the sent path is encoded a second time
    });
  }

  /** The last second's `X-Amz-Date` and scope day: sequential calls mostly sign within one second. */
  #lastDates: { readonly second: number; readonly longDate: string; readonly shortDate: string } | undefined;

  private signingDates(date: Date): { longDate: string; shortDate: string } {
    const second = Math.floor(date.getTime() / 1000);
    if (this.#lastDates?.second !== second) this.#lastDates = { second, ...this.formatDate(date) };
    return this.#lastDates;
  }

  async signRequest(request: RequestToSign, scope: SigningScope): Promise<SignResult> {
    const { credentials } = scope;
    this.validateResolvedCredentials(credentials);
    const { longDate, shortDate } = this.signingDates(scope.signingDate);
    const credentialScope = createScope(shortDate, scope.region, scope.service);

    const headers: HeaderBag = {};
    for (const name in request.headers) {
      if (!GENERATED_HEADERS.includes(name.toLowerCase())) headers[name] = request.headers[name]!;
    }
    headers[AMZ_DATE_HEADER] = longDate;
    if (credentials.sessionToken) headers[SECURITY_TOKEN_HEADER] = credentials.sessionToken;
    const toSign: HttpRequest = { method: request.method, protocol: "https:", hostname: "", path: request.path, query: {}, headers, body: request.body };

    const payloadHash = await getPayloadHash(toSign, sha256);
    const canonicalHeaders = getCanonicalHeaders(toSign);
    const canonicalRequest = withQueryLine(this.createCanonicalRequest(toSign, canonicalHeaders, payloadHash), request.canonicalQuery);
    // "Create a string to sign" and "Calculate the signature", AWS SigV4 developer guide ("Create a signed AWS API request").
    const stringToSign = `${ALGORITHM_IDENTIFIER}\n${longDate}\n${credentialScope}\n${createHash("sha256").update(canonicalRequest, "utf8").digest("hex")}`;
    const signingKey = await signingKeyFor(credentials, shortDate, scope.region, scope.service);
    const signature = createHmac("sha256", signingKey).update(stringToSign, "utf8").digest("hex");

    const token = headers[SECURITY_TOKEN_HEADER];
    return {
      headers: {
        [AUTHORIZATION_HEADER]: `${ALGORITHM_IDENTIFIER} Credential=${credentials.accessKeyId}/${credentialScope}, SignedHeaders=${this.getCanonicalHeaderList(canonicalHeaders)}, Signature=${signature}`,
        [AMZ_DATE_HEADER]: longDate,
        ...(token === undefined ? {} : { [SECURITY_TOKEN_HEADER]: token }),
      },
      canonicalRequest,
    };
  }
}

/**
 * Smithy renders `METHOD\nPATH\nQUERY\n…`, and with an empty query map its third line is empty.
 * Neither the method nor the escaped path can hold a newline, so the query goes right after the
 * second one.
 */
function withQueryLine(canonicalRequest: string, canonicalQuery: string): string {
  if (canonicalQuery === "") return canonicalRequest;
  const queryLineStart = canonicalRequest.indexOf("\n", canonicalRequest.indexOf("\n") + 1) + 1;
  return canonicalRequest.slice(0, queryLineStart) + canonicalQuery + canonicalRequest.slice(queryLineStart);
}

/**
 * The derived key of each credentials object's latest scope (day, region, service). Smithy's own
 * cache is keyed by an HMAC of the secret, which costs one HMAC on every request just to look it
 * up; keyed by the credentials object (the memoized provider hands out the same one until it
 * refreshes), a hit costs nothing. A WeakMap: the key goes when the credentials do.
 */
const signingKeys = new WeakMap<Credentials, { readonly scope: string; readonly secret: string; readonly key: Promise<Uint8Array> }>();

function signingKeyFor(credentials: Credentials, shortDate: string, region: string, service: string): Promise<Uint8Array> {
  const scope = createScope(shortDate, region, service);
  const cached = signingKeys.get(credentials);
  // The secret too, in case a caller's provider mutates one credentials object in place.
  if (cached?.scope === scope && cached.secret === credentials.secretAccessKey) return cached.key;
  const key = getSigningKey(sha256, credentials, shortDate, region, service);
  signingKeys.set(credentials, { scope, secret: credentials.secretAccessKey, key });
  // A failed derivation is not kept.
  key.catch(() => {
    if (signingKeys.get(credentials)?.key === key) signingKeys.delete(credentials);
  });
  return key;
}

const signer = new RawQuerySigner();

/** Signs one attempt of a request with SigV4 (header form). */
export function signRequest(request: RequestToSign, scope: SigningScope): Promise<SignResult> {
  return signer.signRequest(request, scope);
}
