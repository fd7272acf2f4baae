import type { HttpAnswer } from "./gateway-responses.js";

/** The keys API Gateway accepts in a Lambda proxy response; any other makes it malformed. */
const PROXY_RESPONSE_KEYS = new Set(["statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded"]);
/** Headers the gateway itself owns: the function cannot set the framing of the response. */
const HOP_BY_HOP = new Set(["content-length", "transfer-encoding", "connection", "keep-alive", "upgrade"]);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isScalar = (value: unknown): value is string | number | boolean =>
  typeof value === "string" || typeof value === "number" || typeof value === "boolean";

/**
 * Turns a function's result into the HTTP answer API Gateway sends, or says why it is a
 * "Malformed Lambda proxy response" (the gateway then answers 502).
 */
export function proxyResultToAnswer(result: unknown): HttpAnswer | { readonly malformed: string } {
  if (!isObject(result)) return { malformed: "the result is not an object" };
  const extra = Object.keys(result).filter((k) => !PROXY_RESPONSE_KEYS.has(k));
  if (extra.length > 0) return { malformed: `unexpected keys ${extra.join(", ")}` };
  const { statusCode, headers = {}, multiValueHeaders = {}, body, isBase64Encoded } = result;
  const status = statusCode;
  if (typeof status !== "number" || !Number.isInteger(status) || status < 100 || status > 599) {
    return { malformed: "statusCode is not an integer HTTP status" };
  }
  if (body !== undefined && body !== null && typeof body !== "string") return { malformed: "body is not a string" };
  if (isBase64Encoded !== undefined && typeof isBase64Encoded !== "boolean") return { malformed: "isBase64Encoded is not a boolean" };
  if (headers !== null && !isObject(headers)) return { malformed: "headers is not an object" };
  if (multiValueHeaders !== null && !isObject(multiValueHeaders)) return { malformed: "multiValueHeaders is not an object" };

  const out = new Map<string, { name: string; values: string[] }>();
  const add = (name: string, value: unknown, append: boolean): string | undefined => {
    if (!isScalar(value)) return `header ${name} has a value that is not a string`;
    const text = String(value);
    if (!HEADER_NAME.test(name) || !HEADER_VALUE.test(text)) return `header ${name} is not a valid HTTP header`;
    if (HOP_BY_HOP.has(name.toLowerCase())) return undefined;
    const key = name.toLowerCase();
    const entry = out.get(key);
    if (entry && append) entry.values.push(text);
    else out.set(key, { name, values: [text] });
    return undefined;
  };
  for (const [name, value] of Object.entries(headers ?? {})) {
    const problem = add(name, value, false);
    if (problem) return { malformed: problem };
  }
  for (const [name, values] of Object.entries(multiValueHeaders ?? {})) {
    if (!Array.isArray(values)) return { malformed: `multiValueHeaders.${name} is not a list` };
    // A name in both maps keeps the single value and the list (API Gateway merges them).
    const fresh = !(headers && Object.hasOwn(headers, name));
    for (const [i, value] of values.entries()) {
      const problem = add(name, value, !(fresh && i === 0));
      if (problem) return { malformed: problem };
    }
  }
  const flat: Record<string, string> = {};
  for (const { name, values } of out.values()) flat[name] = values.join(", ");
  if (!out.has("content-type")) flat["Content-Type"] = "application/json";
  // Without binary media types a REST API returns a base64 body as the text it is.
  return { statusCode: status, headers: flat, body: typeof body === "string" ? body : "" };
}
