/**
 * SigV4's canonical query, computed from the raw query bytes as received.
 *
 * This is the one canonicalization step not delegated to @smithy/signature-v4: smithy takes
 * a map of *decoded JS strings*, which cannot hold a percent-escape that is not UTF-8
 * (`%FF`), so a client that signed such a query byte-wise could never verify. Working on
 * bytes gives the same result as smithy for every UTF-8 query (tested against the AWS
 * suite and smithy-signed requests) and the right one for the rest.
 */

const UNRESERVED_BYTE = /^[A-Za-z0-9\-._~]$/;
const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;

/**
 * Every parameter as `key=value` in strict RFC 3986 form (unreserved bytes literal, all
 * others `%XX` upper-case), sorted by key then value in byte order, joined with `&`.
 * A literal `+` is a plus (`%2B`), never a space; a key without `=` is signed as `key=`;
 * empty segments (`a=1&&b=2`) carry nothing and are dropped.
 */
export function canonicalQueryFromRaw(rawQuery: string): string {
  if (rawQuery === "") return ""; // most signed calls have no query
  const pairs: Array<[string, string]> = [];
  for (const segment of rawQuery.split("&")) {
    if (segment === "") continue;
    const equals = segment.indexOf("=");
    pairs.push(
      equals < 0
        ? [encodeBytes(rawComponentBytes(segment)), ""]
        : [encodeBytes(rawComponentBytes(segment.slice(0, equals))), encodeBytes(rawComponentBytes(segment.slice(equals + 1)))],
    );
  }
  // Encoded components are ASCII, so code-unit order is byte order.
  pairs.sort(([keyA, valueA], [keyB, valueB]) => compare(keyA, keyB) || compare(valueA, valueB));
  return pairs.map(([key, value]) => `${key}=${value}`).join("&");
}

/** The bytes a raw component stands for: `%XX` is one byte, anything else its UTF-8 bytes. */
function rawComponentBytes(raw: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const char = raw[i]!;
    if (char === "%" && HEX_PAIR.test(raw.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(raw.slice(i + 1, i + 3), 16));
      i += 2;
      continue;
    }
    // A stray `%` is a literal percent sign; a lone surrogate becomes U+FFFD, as in any UTF-8 encoder.
    const codePoint = raw.codePointAt(i)!;
    const whole = String.fromCodePoint(codePoint);
    for (const byte of Buffer.from(whole, "utf8")) bytes.push(byte);
    i += whole.length - 1;
  }
  return bytes;
}

function encodeBytes(bytes: number[]): string {
  let out = "";
  for (const byte of bytes) {
    const char = String.fromCharCode(byte);
    out += UNRESERVED_BYTE.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
