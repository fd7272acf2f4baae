/**
 * The node HTTP plumbing the offline mode's servers share (gateway, AWS endpoint, DynamoDB engine):
 * listening on loopback, reading a body within a limit, the caller's address.
 */
import type { IncomingMessage, Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Listens on 127.0.0.1 only (nothing the offline mode serves is meant for another machine) and
 * resolves the bound port (`port` 0 picks a free one); rejects when the port cannot be bound.
 */
export function listenOnLoopback(server: Server, port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolvePort((server.address() as AddressInfo).port);
    });
  });
}

/** A body read up to a limit: its bytes, or that it was larger (declared or as sent). */
export type BodyRead = { readonly body: Buffer } | { readonly tooLarge: true };

/**
 * Reads a request's body, stopping at `limit` bytes (a larger `content-length` is refused before
 * reading). Rejects when the client hangs up mid-body, so the caller never waits forever.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ tooLarge: true });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on("data", (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        resolve({ tooLarge: true });
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => !done && resolve({ body: Buffer.concat(chunks) }));
    req.on("error", reject);
    // A client that hangs up mid-body ends the request with neither 'end' nor (always) 'error'.
    req.on("close", () => !req.complete && !done && reject(new Error("the client closed the connection mid-body")));
  });
}

/** The caller's address as `aws:SourceIp` and `$context.identity.sourceIp` give it: an IPv4-mapped IPv6 address as plain IPv4. */
export function sourceIpOf(req: IncomingMessage): string {
  return req.socket.remoteAddress?.replace(/^::ffff:/, "") ?? "127.0.0.1";
}
