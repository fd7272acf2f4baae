import { UNSIGNED_HEADERS } from "./constants.js";

export type OutgoingHeaders = Record<string, string | string[] | number | undefined>;

/** Names the SDKs never sign, whatever follows the prefix. */
export function isNotSignable(lowerName: string): boolean {
  return UNSIGNED_HEADERS.has(lowerName) || lowerName.startsWith("proxy-") || lowerName.startsWith("sec-");
}

/** Anything {@link canonicalHeaderValue} would change: most values have none, and are kept as they are. */
const NOT_CANONICAL = /[\r\n\t]| {2}|^\s|\s$/;

/** SigV4's value form: outer whitespace trimmed, inner runs (and obs-folds) collapsed to one space. */
export function canonicalHeaderValue(value: string): string {
  if (!NOT_CANONICAL.test(value)) return value;
  return value.replace(/[\r\n]+/g, " ").replace(/[ \t]+/g, " ").trim();
}

/**
 * The headers to sign, by lower-case name: every header about to be sent except the ones got
 * and Node add by themselves and hop-by-hop ones. Repeated values are joined with `,` in the
 * order they are sent, each trimmed on its own (never sorted).
 */
export function headersToSign(headers: OutgoingHeaders): Record<string, string> {
  // No prototype: a header named `__proto__` is a header like any other.
  const signed: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(headers)) {
    const lowerName = name.toLowerCase();
    if (value === undefined || isNotSignable(lowerName)) continue;
    const joined = Array.isArray(value) ? value.map((one) => canonicalHeaderValue(String(one))).join(",") : canonicalHeaderValue(String(value));
    signed[lowerName] = signed[lowerName] === undefined ? joined : `${signed[lowerName]},${joined}`;
  }
  return signed;
}
