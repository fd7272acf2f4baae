import { expect } from "chai";
import { createSignedGot } from "../../../lambdas/lib/index.js";
import { useCaptureServer } from "./support/capture-server.js";
import { SECRET, testOptions } from "./support/fixtures.js";
import { verifyCaptured } from "./support/reference-verifier.js";

describe("signed client: X-Ray trace header", () => {
  const server = useCaptureServer();
  const TRACE = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env._X_AMZN_TRACE_ID;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env._X_AMZN_TRACE_ID;
    else process.env._X_AMZN_TRACE_ID = saved;
  });

  it("forwards _X_AMZN_TRACE_ID as X-Amzn-Trace-Id on every attempt, retries included, without breaking the signature", async () => {
    process.env._X_AMZN_TRACE_ID = TRACE;
    const statuses = [503, 502];
    server.respond = (_request, response) => {
      response.statusCode = statuses.shift() ?? 200;
      response.end("{}");
    };
    await createSignedGot(testOptions()).get(`${server.url}/users/1`);
    expect(server.requests).to.have.length(3);
    for (const request of server.requests) {
      expect(request.header("x-amzn-trace-id")).to.deep.equal([TRACE]);
      expect(verifyCaptured(request, SECRET).valid).to.equal(true);
    }
  });

  it("reads the variable per request, as Lambda sets it per invocation", async () => {
    const client = createSignedGot(testOptions());
    process.env._X_AMZN_TRACE_ID = TRACE;
    await client.get(`${server.url}/a`);
    const next = "Root=1-5759e989-000000000000000000000001;Parent=0000000000000001;Sampled=0";
    process.env._X_AMZN_TRACE_ID = next;
    await client.get(`${server.url}/b`);
    expect(server.requests.map((r) => r.header("x-amzn-trace-id"))).to.deep.equal([[TRACE], [next]]);
  });

  it("replaces a trace header the caller set, so the call joins the invocation's trace", async () => {
    process.env._X_AMZN_TRACE_ID = TRACE;
    await createSignedGot(testOptions()).get(`${server.url}/a`, { headers: { "X-Amzn-Trace-Id": "Root=1-00000000-000000000000000000000000" } });
    expect(server.last.header("x-amzn-trace-id")).to.deep.equal([TRACE]);
  });

  it("sends no trace header outside Lambda, or for a value no header may carry", async () => {
    delete process.env._X_AMZN_TRACE_ID;
    await createSignedGot(testOptions()).get(`${server.url}/a`);
    process.env._X_AMZN_TRACE_ID = "Root=1 with spaces\r\nX-Evil: 1";
    await createSignedGot(testOptions()).get(`${server.url}/b`);
    expect(server.requests.map((r) => r.header("x-amzn-trace-id"))).to.deep.equal([[], []]);
  });

  it("does not carry the trace to another origin on a redirect it follows", async () => {
    process.env._X_AMZN_TRACE_ID = TRACE;
    const other = "http://localhost:" + new URL(server.url).port;
    server.respond = (request, response) => {
      if (request.target === "/start") {
        response.statusCode = 302;
        response.setHeader("location", `${other}/landed`);
      }
      response.end("{}");
    };
    await createSignedGot(testOptions({ followRedirect: true })).get(`${server.url}/start`);
    expect(server.requests.map((r) => [r.target, r.header("x-amzn-trace-id").length])).to.deep.equal([
      ["/start", 1],
      ["/landed", 0],
    ]);
  });
});
