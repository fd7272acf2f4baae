/**
 * A signed request through node's real HTTP parser on loopback: what receivedRequestFromNode
 * hands the verifier is what the client signed (raw path, raw query, raw header pairs, body).
 */
import { type IncomingMessage, type Server, createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { receivedRequestFromNode } from "../../../local/auth/received-request.js";
import { type VerifyResult, verifySigV4 } from "../../../local/auth/sigv4-verifier.js";
import { CALLER, REGION, SERVICE, SIGNED_AT, type ClientRequest, lookupOf, signAsClient } from "./signing-client.js";

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

describe("local auth: verifying requests received by node's HTTP server", () => {
  let server: Server;
  let port: number;
  let lastResult: VerifyResult | undefined;

  before(async () => {
    server = createServer(async (req, res) => {
      lastResult = await verifySigV4(receivedRequestFromNode(req, await readBody(req)), {
        region: REGION,
        service: SERVICE,
        now: SIGNED_AT,
        lookup: lookupOf(CALLER),
      });
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });

  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function send(client: ClientRequest, tamper?: (headers: Array<[string, string]>) => void): Promise<VerifyResult> {
    const signed = await signAsClient({ ...client, host: `127.0.0.1:${port}` });
    const headers = signed.headers.map(([n, v]) => [n, v] as [string, string]);
    tamper?.(headers);
    lastResult = undefined;
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(
        { host: "127.0.0.1", port, method: signed.method, path: signed.rawPath + (signed.rawQuery ? `?${signed.rawQuery}` : ""), headers: headers.flat() as unknown as Record<string, string>, setHost: false },
        (res) => res.resume().on("end", resolve),
      );
      req.on("error", reject);
      req.end(signed.body);
    });
    return lastResult!;
  }

  it("verifies a POST with an encoded path, a query and a JSON body", async () => {
    const result = await send({ method: "POST", path: "/prod/users/a%20b", query: "z=1&a=%E1%88%B4&plus=%2B", body: '{"name":"Ada"}', headers: { "content-type": "application/json" } });
    expect(result.ok, JSON.stringify(result)).to.equal(true);
  });

  it("rejects the same request when the Host header lost its port on the way", async () => {
    const result = await send({ path: "/prod/users/42" }, (headers) => {
      const host = headers.find(([n]) => n === "host")!;
      host[1] = "127.0.0.1";
    });
    expect(result.ok).to.equal(false);
    if (!result.ok) expect(result.error.errorType).to.equal("InvalidSignatureException");
  });
});
