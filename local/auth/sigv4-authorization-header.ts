/**
 * Parses `Authorization: AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request,
 * SignedHeaders=a;b, Signature=hex`. Problems come back as the messages AWS uses for
 * IncompleteSignatureException, except that AWS echoes the whole header and we never do
 * (the header is a credential-bearing value; see the brief's logging rule).
 */

export const SIGV4_ALGORITHM = "AWS4-HMAC-SHA256";

export interface ParsedAuthorization {
  accessKeyId: string;
  /** Scope date, `YYYYMMDD` as written by the client (not validated here). */
  scopeDate: string;
  scopeRegion: string;
  scopeService: string;
  scopeTerminator: string;
  /** Header names as listed, lower-cased, in the client's order. */
  signedHeaders: string[];
  signature: string;
}

export type ParseAuthorizationResult = { ok: true; value: ParsedAuthorization } | { ok: false; message: string };

/**
 * @param hasDateHeader whether the request carries `X-Amz-Date` or `Date`; AWS reports its
 *   absence together with the missing parameters, in one message.
 */
export function parseAuthorizationHeader(header: string, hasDateHeader: boolean): ParseAuthorizationResult {
  const trimmed = header.trim();
  const space = trimmed.search(/\s/);
  const algorithm = space < 0 ? trimmed : trimmed.slice(0, space);
  const rest = space < 0 ? "" : trimmed.slice(space + 1);

  // Like AWS, parameters are separated by commas and/or whitespace, so a stray space inside
  // `Credential=` splits it and is reported, rather than becoming part of the access key id.
  const params = new Map<string, string>();
  const parts = rest.split(/[,\s]+/).filter((part) => part !== "");
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const equals = part.indexOf("=");
    if (equals <= 0) {
      return { ok: false, message: `Parameter ${i + 1} of the Authorization header is not a valid key=value pair (missing equal-sign).` };
    }
    const name = part.slice(0, equals);
    if (params.has(name)) {
      return { ok: false, message: `Parameter ${i + 1} of the Authorization header repeats an earlier parameter.` };
    }
    params.set(name, part.slice(equals + 1));
  }

  // AWS lists every missing piece at once, in this order.
  const missing: string[] = [];
  for (const required of ["Credential", "Signature", "SignedHeaders"]) {
    if (!params.has(required)) missing.push(`Authorization header requires '${required}' parameter.`);
  }
  if (!hasDateHeader) missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  if (missing.length > 0) return { ok: false, message: missing.join(" ") };

  if (algorithm !== SIGV4_ALGORITHM) {
    return { ok: false, message: `Unsupported Authorization algorithm: only '${SIGV4_ALGORITHM}' is accepted.` };
  }

  const credential = params.get("Credential")!.split("/");
  if (credential.length !== 5 || credential.some((element) => element === "")) {
    return {
      ok: false,
      message:
        "Authorization header's Credential is malformed; Credential must have exactly 5 slash-delimited elements, " +
        `e.g. keyid/date/region/service/term, got ${credential.length}.`,
    };
  }
  const [accessKeyId, scopeDate, scopeRegion, scopeService, scopeTerminator] = credential as [string, string, string, string, string];

  const signedHeadersValue = params.get("SignedHeaders")!;
  const signedHeaders = signedHeadersValue === "" ? [] : signedHeadersValue.split(";").map((name) => name.trim().toLowerCase());
  if (signedHeaders.some((name) => name === "")) {
    return { ok: false, message: "Authorization header's SignedHeaders has an empty header name." };
  }
  if (!signedHeaders.includes("host")) {
    return { ok: false, message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization." };
  }
  // Signing the Authorization header itself is impossible, and it would echo the header.
  if (signedHeaders.includes("authorization")) {
    return { ok: false, message: "'Authorization' cannot be a 'SignedHeader' in the AWS Authorization." };
  }

  const signature = params.get("Signature")!;
  if (signature === "") return { ok: false, message: "Authorization header's Signature is empty." };

  return { ok: true, value: { accessKeyId, scopeDate, scopeRegion, scopeService, scopeTerminator, signedHeaders, signature } };
}

/** A short printable rendering of a value taken from a request, safe to put in a message. */
export function safeName(value: string): string {
  const printable = value.replace(/[^\x20-\x7e]/g, "?");
  return printable.length > 64 ? `${printable.slice(0, 64)}…` : printable;
}
