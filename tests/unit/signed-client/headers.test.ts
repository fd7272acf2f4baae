import { expect } from "chai";
import { canonicalHeaderValue, headersToSign } from "../../../lambdas/lib/canonical-headers.js";
import { createSignedGot } from "../../../lambdas/lib/index.js";
import { useCaptureServer } from "./support/capture-server.js";
import { SECRET, SESSION_TOKEN, testOptions } from "./support/fixtures.js";
import { verifyCaptured } from "./support/reference-verifier.js";

describe("signed client: headers", () => {
  describe("pure functions", () => {
    it("trims and collapses whitespace, folding line breaks", () => {
      expect(canonicalHeaderValue("  a   b\t\tc \r\n  d ")).to.equal("a b c d");
    });

    it("joins repeated values with , in the order given, each trimmed, never sorted", () => {
      expect(headersToSign({ "X-Tag": [" b ", "a", "b  c"] })).to.deep.equal({ "x-tag": "b,a,b c" });
    });

    it("leaves out what got and Node add by themselves and hop-by-hop headers", () => {
      const signed = headersToSign({
        host: "h",
        "user-agent": "got",
        "accept-encoding": "gzip",
        "content-length": "3",
        connection: "keep-alive",
        "transfer-encoding": "chunked",
        "proxy-authorization": "x",
        authorization: "stale",
        "content-type": "application/json",
        "x-amz-target": "t",
        "x-caller": undefined,
      });
      expect(signed).to.deep.equal({ host: "h", "content-type": "application/json", "x-amz-target": "t" });
    });
  });

  describe("through the client", () => {
    const server = useCaptureServer();

    it("signs host with its non-default port, x-amz-*, content-type and the caller's headers", async () => {
      await createSignedGot(testOptions()).post(`${server.url}/users`, {
        json: { name: "ada" },
        headers: { "x-request-id": "r-1", "X-Amz-Meta-Owner": "team" },
      });
      const verification = verifyCaptured(server.last, SECRET);
      expect(verification.valid).to.equal(true);
      expect(verification.signedHeaders).to.deep.equal(["content-type", "host", "x-amz-date", "x-amz-meta-owner", "x-amz-security-token", "x-request-id"]);
      expect(server.last.header("host")).to.deep.equal([new URL(server.url).host]);
      expect(new URL(server.url).port).to.not.equal("");
    });

    it("does not sign user-agent, accept-encoding or content-length, which got and Node set", async () => {
      await createSignedGot(testOptions()).post(`${server.url}/users`, { body: "abc" });
      const sent = server.last;
      expect(sent.header("user-agent")).to.have.length(1);
      expect(sent.header("accept-encoding")).to.have.length(1);
      expect(sent.header("content-length")).to.deep.equal(["3"]);
      expect(verifyCaptured(sent, SECRET).signedHeaders).to.not.include.members(["user-agent", "accept-encoding", "content-length"]);
    });

    it("sends repeated header values as separate lines and signs them joined in order", async () => {
      await createSignedGot(testOptions())(`${server.url}/`, { headers: { "x-tag": ["z", "a", "m"] } });
      expect(server.last.header("x-tag")).to.deep.equal(["z", "a", "m"]);
      const verification = verifyCaptured(server.last, SECRET);
      expect(verification.valid).to.equal(true);
      expect(verification.canonicalRequest).to.contain("\nx-tag:z,a,m\n");
    });

    it("signs the Host header the caller set, which is the one Node sends", async () => {
      await createSignedGot(testOptions())(`${server.url}/`, { headers: { host: "abc.execute-api.us-east-1.amazonaws.com" } });
      expect(server.last.header("host")).to.deep.equal(["abc.execute-api.us-east-1.amazonaws.com"]);
      expect(verifyCaptured(server.last, SECRET).valid).to.equal(true);
    });

    it("replaces signature headers the caller set instead of sending them twice", async () => {
      await createSignedGot(testOptions())(`${server.url}/`, {
        headers: { authorization: "Bearer x", "x-amz-date": "20000101T000000Z", "X-Amz-Security-Token": "old" },
      });
      expect(server.last.header("authorization")).to.have.length(1).and.to.match(/^AWS4-HMAC-SHA256 /);
      expect(server.last.header("x-amz-date")).to.deep.equal(["20260102T030405Z"]);
      expect(server.last.header("x-amz-security-token")).to.deep.equal([SESSION_TOKEN]);
      expect(verifyCaptured(server.last, SECRET).valid).to.equal(true);
    });
  });
});
