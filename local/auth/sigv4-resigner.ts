/**
 * Re-signs a received request with @smithy/signature-v4's own canonicalization, key
 * derivation and HMAC. `SignatureV4.sign()` is made for clients: it overwrites
 * `x-amz-date`, adds the session token and decides which headers to sign. A verifier must
 * instead sign exactly the headers the client listed, with the client's date, so this
 * subclass runs the same protected steps `signRequest` runs, minus those mutations, and
 * also returns the canonical request and string-to-sign for the mismatch message.
 * The query line is the one exception (see sigv4-canonical-query.ts).
 */
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import type { HeaderBag } from "@smithy/protocol-http";
import { ALGORITHM_IDENTIFIER, SignatureV4, createScope, getCanonicalHeaders } from "@smithy/signature-v4";

export interface ResignInput {
  method: string;
  /** Raw, still percent-encoded path: smithy encodes it once more (non-S3 SigV4 rule). */
  rawPath: string;
  /** Canonical query line, from canonicalQueryFromRaw. */
  canonicalQuery: string;
  /** Exactly the signed headers, lower-case name -> value (repeated values already joined). */
  signedHeaderValues: Record<string, string>;
  payloadHash: string;
  signingDate: Date;
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

class VerifyingSignatureV4 extends SignatureV4 {
  async resign(input: ResignInput): Promise<Resigned> {
    const request = new HttpRequest({ method: input.method, path: input.rawPath, query: {}, headers: input.signedHeaderValues as HeaderBag });
    // Every listed header is signable here, even ones smithy never signs itself (user-agent, …).
    const canonicalHeaders = getCanonicalHeaders(request, undefined, new Set(Object.keys(input.signedHeaderValues)));
    const { longDate, shortDate } = this.formatDate(input.signingDate);
    const scope = createScope(shortDate, input.region, input.service);
    const canonicalRequest = withQueryLine(this.createCanonicalRequest(request, canonicalHeaders, input.payloadHash), input.canonicalQuery);
    const stringToSign = await this.createStringToSign(longDate, scope, canonicalRequest, ALGORITHM_IDENTIFIER);
    // Public API for the last step: HMAC of the string-to-sign with the derived signing key.
    const signature = await this.sign(stringToSign, { signingDate: input.signingDate, signingRegion: input.region, signingService: input.service });
    return { canonicalRequest, stringToSign, signature };
  }
}

/**
 * Smithy renders `METHOD\nPATH\nQUERY\n…`; with an empty query map its third line is empty.
 * Neither method nor escaped path can hold a newline, so the third line is the query line.
 */
function withQueryLine(canonicalRequest: string, canonicalQuery: string): string {
  const lines = canonicalRequest.split("\n");
  lines[2] = canonicalQuery;
  return lines.join("\n");
}

export async function resign(input: ResignInput): Promise<Resigned> {
  const signer = new VerifyingSignatureV4({
    service: input.service,
    region: input.region,
    credentials: { accessKeyId: input.accessKeyId, secretAccessKey: input.secretAccessKey },
    sha256,
    uriEscapePath: true,
    applyChecksum: false,
  });
  return signer.resign(input);
}

/** Lower-case hex SHA-256 of the body bytes, with the hash smithy signs with. */
export async function payloadSha256Hex(body: Uint8Array): Promise<string> {
  const hash = new sha256();
  hash.update(body);
  return Buffer.from(await hash.digest()).toString("hex");
}
