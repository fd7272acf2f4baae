import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";
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

/**
 * smithy's SignatureV4 with one step replaced: its canonical query comes from a decoded key/value
 * map, which cannot tell `+` from a space once decoded, nor keep bytes that are not UTF-8. We give
 * it the canonical query built from the raw query string and keep everything else (path
 * normalization and double encoding, header canonicalization, key derivation) as smithy does it.
 */
class RawQuerySignatureV4 extends SignatureV4 {
  canonicalRequest = "";

  constructor(
    scope: SigningScope,
    private readonly rawCanonicalQuery: string,
  ) {
    super({
      credentials: scope.credentials,
      region: scope.region,
      service: scope.service,
      sha256: Hash.bind(null, "sha256"),
      applyChecksum: false, // API Gateway does not need x-amz-content-sha256
      uriEscapePath: true, // every service but S3: the sent path is encoded a second time
    });
  }

  protected override createCanonicalRequest(request: HttpRequest, canonicalHeaders: HeaderBag, payloadHash: string): string {
    // smithy's layout is METHOD\nPATH\nQUERY\n...: swap in our query line. No line can hold a raw
    // newline (the path is escaped, header values have line breaks folded to spaces).
    const lines = super.createCanonicalRequest({ ...request, query: {} }, canonicalHeaders, payloadHash).split("\n");
    lines[2] = this.rawCanonicalQuery;
    this.canonicalRequest = lines.join("\n");
    return this.canonicalRequest;
  }
}

/** Signs one attempt of a request with SigV4 (header form). */
export async function signRequest(request: RequestToSign, scope: SigningScope): Promise<SignResult> {
  const signer = new RawQuerySignatureV4(scope, request.canonicalQuery);
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: "https:",
      hostname: request.headers["host"] ?? "",
      path: request.path,
      query: {},
      headers: { ...request.headers },
      body: request.body,
    },
    { signingDate: scope.signingDate },
  );
  const token = signed.headers[SECURITY_TOKEN_HEADER];
  return {
    headers: {
      [AUTHORIZATION_HEADER]: signed.headers[AUTHORIZATION_HEADER]!,
      [AMZ_DATE_HEADER]: signed.headers[AMZ_DATE_HEADER]!,
      ...(token === undefined ? {} : { [SECURITY_TOKEN_HEADER]: token }),
    },
    canonicalRequest: signer.canonicalRequest,
  };
}
