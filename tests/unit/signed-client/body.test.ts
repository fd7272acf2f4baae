import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { expect } from "chai";
import { RequestError } from "got";
import { createSignedGot, ERROR_CODES } from "../../../lambdas/lib/index.js";
import { useCaptureServer } from "./support/capture-server.js";
import { SECRET, testOptions } from "./support/fixtures.js";
import { verifyCaptured } from "./support/reference-verifier.js";

const sha256 = (bytes: Buffer | string) => createHash("sha256").update(bytes).digest("hex");

describe("signed client: body", () => {
  const server = useCaptureServer();

  /** The signed payload hash is the last canonical line; it must be the hash of the bytes that arrived. */
  function expectSignedOverReceivedBytes(expectedBody: Buffer | string) {
    const sent = server.last;
    expect(sent.body.equals(Buffer.from(expectedBody))).to.equal(true);
    const verification = verifyCaptured(sent, SECRET);
    expect(verification.valid).to.equal(true);
    expect(verification.canonicalRequest.split("\n").at(-1)).to.equal(sha256(expectedBody));
  }

  it("hashes a string body as its UTF-8 bytes", async () => {
    await createSignedGot(testOptions()).post(`${server.url}/`, { body: "héllo ሴ" });
    expectSignedOverReceivedBytes("héllo ሴ");
  });

  it("hashes a Buffer body, including bytes that are not text", async () => {
    const bytes = Buffer.from([0, 255, 10, 13, 128]);
    await createSignedGot(testOptions()).put(`${server.url}/`, { body: bytes });
    expectSignedOverReceivedBytes(bytes);
  });

  it("hashes the JSON got serializes", async () => {
    await createSignedGot(testOptions()).post(`${server.url}/`, { json: { a: [1, "ü"] } });
    expectSignedOverReceivedBytes('{"a":[1,"ü"]}');
  });

  it("hashes the form got serializes", async () => {
    await createSignedGot(testOptions()).post(`${server.url}/`, { form: { q: "a b+c" } });
    expectSignedOverReceivedBytes("q=a+b%2Bc");
  });

  it("buffers a stream body, signs its bytes and sends them with a content-length", async () => {
    await createSignedGot(testOptions()).post(`${server.url}/`, { body: Readable.from([Buffer.from("chunk-1,"), "chunk-2"]) });
    expectSignedOverReceivedBytes("chunk-1,chunk-2");
    expect(server.last.header("content-length")).to.deep.equal(["15"]);
    expect(server.last.header("transfer-encoding")).to.deep.equal([]);
  });

  it("buffers an async iterable body", async () => {
    async function* parts() {
      yield new TextEncoder().encode("a");
      yield Buffer.from("b");
    }
    await createSignedGot(testOptions()).post(`${server.url}/`, { body: parts() });
    expectSignedOverReceivedBytes("ab");
  });

  it("can retry a stream body, because the buffered bytes are sent again", async () => {
    let calls = 0;
    server.respond = (_request, response) => {
      calls += 1;
      response.statusCode = calls === 1 ? 503 : 200;
      response.end();
    };
    await createSignedGot(testOptions()).put(`${server.url}/`, { body: Readable.from(["once"]) });
    expect(server.requests.map((request) => request.body.toString())).to.deep.equal(["once", "once"]);
    expectSignedOverReceivedBytes("once");
  });

  it("fails clearly past the buffering cap, and sends nothing", async () => {
    const client = createSignedGot(testOptions({ maxBufferedBodyBytes: 8 }));
    const error = await client.post(`${server.url}/`, { body: Readable.from(["12345", "6789"]) }).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(RequestError).with.property("code", ERROR_CODES.bodyTooLarge);
    expect((error as Error).message).to.contain("maxBufferedBodyBytes (8 bytes)");
    expect(server.requests).to.have.length(0);
  });

  it("signs UNSIGNED-PAYLOAD only when asked, and then streams the body as it comes", async () => {
    const client = createSignedGot(testOptions({ unsignedPayload: true, maxBufferedBodyBytes: 1 }));
    await client.post(`${server.url}/`, { body: Readable.from(["streamed ", "body"]) });
    const sent = server.last;
    expect(sent.body.toString()).to.equal("streamed body");
    expect(sent.header("x-amz-content-sha256")).to.deep.equal(["UNSIGNED-PAYLOAD"]);
    expect(sent.header("transfer-encoding")).to.deep.equal(["chunked"]);
    const verification = verifyCaptured(sent, SECRET);
    expect(verification.valid).to.equal(true);
    expect(verification.signedHeaders).to.include("x-amz-content-sha256");
  });

  it("hashes the body by default, never sending UNSIGNED-PAYLOAD", async () => {
    await createSignedGot(testOptions()).post(`${server.url}/`, { body: "x" });
    expect(server.last.header("x-amz-content-sha256")).to.deep.equal([]);
  });
});
