import { HTTPError } from "got";
import type { PlainResponse } from "got";
import { REDACTED, SECURITY_TOKEN_HEADER } from "./constants.js";

/**
 * A request the client refuses to sign (no region, an ambiguous query, a body past the cap,
 * unusable credentials). got wraps it in a `RequestError` carrying the same `code` and message.
 */
export class SigningError extends Error {
  override name = "SigningError";
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/**
 * API Gateway's 403 `InvalidSignatureException`, with what the client signed beside what API
 * Gateway says it expected, so the difference is visible without any secret: session tokens are
 * redacted and the `Authorization` value is never included.
 */
export class SignatureMismatchError extends HTTPError {
  override name = "SignatureMismatchError";
  override code = "ERR_SIGV4_SIGNATURE_MISMATCH";

  /** The canonical request this client signed on the last attempt (undefined if it did not sign it). */
  readonly canonicalRequest: string | undefined;
  /** The canonical request API Gateway quoted in its 403 body, when it quoted one. */
  readonly expectedCanonicalRequest: string | undefined;

  constructor(response: PlainResponse, canonicalRequest: string | undefined, expectedCanonicalRequest: string | undefined) {
    super(response);
    this.canonicalRequest = canonicalRequest === undefined ? undefined : redactCanonicalRequest(canonicalRequest);
    this.expectedCanonicalRequest =
      expectedCanonicalRequest === undefined ? undefined : redactCanonicalRequest(expectedCanonicalRequest);
    const difference = firstDifferingLine(this.canonicalRequest, this.expectedCanonicalRequest);
    this.message = `${this.message}: signature does not match${difference ? ` (${difference})` : ""}`;
  }
}

/** Session tokens appear in canonical requests as a signed header; they are credentials. */
export function redactCanonicalRequest(canonicalRequest: string): string {
  return canonicalRequest.replace(new RegExp(`^(${SECURITY_TOKEN_HEADER}:).*$`, "m"), `$1${REDACTED}`);
}

const CANONICAL_REQUEST_PARTS = ["method", "path", "query"];

/** Names the first line where the two canonical requests differ, e.g. `path: "/a" vs "/b"`. */
export function firstDifferingLine(ours: string | undefined, expected: string | undefined): string | undefined {
  if (ours === undefined || expected === undefined) return undefined;
  const a = ours.split("\n");
  const b = expected.split("\n");
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    if (a[i] !== b[i]) {
      const part = CANONICAL_REQUEST_PARTS[i] ?? `line ${i + 1}`;
      return `${part}: signed ${JSON.stringify(a[i] ?? "")}, expected ${JSON.stringify(b[i] ?? "")}`;
    }
  }
  return "canonical requests are equal: check the credentials, region and service";
}

/** API Gateway's error text: the `message` of its JSON body, else the body as text. */
export function apiGatewayMessage(rawBody: Buffer | undefined): string {
  const text = rawBody?.toString("utf8") ?? "";
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null) {
      const { message, Message } = parsed as { message?: unknown; Message?: unknown };
      if (typeof message === "string") return message;
      if (typeof Message === "string") return Message;
    }
  } catch {
    // not JSON: use the text as it is
  }
  return text;
}
