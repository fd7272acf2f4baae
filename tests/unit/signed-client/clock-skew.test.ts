import type { ServerResponse } from "node:http";
import { expect } from "chai";
import { HTTPError } from "got";
import { createSignedGot } from "../../../lambdas/lib/index.js";
import type { CapturedRequest } from "./support/capture-server.js";
import { useCaptureServer } from "./support/capture-server.js";
import { MAX_CLOCK_OFFSET_MS } from "../../../lambdas/lib/clock.js";
import { SECRET, SESSION_TOKEN, T0, testOptions } from "./support/fixtures.js";
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
  let logged: string[] = [];
  beforeEach(() => {
    logged = [];
  });
  const options = () => testOptions({ log: (line) => logged.push(line) });

  for (const [label, skew] of [["behind (Signature expired)", 12 * MINUTE], ["ahead (Signature not yet current)", -12 * MINUTE]] as const) {
    it(`recovers when the local clock is ${label}: retries once at server time and keeps the offset`, async () => {
      server.respond = apiGatewayClock(() => T0 + skew);
      const client = createSignedGot(options());

      expect(await client.get(`${server.url}/users/1`).json()).to.deep.equal({ ok: true });
      expect(server.requests).to.have.length(2);
      expect(verifyCaptured(server.last, SECRET).valid).to.equal(true);
      expect(parseAmzDate(server.last.header("x-amz-date")[0]!)).to.equal(T0 + skew);

      await client.get(`${server.url}/users/2`);
      expect(server.requests).to.have.length(3); // the offset is kept: no second 403
    });
  }

  it("retries a POST too, since API Gateway refused it before any integration ran", async () => {
    server.respond = apiGatewayClock(() => T0 + 10 * MINUTE);
    await createSignedGot(options()).post(`${server.url}/users`, { json: { name: "ada" } });
    expect(server.requests).to.have.length(2);
    expect(server.last.body.toString()).to.equal('{"name":"ada"}');
  });

  it("retries only once when the server keeps refusing the time", async () => {
    let serverTime = T0 + 10 * MINUTE;
    const answer = apiGatewayClock(() => serverTime);
    server.respond = (request, response) => {
      answer(request, response);
      serverTime += 20 * MINUTE; // the server's clock runs away
    };
    const error = await createSignedGot(options()).get(`${server.url}/`).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(HTTPError);
    expect((error as HTTPError).response.statusCode).to.equal(403);
    expect(server.requests).to.have.length(2);
  });

  it("says when it adopts the server's time, with the offset and the origin and no secret", async () => {
    server.respond = apiGatewayClock(() => T0 + 12 * MINUTE);
    await createSignedGot(options()).get(`${server.url}/users/1`);
    expect(logged).to.deep.equal([
      `signed client: ${server.url} refused the signing time; signing +12m 0s off the local clock from now on (its Date header)`,
    ]);
    for (const secret of [SECRET, SESSION_TOKEN]) expect(logged.join("\n")).to.not.contain(secret);
  });

  it(`adopts an offset of exactly ${MAX_CLOCK_OFFSET_MS / MINUTE} minutes, either way`, async () => {
    for (const skew of [MAX_CLOCK_OFFSET_MS, -MAX_CLOCK_OFFSET_MS]) {
      server.reset();
      server.respond = apiGatewayClock(() => T0 + skew);
      expect(await createSignedGot(options()).get(`${server.url}/`).json()).to.deep.equal({ ok: true });
      expect(server.requests).to.have.length(2);
    }
  });

  for (const skew of [MAX_CLOCK_OFFSET_MS + 1000, -(MAX_CLOCK_OFFSET_MS + 1000), 365 * 24 * 60 * MINUTE]) {
    it(`refuses a server Date ${skew > 0 ? "ahead" : "behind"} by ${Math.round(Math.abs(skew) / 1000)} s, beyond the bound: no retry, the 403 surfaces, and it says why`, async () => {
      server.respond = apiGatewayClock(() => T0 + skew);
      const client = createSignedGot(options());
      const error = await client.get(`${server.url}/`).catch((caught: unknown) => caught);
      expect((error as HTTPError).response.statusCode).to.equal(403);
      expect(server.requests).to.have.length(1);
      expect(logged).to.have.length(1);
      expect(logged[0]).to.match(/more than the 15 minutes the client adopts: fix the local clock \(not retrying\)$/);
      // The refused offset is not kept either: the next request signs at the local time again.
      await client.get(`${server.url}/`).catch(() => undefined);
      expect(parseAmzDate(server.last.header("x-amz-date")[0]!)).to.equal(T0);
    });
  }

  it("does not retry a 403 that is not about time", async () => {
    server.respond = (_request, response) => {
      response.writeHead(403, { date: new Date(T0 + 20 * MINUTE).toUTCString(), "x-amzn-errortype": "AccessDeniedException" });
      response.end(JSON.stringify({ message: "User: arn:aws:sts::1:assumed-role/x is not authorized to perform: execute-api:Invoke" }));
    };
    const error = await createSignedGot(options()).get(`${server.url}/`).catch((caught: unknown) => caught);
    expect((error as HTTPError).response.statusCode).to.equal(403);
    expect(server.requests).to.have.length(1);
  });

  it("does not retry when the 403 has no usable Date header", async () => {
    server.respond = (_request, response) => {
      response.sendDate = false;
      response.writeHead(403);
      response.end(JSON.stringify({ message: "Signature expired: 20260102T030405Z is now earlier than 20260102T031405Z" }));
    };
    await createSignedGot(options()).get(`${server.url}/`).catch(() => undefined);
    expect(server.requests).to.have.length(1);
    expect(logged).to.deep.equal([`signed client: ${server.url} refused the signing time but sent no usable Date header; not retrying`]);
  });
});
