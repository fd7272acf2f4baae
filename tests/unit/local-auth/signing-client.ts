/**
 * Test helper: signs a request the way a real client does (@smithy/signature-v4 over the
 * path and query it puts on the wire) and returns it as the gateway would receive it.
 */
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import type { ReceivedRequest } from "../../../local/auth/received-request.js";
import type { KnownCredentials } from "../../../local/auth/sigv4-verifier.js";

export const REGION = "eu-west-1";
export const SERVICE = "execute-api";
export const HOST = "127.0.0.1:4010";
export const SIGNED_AT = new Date("2026-03-01T10:00:00Z");

export const CALLER: KnownCredentials = {
  accessKeyId: "FAKELOCALCALLER00001",
  secretAccessKey: "local/caller/secret/key/0123456789abcdefghij",
  sessionToken: "local-session-token-caller",
  principal: {
    arn: "arn:aws:sts::111111111111:assumed-role/profile-fn/profile-fn-session",
    roleArn: "arn:aws:iam::111111111111:role/profile-fn",
    accountId: "111111111111",
    userId: "AROALOCALPROFILE:profile-fn-session",
    tokenIssuedAt: new Date("2015-08-30T12:00:00Z"),
    tags: {},
  },
};

export interface ClientRequest {
  method?: string;
  /** Path as sent on the wire (already percent-encoded). */
  path?: string;
  /** Query as sent on the wire, without `?`, already strictly encoded. */
  query?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  host?: string;
  signedAt?: Date;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  region?: string;
  service?: string;
  /** smithy's default (true) also sends and signs `x-amz-content-sha256`. */
  applyChecksum?: boolean;
}

export async function signAsClient(request: ClientRequest = {}): Promise<ReceivedRequest> {
  const { method = "GET", path = "/prod/users/42", query = "", body = "", host = HOST, signedAt = SIGNED_AT } = request;
  const credentials = request.credentials ?? CALLER;
  const signer = new SignatureV4({
    service: request.service ?? SERVICE,
    region: request.region ?? REGION,
    sha256: Hash.bind(null, "sha256"),
    applyChecksum: request.applyChecksum ?? true,
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken },
  });
  const bodyBuffer = Buffer.isBuffer(body) ? body : Buffer.from(body, "utf8");
  const signed = await signer.sign(
    new HttpRequest({
      method,
      hostname: host,
      path,
      query: decodedQueryMap(query),
      headers: { host, ...request.headers },
      body: bodyBuffer.length > 0 ? bodyBuffer : undefined,
    }),
    { signingDate: signedAt },
  );
  const headers = Object.entries(signed.headers).map(([name, value]) => [name, String(value)] as [string, string]);
  return { method, rawPath: path, rawQuery: query, headers, body: bodyBuffer };
}

/** smithy wants decoded values; the wire query in these tests is valid UTF-8. */
function decodedQueryMap(query: string): Record<string, string | string[]> {
  const map: Record<string, string | string[]> = {};
  for (const part of query.split("&").filter((p) => p !== "")) {
    const eq = part.indexOf("=");
    const key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? "" : decodeURIComponent(part.slice(eq + 1));
    const existing = map[key];
    map[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return map;
}

/** Replaces (or with `undefined` removes) every header of that name, keeping arrival order. */
export function withHeader(req: ReceivedRequest, name: string, value: string | undefined): ReceivedRequest {
  const lower = name.toLowerCase();
  const headers = req.headers.filter(([n]) => n.toLowerCase() !== lower);
  if (value !== undefined) headers.push([name, value]);
  return { ...req, headers };
}

export function header(req: ReceivedRequest, name: string): string | undefined {
  return req.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
}

export function lookupOf(...known: KnownCredentials[]): (accessKeyId: string) => KnownCredentials | undefined {
  return (accessKeyId) => known.find((c) => c.accessKeyId === accessKeyId);
}
