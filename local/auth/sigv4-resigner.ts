/**
 * Re-signs a received request with @smithy/signature-v4's own canonicalization, key
 * derivation and HMAC. `SignatureV4.sign()` is made for clients: it overwrites
 * `x-amz-date`, adds the session token and decides which headers to sign. A verifier must
 * instead sign exactly the headers the client listed, with the client's date, so this
 * subclass of smithy's base signer runs the same protected steps `signRequest` runs, minus
 * those mutations, and also returns the canonical request and string-to-sign for the
 * mismatch message. The query line is the one exception (see sigv4-canonical-query.ts).
 */
import { createHash } from "node:crypto";
import { Hash } from "@smithy/hash-node";
import { ALGORITHM_IDENTIFIER, SignatureV4Base, createScope, getCanonicalHeaders, getSigningKey } from "@smithy/signature-v4";
import type { HeaderBag, HttpRequest } from "@smithy/types";

export interface ResignInput {
  method: string;
  /** Raw, still percent-encoded path: smithy encodes it once more (non-S3 SigV4 rule). */
  rawPath: string;
  /** Canonical query line, from canonicalQueryFromRaw. */
  canonicalQuery: string;
  /** Exactly the signed headers, lower-case name -> value (repeated values already joined). */
  signedHeaderValues: Record<string, string>;
  payloadHash: string;
  /**
   * The client's `X-Amz-Date`, `YYYYMMDDTHHMMSSZ`, already checked by parseAmzDate to be a
   * real instant: exactly what smithy's `formatDate` would render from it, so used as is.
   */
  amzDate: string;
  region: string;
  service: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface Resigned {
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
}

const sha256 = Hash.bind(null, "sha256");

/**
 * Every input comes with the call and nothing is kept between calls (smithy's signing-key
 * cache aside), so one instance serves every request, however their awaits interleave.
 */
class VerifyingSigner extends SignatureV4Base {
  constructor() {
    super({
      // The steps below take credentials, region and service per call; these are never read.
      credentials: () => Promise.reject(new Error("VerifyingSigner takes credentials per request")),
      region: () => Promise.reject(new Error("VerifyingSigner takes the region per request")),
      service: "",
      sha256,
      uriEscapePath: true,
      applyChecksum: false,
    });
  }

  async resign(input: ResignInput): Promise<Resigned> {
    const headers = input.signedHeaderValues as HeaderBag;
    const request: HttpRequest = { method: input.method, protocol: "https:", hostname: "", path: input.rawPath, query: {}, headers };
    // Every listed header is signable here, even ones smithy never signs itself (user-agent, …).
    const canonicalHeaders = getCanonicalHeaders(request, undefined, new Set(Object.keys(headers)));
    const longDate = input.amzDate;
    const shortDate = longDate.slice(0, 8);
    const scope = createScope(shortDate, input.region, input.service);
    const canonicalRequest = withQueryLine(this.createCanonicalRequest(request, canonicalHeaders, input.payloadHash), input.canonicalQuery);
    const stringToSign = await this.createStringToSign(longDate, scope, canonicalRequest, ALGORITHM_IDENTIFIER);
    const hmac = new sha256(await signingKeyFor(input, shortDate));
    hmac.update(stringToSign);
    const signature = Buffer.from(await hmac.digest()).toString("hex");
    return { canonicalRequest, stringToSign, signature };
  }
}

/**
 * Smithy's getSigningKey caches derived keys too, but it computes an HMAC of the credentials
 * for every look-up, one of the two costliest steps of a verification. The key only changes
 * with access key, secret, day, region and service, so it is kept here under those.
 */
const signingKeys = new Map<string, { secretAccessKey: string; key: Uint8Array }>();
const MAX_SIGNING_KEYS = 64;

async function signingKeyFor(input: ResignInput, shortDate: string): Promise<Uint8Array> {
  const cacheKey = `${input.accessKeyId}/${shortDate}/${input.region}/${input.service}`;
  const cached = signingKeys.get(cacheKey);
  if (cached !== undefined && cached.secretAccessKey === input.secretAccessKey) return cached.key;
  const credentials = { accessKeyId: input.accessKeyId, secretAccessKey: input.secretAccessKey };
  const key = await getSigningKey(sha256, credentials, shortDate, input.region, input.service);
  if (signingKeys.size >= MAX_SIGNING_KEYS) signingKeys.clear(); // a new day, or many callers: start over
  signingKeys.set(cacheKey, { secretAccessKey: input.secretAccessKey, key });
  return key;
}

/**
 * Smithy renders `METHOD\nPATH\nQUERY\n…`; with an empty query map its third line is empty.
 * Neither method nor escaped path can hold a newline, so the query goes right after the
 * second newline.
 */
function withQueryLine(canonicalRequest: string, canonicalQuery: string): string {
  if (canonicalQuery === "") return canonicalRequest;
  const queryLineStart = canonicalRequest.indexOf("\n", canonicalRequest.indexOf("\n") + 1) + 1;
  return canonicalRequest.slice(0, queryLineStart) + canonicalQuery + canonicalRequest.slice(queryLineStart);
}

const signer = new VerifyingSigner();

export function resign(input: ResignInput): Promise<Resigned> {
  return signer.resign(input);
}

/** SHA-256 of no bytes: most verified requests (GET, DELETE) have no body. */
const EMPTY_PAYLOAD_SHA256 = createHash("sha256").digest("hex");

/** Lower-case hex SHA-256 of the body bytes (node's hash, which smithy's hash-node wraps). */
export function payloadSha256Hex(body: Uint8Array): string {
  return body.length === 0 ? EMPTY_PAYLOAD_SHA256 : createHash("sha256").update(body).digest("hex");
}
