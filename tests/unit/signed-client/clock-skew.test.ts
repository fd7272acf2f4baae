import type { ServerResponse } from "node:http";
import { expect } from "chai";
import { HTTPError } from "got";
import { createSignedGot } from "../../../lambdas/lib/index.js";
import type { CapturedRequest } from "./support/capture-server.js";
import { useCaptureServer } from "./support/capture-server.js";
import { SECRET, T0, testOptions } from "./support/fixtures.js";
import { verifyCaptured } from "./support/reference-verifier.js";

const MINUTE = 60_000;
const amzDateOf = (time: number) => new Date(time).toISOString().replace(/[-:]|\.\d{3}/g, "");
const parseAmzDate = (value: string) => Date.parse(value.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z"));

/** Answers like API Gateway: a signing time more than 5 minutes from the server's clock is a 403. */
function apiGatewayClock(serverTime: () => number) {
  return (request: CapturedRequest, response: ServerResponse) => {
    const now = serverTime();
    const signedAt = parseAmzDate(request.header("x-amz-date")[0] ?? "");
    response.setHeader("date", new Date(now).toUTCString());
    response.setHeader("content-type", "application/json");
    if (signedAt < now - 5 * MINUTE) {
      response.statusCode = 403;
      response.setHeader("x-amzn-errortype", "InvalidSignatureException");
      response.end(JSON.stringify({ message: `Signature expired: ${amzDateOf(signedAt)} is now earlier than ${amzDateOf(now - 5 * MINUTE)} (${amzDateOf(now)} - 5 min.)` }));
    } else if (signedAt > now + 5 * MINUTE) {
      response.statusCode = 403;
      response.setHeader("x-amzn-errortype", "InvalidSignatureException");
      response.end(JSON.stringify({ message: `Signature not yet current: ${amzDateOf(signedAt)} is still later than ${amzDateOf(now + 5 * MINUTE)} (${amzDateOf(now)} + 5 min.)` }));
    } else {
      response.end(JSON.stringify({ ok: true }));
    }
  };
}

describe("signed client: clock skew", () => {
  const server = useCaptureServer();

  for (const [label, skew] of [["behind (Signature expired)", 12 * MINUTE], ["ahead (Signature not yet current)", -12 * MINUTE]] as const) {
    it(`recovers when the local clock is ${label}: retries once at server time and keeps the offset`, async () => {
      server.respond = apiGatewayClock(() => T0 + skew);
      const client = createSignedGot(testOptions());

      expect(await client.get(`${server.url}/users/1`).json()).to.deep.equal({ ok: true });
      expect(server.requests).to.have.length(2);
      expect(verifyCaptured(server.last, SECRET).valid).to.equal(true);
      expect(parseAmzDate(server.last.header("x-amz-date")[0]!)).to.equal(T0 + skew);

      await client.get(`${server.url}/users/2`);
      expect(server.requests).to.have.length(3); // the offset is kept: no second 403
    });
  }

  it("retries a POST too, since API Gateway refused it before any integration ran", async () => {
    server.respond = apiGatewayClock(() => T0 + 20 * MINUTE);
    await createSignedGot(testOptions()).post(`${server.url}/users`, { json: { name: "ada" } });
    expect(server.requests).to.have.length(2);
    expect(server.last.body.toString()).to.equal('{"name":"ada"}');
  });

  it("retries only once when the server keeps refusing the time", async () => {
    let serverTime = T0 + 20 * MINUTE;
    const answer = apiGatewayClock(() => serverTime);
    server.respond = (request, response) => {
      answer(request, response);
      serverTime += 20 * MINUTE; // the server's clock runs away
    };
    const error = await createSignedGot(testOptions()).get(`${server.url}/`).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(HTTPError);
    expect((error as HTTPError).response.statusCode).to.equal(403);
    expect(server.requests).to.have.length(2);
  });

  it("does not retry a 403 that is not about time", async () => {
    server.respond = (_request, response) => {
      response.writeHead(403, { date: new Date(T0 + 20 * MINUTE).toUTCString(), "x-amzn-errortype": "AccessDeniedException" });
      response.end(JSON.stringify({ message: "User: arn:aws:sts::1:assumed-role/x is not authorized to perform: execute-api:Invoke" }));
    };
    const error = await createSignedGot(testOptions()).get(`${server.url}/`).catch((caught: unknown) => caught);
    expect((error as HTTPError).response.statusCode).to.equal(403);
    expect(server.requests).to.have.length(1);
  });

  it("does not retry when the 403 has no usable Date header", async () => {
    server.respond = (_request, response) => {
      response.sendDate = false;
      response.writeHead(403);
      response.end(JSON.stringify({ message: "Signature expired: 20260102T030405Z is now earlier than 20260102T031405Z" }));
    };
    await createSignedGot(testOptions()).get(`${server.url}/`).catch(() => undefined);
    expect(server.requests).to.have.length(1);
  });
});
