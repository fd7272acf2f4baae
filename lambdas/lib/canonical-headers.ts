import { UNSIGNED_HEADERS } from "./constants.js";

export type OutgoingHeaders = Record<string, string | string[] | number | undefined>;

const NOT_SIGNABLE_PATTERN = /^(?:proxy-|sec-)/;

/** SigV4's value form: outer whitespace trimmed, inner runs (and obs-folds) collapsed to one space. */
export function canonicalHeaderValue(value: string): string {
  return value.replace(/[\r\n]+/g, " ").replace(/[ \t]+/g, " ").trim();
}

/**
 * The headers to sign, by lower-case name: every header about to be sent except the ones got
 * and Node add by themselves and hop-by-hop ones. Repeated values are joined with `,` in the
 * order they are sent, each trimmed on its own (never sorted).
 */
export function headersToSign(headers: OutgoingHeaders): Record<string, string> {
  const signed: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lowerName = name.toLowerCase();
    if (value === undefined || UNSIGNED_HEADERS.has(lowerName) || NOT_SIGNABLE_PATTERN.test(lowerName)) continue;
    const joined = Array.isArray(value) ? value.map((one) => canonicalHeaderValue(String(one))).join(",") : canonicalHeaderValue(String(value));
    signed[lowerName] = signed[lowerName] === undefined ? joined : `${signed[lowerName]},${joined}`;
  }
  return signed;
}
