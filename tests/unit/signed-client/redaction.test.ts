import { getEventListeners } from "node:events";
import { Readable } from "node:stream";
import { inspect } from "node:util";
import { expect } from "chai";
import { CancelError, HTTPError, ParseError, RequestError, TimeoutError } from "got";
import { createSignedGot, ERROR_CODES, SignatureMismatchError } from "../../../lambdas/lib/index.js";
import type { Responder } from "./support/capture-server.js";
import { CaptureServer, useCaptureServer } from "./support/capture-server.js";
import { SECRET, SESSION_TOKEN, testOptions } from "./support/fixtures.js";

/**
 * Every string and byte buffer reachable from `root` through own properties (named or symbol,
 * enumerable or not, without calling getters), Map and Set entries: what any logger, serializer
 * or debugger could print, however deep it looks.
 */
function reachableText(root: unknown, limit = 400_000): string[] {
  const seen = new Set<unknown>();
  const texts: string[] = [];
  const queue: unknown[] = [root];
  while (queue.length > 0 && seen.size < limit) {
    const value = queue.pop();
    if (typeof value === "string") {
      texts.push(value);
      continue;
    }
    if ((typeof value !== "object" && typeof value !== "function") || value === null || seen.has(value)) continue;
    seen.add(value);
    if (ArrayBuffer.isView(value)) {
      texts.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("latin1"));
      continue;
    }
    if (value instanceof Map) for (const [k, v] of value) queue.push(k, v);
    if (value instanceof Set) for (const v of value) queue.push(v);
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor && "value" in descriptor) queue.push(descriptor.value);
    }
  }
  return texts;
}

/** Each way an error ends up in a log line or a response. */
const PRINTERS: ReadonlyArray<readonly [string, (error: Error) => string]> = [
  ["String(error)", (error) => String(error)],
  ["error.stack", (error) => String(error.stack)],
  ["JSON.stringify(error)", (error) => safeJson(error)],
  ["JSON.stringify of error.options, request, response", (error) => {
    const { options, request, response } = error as RequestError;
    return [options, request?.options, response?.request?.options, response?.headers].map(safeJson).join("\n");
  }],
  ["util.inspect (depth Infinity)", (error) => inspect(error, { depth: Infinity })],
  ["util.inspect (showHidden, depth Infinity)", (error) => inspect(error, { depth: Infinity, showHidden: true })],
  ["util.inspect of error.request and error.response.request (showHidden)", (error) => {
    const { request, response } = error as RequestError;
    return `${inspect(request, { depth: Infinity, showHidden: true })}\n${inspect(response?.request, { depth: Infinity, showHidden: true })}`;
  }],
  ["every string and buffer reachable from the error", (error) => reachableText(error).join("\n")],
];

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "";
  } catch (error) {
    return String(error); // circular structures: the message names keys, not values
  }
}

const SIGNATURE = /Signature=([0-9a-f]{64})/;

