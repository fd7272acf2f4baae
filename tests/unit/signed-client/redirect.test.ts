import { expect } from "chai";
import { createSignedGot } from "../../../lambdas/lib/index.js";
import { CaptureServer } from "./support/capture-server.js";
import { SECRET, testOptions } from "./support/fixtures.js";
import { verifyCaptured } from "./support/reference-verifier.js";

const SIGNATURE_HEADERS = ["authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"];

describe("signed client: redirects", () => {
  const api = new CaptureServer();
  const elsewhere = new CaptureServer(); // another port: another origin
  before(async () => {
    await api.start();
    await elsewhere.start();
  });
  after(async () => {
    await api.stop();
    await elsewhere.stop();
  });
  beforeEach(() => {
    api.reset();
    elsewhere.reset();
  });

  function redirectTo(location: string, status = 302) {
    api.respond = (request, response) => {
      if (request.target === "/start") {
        response.writeHead(status, { location });
        response.end();
      } else response.end("landed");
    };
  }

  it("does not follow redirects by default", async () => {
    redirectTo(`${elsewhere.url}/landing`);
    const response = await createSignedGot(testOptions())(`${api.url}/start`);
    expect(response.statusCode).to.equal(302);
    expect(api.requests).to.have.length(1);
    expect(elsewhere.requests).to.have.length(0);
  });

  it("when enabled, re-signs a redirect to the same host for the new path", async () => {
    redirectTo("/landing?x=1");
    const response = await createSignedGot(testOptions({ followRedirect: true }))(`${api.url}/start`);
    expect(response.body).to.equal("landed");
    expect(api.requests.map((request) => request.target)).to.deep.equal(["/start", "/landing?x=1"]);
    const verification = verifyCaptured(api.last, SECRET);
    expect(verification.valid).to.equal(true);
    expect(verification.canonicalRequest.split("\n").slice(1, 3)).to.deep.equal(["/landing", "x=1"]);
  });

  it("when enabled, sends no signature header to another host", async () => {
    redirectTo(`${elsewhere.url}/landing`, 307);
    await createSignedGot(testOptions({ followRedirect: true, unsignedPayload: true })).put(`${api.url}/start`, { body: "x" });
    expect(api.requests).to.have.length(1);
    expect(api.last.header("authorization")).to.have.length(1);
    expect(elsewhere.requests).to.have.length(1);
    for (const name of SIGNATURE_HEADERS) expect(elsewhere.last.header(name), name).to.deep.equal([]);
  });

  it("does not sign for the other host when a retry follows the redirect", async () => {
    redirectTo(`${elsewhere.url}/landing`);
    let failures = 1;
    elsewhere.respond = (_request, response) => {
      response.statusCode = failures-- > 0 ? 503 : 200;
      response.end();
    };
    await createSignedGot(testOptions({ followRedirect: true }))(`${api.url}/start`);
    expect(elsewhere.requests.length).to.be.greaterThan(1);
    for (const request of elsewhere.requests) {
      for (const name of SIGNATURE_HEADERS) expect(request.header(name), name).to.deep.equal([]);
    }
  });
});
