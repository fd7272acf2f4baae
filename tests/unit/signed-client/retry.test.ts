import { expect } from "chai";
import { HTTPError, RequestError, TimeoutError } from "got";
import { createSignedGot } from "../../../lambdas/lib/index.js";
import { useCaptureServer } from "./support/capture-server.js";
import { SECRET, T0, testOptions } from "./support/fixtures.js";
import { verifyCaptured } from "./support/reference-verifier.js";

describe("signed client: retries and timeouts", () => {
  const server = useCaptureServer();

  /** Answers with the given statuses in turn, then 200. */
  function answer(...statuses: number[]) {
    server.respond = (_request, response) => {
      response.statusCode = statuses.shift() ?? 200;
      response.end(JSON.stringify({ ok: response.statusCode === 200 }));
    };
  }

  /** A clock that moves one minute forward each time it is read. */
  function tickingClock() {
    let minutes = 0;
    return () => T0 + 60_000 * minutes++;
  }

  it("re-signs every attempt from a clean state: new date, one of each signature header, all valid", async () => {
    answer(503, 429);
    const body = await createSignedGot(testOptions({ now: tickingClock() })).get(`${server.url}/users/1`).json();
    expect(body).to.deep.equal({ ok: true });
    expect(server.requests).to.have.length(3);
    const dates = server.requests.map((request) => request.header("x-amz-date"));
    expect(dates.every((values) => values.length === 1)).to.equal(true);
    expect(new Set(dates.flat()).size).to.equal(3);
    for (const request of server.requests) {
      expect(request.header("authorization")).to.have.length(1);
      expect(request.header("x-amz-security-token")).to.have.length(1);
      expect(verifyCaptured(request, SECRET).valid).to.equal(true);
    }
  });

  it("retries idempotent methods on 500, 502, 503, 504 and 429", async () => {
    for (const status of [500, 502, 503, 504, 429]) {
      server.reset();
      answer(status);
      const response = await createSignedGot(testOptions()).delete(`${server.url}/users/1`);
      expect(response.statusCode, String(status)).to.equal(200);
      expect(server.requests, String(status)).to.have.length(2);
    }
  });

  it("does not retry a POST, and throws got's HTTPError with the response", async () => {
    answer(503);
    const error = await createSignedGot(testOptions()).post(`${server.url}/users`, { json: {} }).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(HTTPError);
    expect((error as HTTPError).response.statusCode).to.equal(503);
    expect(server.requests).to.have.length(1);
  });

  it("does not retry a 4xx other than 429", async () => {
    answer(404);
    const error = await createSignedGot(testOptions()).get(`${server.url}/users/1`).catch((caught: unknown) => caught);
    expect((error as HTTPError).response.statusCode).to.equal(404);
    expect(server.requests).to.have.length(1);
  });

  it("stops after the retry limit", async () => {
    answer(503, 503, 503, 503);
    const error = await createSignedGot(testOptions({ retry: { limit: 1, backoffLimit: 1, noise: 0 } })).get(`${server.url}/`).catch((caught: unknown) => caught);
    expect((error as HTTPError).response.statusCode).to.equal(503);
    expect(server.requests).to.have.length(2);
  });

  it("retries a network error, freshly signed", async () => {
    let first = true;
    server.respond = (_request, response) => {
      if (first) {
        first = false;
        response.socket?.destroy();
        return;
      }
      response.end("ok");
    };
    const response = await createSignedGot(testOptions({ now: tickingClock() })).get(`${server.url}/`);
    expect(response.body).to.equal("ok");
    expect(server.requests).to.have.length(2);
    expect(server.requests[0]!.header("x-amz-date")).to.not.deep.equal(server.requests[1]!.header("x-amz-date"));
    expect(verifyCaptured(server.last, SECRET).valid).to.equal(true);
  });

  it("keeps the default retry rules when a caller only sets the limit", () => {
    const { retry, followRedirect } = createSignedGot(testOptions({ retry: { limit: 5 } })).defaults.options;
    expect(retry.limit).to.equal(5);
    expect(retry.statusCodes).to.deep.equal([429, 500, 502, 503, 504]);
    expect(retry.methods).to.not.include("POST");
    expect(followRedirect).to.equal(false);
  });

  it("sets a request timeout by default, which a caller can override", () => {
    expect(createSignedGot(testOptions()).defaults.options.timeout.request).to.equal(10_000);
    expect(createSignedGot(testOptions({ timeout: { request: 1234 } })).defaults.options.timeout.request).to.equal(1234);
  });

  it("throws got's TimeoutError when the server does not answer in time", async () => {
    server.respond = () => {}; // never answers
    const client = createSignedGot(testOptions({ timeout: { request: 50 }, retry: { limit: 0 } }));
    const error = await client.get(`${server.url}/`).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(TimeoutError);
    expect(error).to.be.instanceOf(RequestError);
  });
});
