import { ERROR_CODES } from "./constants.js";
import { SigningError } from "./errors.js";

/** One query parameter, both parts in strict RFC 3986 form; `value` undefined for `?flag`. */
export interface QueryParameter {
  readonly key: string;
  readonly value: string | undefined;
}

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;

/**
 * Rewrites one raw query component in strict RFC 3986 form: unreserved characters literal,
 * every other byte `%XX` upper-case. Works on bytes, so `%FF` survives and nothing is decoded
 * to text. A literal `+` is a plus (`%2B`) unless the query came from form encoding (got's
 * `searchParams`), where it is a space.
 */
export function strictQueryComponent(raw: string, plusIsSpace: boolean): string {
  let out = "";
  for (let i = 0; i < raw.length; i += 1) {
    const char = raw[i]!;
    if (char === "%") {
      const hex = raw.slice(i + 1, i + 3);
      if (!HEX_PAIR.test(hex)) {
        throw new SigningError(
          `query has a "%" that is not a percent-encoded byte near ${JSON.stringify(raw.slice(i, i + 3))}: encode it as %25`,
          ERROR_CODES.query,
        );
      }
      const decoded = String.fromCharCode(Number.parseInt(hex, 16));
      out += UNRESERVED.test(decoded) ? decoded : `%${hex.toUpperCase()}`;
      i += 2;
    } else if (char === "+") {
      out += plusIsSpace ? "%20" : "%2B";
    } else if (UNRESERVED.test(char)) {
      out += char;
    } else {
      const codePoint = raw.codePointAt(i)!;
      const whole = String.fromCodePoint(codePoint);
      for (const byte of Buffer.from(whole, "utf8")) out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
      i += whole.length - 1;
    }
  }
  return out;
}

/**
 * Splits a raw query string (without `?`) into parameters, in order, repeated keys kept and
 * keys without `=` kept as such. Empty segments (`a=1&&b=2`) carry nothing and are dropped.
 */
export function parseRawQuery(rawQuery: string, plusIsSpace = false): QueryParameter[] {
  const parameters: QueryParameter[] = [];
  if (rawQuery === "" || rawQuery === "?") return parameters; // most requests: nothing to split
  for (const segment of rawQuery.replace(/^\?/, "").split("&")) {
    if (segment === "") continue;
    const equals = segment.indexOf("=");
    parameters.push(
      equals === -1
        ? { key: strictQueryComponent(segment, plusIsSpace), value: undefined }
        : {
            key: strictQueryComponent(segment.slice(0, equals), plusIsSpace),
            value: strictQueryComponent(segment.slice(equals + 1), plusIsSpace),
          },
    );
  }
  return parameters;
}

/** The query string to send: the caller's order, nothing that two parsers could read differently. */
export function formatSentQuery(parameters: readonly QueryParameter[]): string {
  return parameters.map(({ key, value }) => (value === undefined ? key : `${key}=${value}`)).join("&");
}

/** SigV4's canonical query: sorted by encoded key, then encoded value (byte order); `key=` for a bare key. */
export function canonicalQuery(parameters: readonly QueryParameter[]): string {
  return parameters
    .map(({ key, value }) => [key, value ?? ""] as const)
    .sort(([keyA, valueA], [keyB, valueB]) => compareBytes(keyA, keyB) || compareBytes(valueA, valueB))
    .map(([key, value]) => `${key}=${value}`)
    .join("&");
}

// Strict components are ASCII, so code-unit order is byte order.
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
