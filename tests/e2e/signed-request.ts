import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentity } from "@smithy/types";
import got from "got";

/** What came back, with the fields the cases assert. */
export interface Reply {
  readonly status: number;
  readonly errorType: string | undefined;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly json: any;
}

export interface RequestSpec {
  readonly method: string;
  readonly url: string;
  readonly body?: string;
  /** Sign with these; leave out for an unsigned request. */
  readonly credentials?: AwsCredentialIdentity;
  readonly region?: string;
  /** The signing time. @default now */
  readonly signingDate?: Date;
  /** More headers (e.g. `authorization` with a user pool token, for an unsigned request). */
  readonly headers?: Record<string, string>;
}

/**
 * Sends one request, signed directly with @smithy/signature-v4 when credentials are given. The
 * cases use this rather than the project's client on purpose: they must be able to send what the
 * client never would (a stale date, a wrong secret), and the client is not what they test.
 */
export async function send(spec: RequestSpec): Promise<Reply> {
  const url = new URL(spec.url);
  let headers: Record<string, string> = { host: url.host, ...spec.headers };
  if (spec.body !== undefined) headers["content-type"] = "application/json";
  if (spec.credentials) {
    const signer = new SignatureV4({
      service: "execute-api",
      region: spec.region ?? "us-east-1",
      credentials: spec.credentials,
      sha256: Hash.bind(null, "sha256"),
    });
    const query: Record<string, string> = {};
    url.searchParams.forEach((value, key) => (query[key] = value));
    const signed = await signer.sign(
      new HttpRequest({
        method: spec.method,
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port ? Number(url.port) : undefined,
        path: url.pathname,
        query,
        headers,
        body: spec.body,
      }),
      { signingDate: spec.signingDate },
    );
    headers = signed.headers;
  }
  const response = await got(url, {
    method: spec.method as "GET",
    headers,
    body: spec.body,
    throwHttpErrors: false,
    retry: { limit: 0 },
    timeout: { request: 30000 },
  });
  let json: unknown;
  try {
    json = JSON.parse(response.body);
  } catch {
    json = response.body;
  }
  const errorType = response.headers["x-amzn-errortype"];
  return {
    status: response.statusCode,
    // API Gateway appends ":http://internal.amazon.com/coral/…" to some error types.
    errorType: typeof errorType === "string" ? errorType.split(":")[0] : undefined,
    headers: response.headers,
    json,
  };
}
