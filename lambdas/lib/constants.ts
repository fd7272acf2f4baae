/** Every constant the signed client relies on, in one place (as smithy's signature-v4 does). */

/** The service name API Gateway signs under. */
export const DEFAULT_SERVICE = "execute-api";

/** Headers the signer writes; removed before every attempt so no attempt inherits a stale one. */
export const AUTHORIZATION_HEADER = "authorization";
export const AMZ_DATE_HEADER = "x-amz-date";
export const SECURITY_TOKEN_HEADER = "x-amz-security-token";
export const CONTENT_SHA256_HEADER = "x-amz-content-sha256";
export const SIGNATURE_HEADERS = [AUTHORIZATION_HEADER, AMZ_DATE_HEADER, SECURITY_TOKEN_HEADER, CONTENT_SHA256_HEADER] as const;
/** Headers the signer sets or leaves out whatever the request carries (as smithy's `GENERATED_HEADERS`). */
export const SIGNER_OWNED_HEADERS: ReadonlySet<string> = new Set([AUTHORIZATION_HEADER, AMZ_DATE_HEADER, "date"]);

export const HOST_HEADER = "host";
/** What errors show in place of a session token or an Authorization value. */
export const REDACTED = "<redacted>";
export const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

/**
 * Headers never signed: the ones got or Node add by themselves (their value is not the caller's
 * to promise), hop-by-hop headers a proxy may rewrite, the signature itself, and the rest of what
 * the AWS SDKs never sign (smithy's `ALWAYS_UNSIGNABLE_HEADERS`: caches and proxies may change them).
 */
export const UNSIGNED_HEADERS: ReadonlySet<string> = new Set([
  AUTHORIZATION_HEADER,
  "user-agent",
  "accept-encoding",
  "content-length",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "expect",
  "cache-control",
  "from",
  "max-forwards",
  "pragma",
  "referer",
  // Forwarded from _X_AMZN_TRACE_ID (trace-header.ts); API Gateway may append to it.
  "x-amzn-trace-id",
]);

/** Streams and async iterables are buffered to be hashed; past this many bytes the request fails. */
export const DEFAULT_MAX_BUFFERED_BODY_BYTES = 10 * 1024 * 1024; // API Gateway's payload limit

/** Defaults a caller can override with the same got options. */
export const DEFAULT_TIMEOUT = { request: 10_000 } as const;
export const DEFAULT_RETRY = {
  limit: 2,
  methods: ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"],
  statusCodes: [429, 500, 502, 503, 504],
} as const;

/** Refresh memoized credentials this long before they expire. */
export const CREDENTIAL_REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * `<id>.execute-api.<region>.amazonaws.com(.cn)`, private APIs through a VPC endpoint
 * (`<api>-<vpce>.execute-api.<region>.amazonaws.com`) and the endpoint's own name
 * (`<vpce>.execute-api.<region>.vpce.amazonaws.com`).
 */
export const EXECUTE_API_HOST = /^[a-z0-9-]+\.execute-api(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d+)\.(?:vpce\.)?amazonaws\.com(?:\.cn)?$/i;

/** API Gateway's 403 messages when the signing time is outside its five-minute window. */
export const CLOCK_SKEW_MESSAGE = /Signature expired|Signature not yet current/;

/** API Gateway's 403 for a signature that does not match, and where it quotes its canonical request. */
export const INVALID_SIGNATURE_ERROR_TYPE = "InvalidSignatureException";
export const SIGNATURE_MISMATCH_MESSAGE = "The request signature we calculated does not match";
export const EXPECTED_CANONICAL_REQUEST = /The Canonical String for this request should have been\s*'([\s\S]*?)'\s*(?:The String-to-Sign|$)/;

/** Error codes of the errors the signing hook raises (got wraps them in a RequestError with this code). */
export const ERROR_CODES = {
  region: "ERR_SIGV4_REGION",
  query: "ERR_SIGV4_QUERY",
  bodyTooLarge: "ERR_SIGV4_BODY_TOO_LARGE",
  body: "ERR_SIGV4_BODY",
  credentials: "ERR_SIGV4_CREDENTIALS",
} as const;