describe("signed client: no error exposes a secret", () => {
  const server = useCaptureServer();

  /** The secrets one run put on the wire: the secret key, the session token, every Authorization value and signature sent. */
  function secretsSent(): string[] {
    const authorizations = server.requests.flatMap((request) => request.header("authorization"));
    return [SECRET, SESSION_TOKEN, ...authorizations, ...authorizations.map((value) => SIGNATURE.exec(value)![1]!)];
  }

  /** Resolves once the server has received a request (and holds it unanswered). */
  function holdRequests(): Promise<void> {
    return new Promise((received) => {
      server.respond = () => received();
    });
  }

  const hangUp: Responder = (_request, response) => response.socket?.destroy();
  const answer = (status: number, body: string, headers: Record<string, string> = {}): Responder => (_request, response) => {
    response.writeHead(status, headers);
    response.end(body);
  };

  const cases: ReadonlyArray<{ kind: string; type: new (...args: any[]) => Error; run: () => Promise<unknown> }> = [
    {
      kind: "ParseError from .json() on a 200 that is not JSON",
      type: ParseError,
      run: () => {
        server.respond = answer(200, "<html>not json</html>");
        return createSignedGot(testOptions()).get(`${server.url}/users/1`).json();
      },
    },
    {
      kind: "ParseError from responseType json",
      type: ParseError,
      run: () => {
        server.respond = answer(200, "{");
        return createSignedGot(testOptions()).get(`${server.url}/users/1`, { responseType: "json" });
      },
    },
    {
      kind: "HTTPError (500, after retries)",
      type: HTTPError,
      run: () => {
        server.respond = answer(500, "boom");
        return createSignedGot(testOptions()).get(`${server.url}/users/1`);
      },
    },
    {
      kind: "HTTPError (413 from the server)",
      type: HTTPError,
      run: () => {
        server.respond = answer(413, '{"message":"Request Too Long"}');
        return createSignedGot(testOptions()).post(`${server.url}/users`, { body: "x" });
      },
    },
    {
      kind: "SignatureMismatchError",
      type: SignatureMismatchError,
      run: () => {
        server.respond = answer(403, '{"message":"The request signature we calculated does not match the signature you provided."}', { "x-amzn-errortype": "InvalidSignatureException" });
        return createSignedGot(testOptions()).get(`${server.url}/users/1`);
      },
    },
    {
      kind: "TimeoutError",
      type: TimeoutError,
      run: () => {
        void holdRequests();
        return createSignedGot(testOptions({ timeout: { request: 100 }, retry: { limit: 0 } })).get(`${server.url}/users/1`);
      },
    },
    {
      kind: "RequestError: connection reset",
      type: RequestError,
      run: () => {
        server.respond = hangUp;
        return createSignedGot(testOptions()).post(`${server.url}/users`, { json: { name: "ada" } });
      },
    },
    {
      kind: "CancelError",
      type: CancelError,
      run: async () => {
        const received = holdRequests();
        const pending = createSignedGot(testOptions()).get(`${server.url}/users/1`);
        await received;
        pending.cancel();
        return pending;
      },
    },
    {
      kind: "RequestError: connection refused",
      type: RequestError,
      run: async () => {
        const closed = new CaptureServer();
        await closed.start();
        const url = closed.url;
        await closed.stop();
        return createSignedGot(testOptions({ retry: { limit: 0 } })).get(`${url}/users/1`);
      },
    },
    {
      kind: "RequestError: aborted through an AbortSignal",
      type: RequestError,
      run: async () => {
        const received = holdRequests();
        const abort = new AbortController();
        const pending = createSignedGot(testOptions({ signal: abort.signal })).get(`${server.url}/users/1`);
        await received;
        abort.abort();
        return pending;
      },
    },
    {
      kind: "RequestError: body over maxBufferedBodyBytes",
      type: RequestError,
      run: () =>
        createSignedGot(testOptions({ maxBufferedBodyBytes: 8 })).post(`${server.url}/users`, { body: Readable.from([Buffer.from("0123456789abcdef")]) }),
    },
  ];

  it("leaves no listener on a signal shared by many calls once they settle, as got leaves none", async () => {
    server.respond = answer(200, '{"ok":true}', { "content-type": "application/json" });
    const shared = new AbortController();
    const client = createSignedGot(testOptions({ signal: shared.signal }));
    await Promise.all(Array.from({ length: 20 }, () => client.get(`${server.url}/users/1`)));
    expect(getEventListeners(shared.signal, "abort")).to.have.length(0);
  });

  it("a successful response: no secret in any printing of it or anything reachable from it", async () => {
    server.respond = answer(200, '{"ok":true}', { "content-type": "application/json" });
    const response = await createSignedGot(testOptions()).get(`${server.url}/users/1`);
    expect(response.statusCode).to.equal(200);
    const secrets = secretsSent();
    const printed = [String(response), safeJson(response.request.options), inspect(response, { depth: Infinity, showHidden: true }), reachableText(response).join("\n")].join("\n");
    expect(secrets.filter((secret) => printed.includes(secret)).map((secret) => `${secret.slice(0, 16)}…`)).to.deep.equal([]);
    expect(SIGNATURE.test(printed)).to.equal(false);
  });

  for (const { kind, type, run } of cases) {
    it(`${kind}: no secret in any printing of it or anything reachable from it`, async function () {
      this.timeout(20_000);
      const error = await run().then(
        () => expect.fail("the request should have failed"),
        (caught: unknown) => caught as Error,
      );
      expect(error).to.be.instanceOf(type);
      if (kind.includes("body over")) expect(error).to.have.property("code", ERROR_CODES.bodyTooLarge);
      else if (!kind.includes("refused")) expect(server.requests.length, "the request reached the server signed").to.be.greaterThan(0);
      const secrets = secretsSent();
      const leaks: string[] = [];
      for (const [printer, print] of PRINTERS) {
        const printed = print(error);
        for (const secret of secrets) if (printed.includes(secret)) leaks.push(`${printer} shows ${secret.slice(0, 16)}…`);
        // Also signatures the server never saw (a request that never connected).
        if (SIGNATURE.test(printed)) leaks.push(`${printer} shows a signature`);
      }
      expect(leaks).to.deep.equal([]);
    });
  }
});
