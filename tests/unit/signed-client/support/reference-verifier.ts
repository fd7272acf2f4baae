import { createHash, createHmac } from "node:crypto";
import type { CapturedRequest } from "./capture-server.js";

/**
 * Checks a captured request the way API Gateway does, written from the SigV4 spec with
 * node:crypto only (no code shared with the client): the canonical request is rebuilt from the
 * raw request-target and header lines that arrived, the path encoded a second time.
 */
export interface Verification {
  readonly valid: boolean;
  readonly canonicalRequest: string;
  readonly signedHeaders: string[];
  readonly amzDate: string;
  readonly accessKeyId: string;
}

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/;

export function verifyCaptured(request: CapturedRequest, secretAccessKey: string): Verification {
  const [authorization] = request.header("authorization");
  const match = AUTHORIZATION.exec(authorization ?? "");
  if (!match) throw new Error(`not a SigV4 Authorization header: ${authorization === undefined ? "none" : "malformed"}`);
  const [, accessKeyId, date, region, service, signedHeaderList, signature] = match as unknown as string[];
  const signedHeaders = signedHeaderList!.split(";");
  const [amzDate = ""] = request.header("x-amz-date");
  const [rawPath = "", rawQuery = ""] = request.target.split(/\?(.*)/s);
  const [payloadHashHeader] = request.header("x-amz-content-sha256");
  const canonicalRequest = [
    request.method,
    canonicalPath(rawPath),
    canonicalQueryOf(rawQuery),
    ...signedHeaders.map((name) => `${name}:${request.header(name).map((value) => value.trim().replace(/\s+/g, " ")).join(",")}`),
    "",
    signedHeaderList,
    payloadHashHeader ?? createHash("sha256").update(request.body).digest("hex"),
  ].join("\n");
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, createHash("sha256").update(canonicalRequest).digest("hex")].join("\n");
  let key: Buffer = createHmac("sha256", `AWS4${secretAccessKey}`).update(date!).digest();
  for (const part of [region!, service!, "aws4_request"]) key = createHmac("sha256", key).update(part).digest();
  const expected = createHmac("sha256", key).update(stringToSign).digest("hex");
  return { valid: expected === signature, canonicalRequest, signedHeaders, amzDate, accessKeyId: accessKeyId! };
}

const isUnreserved = (byte: number) => /[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte));
const encodeBytes = (bytes: Buffer) => [...bytes].map((byte) => (isUnreserved(byte) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`)).join("");

/** Non-S3 rule: remove dot segments and empty segments, then encode each segment of the sent path again. */
function canonicalPath(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(encodeBytes(Buffer.from(segment, "utf8")));
  }
  const trailing = segments.length > 0 && rawPath.endsWith("/") ? "/" : "";
  return `/${segments.join("/")}${trailing}`;
}

/** Percent-decodes to bytes (a `+` stays a plus), re-encodes strictly, sorts by key then value. */
function canonicalQueryOf(rawQuery: string): string {
  const decode = (text: string) => Buffer.from(text.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))), "latin1");
  return rawQuery
    .split("&")
    .filter((pair) => pair !== "")
    .map((pair) => {
      const equals = pair.indexOf("=");
      const [key, value] = equals === -1 ? [pair, ""] : [pair.slice(0, equals), pair.slice(equals + 1)];
      return [encodeBytes(decode(key)), encodeBytes(decode(value))] as const;
    })
    .sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join("&");
}
