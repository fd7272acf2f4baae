import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request exactly as it arrived: the raw request-target and header lines, the body bytes. */
export interface CapturedRequest {
  readonly method: string;
  readonly target: string;
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
  /** Every value of a header, in arrival order (name compared case-insensitively). */
  header(name: string): string[];
}

export type Responder = (request: CapturedRequest, response: ServerResponse) => void;

/** An HTTP server on 127.0.0.1 (port 0) that records what it receives and answers with `respond`. */
export class CaptureServer {
  readonly requests: CapturedRequest[] = [];
  respond: Responder = (_request, response) => response.end("ok");
  #server: Server | undefined;

  get url(): string {
    const { port } = this.#server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  get last(): CapturedRequest {
    const last = this.requests.at(-1);
    if (!last) throw new Error("the server received no request");
    return last;
  }

  async start(): Promise<this> {
    this.#server = createServer((incoming, response) => void this.#capture(incoming, response));
    await new Promise<void>((resolve) => this.#server!.listen(0, "127.0.0.1", resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise((resolve) => this.#server?.close(resolve));
  }

  reset(): void {
    this.requests.length = 0;
    this.respond = (_request, response) => response.end("ok");
  }

  async #capture(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const rawHeaders = incoming.rawHeaders;
    const captured: CapturedRequest = {
      method: incoming.method ?? "",
      target: incoming.url ?? "",
      rawHeaders,
      body: Buffer.concat(chunks),
      header(name) {
        const values: string[] = [];
        for (let i = 0; i < rawHeaders.length; i += 2) {
          if (rawHeaders[i]!.toLowerCase() === name.toLowerCase()) values.push(rawHeaders[i + 1]!);
        }
        return values;
      },
    };
    this.requests.push(captured);
    this.respond(captured, response);
  }
}

/** A capture server for the enclosing `describe`: started before, stopped after, emptied before each test. */
export function useCaptureServer(): CaptureServer {
  const server = new CaptureServer();
  before(() => server.start());
  after(() => server.stop());
  beforeEach(() => server.reset());
  return server;
}
