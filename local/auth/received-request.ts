/**
 * A request exactly as it arrived on the socket, before any framework normalizes it:
 * SigV4 signs the bytes the client sent, so the verifier must see them unchanged.
 */
import type { IncomingMessage } from "node:http";

export interface ReceivedRequest {
  /** HTTP method as received, e.g. `GET`. */
  method: string;
  /** Path of the request-target as received, still percent-encoded, e.g. `/prod/users/a%20b`. */
  rawPath: string;
  /** Query of the request-target as received, without the `?`; `""` when there is none. */
  rawQuery: string;
  /** Raw header pairs in arrival order, repeated names kept (node's `req.rawHeaders`, paired). */
  headers: Array<[name: string, value: string]>;
  /** The body bytes exactly as received. */
  body: Buffer;
}

/** The request's headers as name/value pairs in arrival order (node joins repeated ones in `headers`). */
export function rawHeaderPairs(req: IncomingMessage): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) pairs.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
  return pairs;
}

/**
 * Builds a ReceivedRequest from node's request and the body already read; `headers` when the
 * caller has paired them already (the gateway reads the trace header before the body).
 */
export function receivedRequestFromNode(req: IncomingMessage, body: Buffer, headers: Array<[string, string]> = rawHeaderPairs(req)): ReceivedRequest {
  const target = req.url ?? "/";
  const queryStart = target.indexOf("?");
  return {
    method: req.method ?? "GET",
    rawPath: queryStart < 0 ? target : target.slice(0, queryStart),
    rawQuery: queryStart < 0 ? "" : target.slice(queryStart + 1),
    headers,
    body,
  };
}

/** Every header's values by lower-case name, in arrival order: one pass for the many look-ups of a verification. */
export function headersByName(req: ReceivedRequest): ReadonlyMap<string, readonly string[]> {
  const byName = new Map<string, string[]>();
  for (const [name, value] of req.headers) {
    const key = name.toLowerCase();
    const values = byName.get(key);
    if (values === undefined) byName.set(key, [value]);
    else values.push(value);
  }
  return byName;
}

/** All values of one header (case-insensitive name), in arrival order. */
export function headerValues(req: ReceivedRequest, name: string): string[] {
  const wanted = name.toLowerCase();
  return req.headers.filter(([n]) => n.toLowerCase() === wanted).map(([, v]) => v);
}
