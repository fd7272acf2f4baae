import { expect } from "chai";
import { RequestError } from "got";
import { canonicalQuery, formatSentQuery, parseRawQuery, strictQueryComponent } from "../../../lambdas/lib/canonical-query.js";
import { createSignedGot, ERROR_CODES } from "../../../lambdas/lib/index.js";
import { useCaptureServer } from "./support/capture-server.js";
import { SECRET, testOptions } from "./support/fixtures.js";
import { verifyCaptured } from "./support/reference-verifier.js";

describe("signed client: query string", () => {
  describe("pure functions", () => {
    it("reads a literal + as a plus, and as a space only for form-encoded queries", () => {
      expect(strictQueryComponent("a+b", false)).to.equal("a%2Bb");
      expect(strictQueryComponent("a+b", true)).to.equal("a%20b");
    });

    it("writes strict RFC 3986: unreserved literal, everything else upper-case %XX, bytes kept", () => {
      expect(strictQueryComponent("AZaz09-._~", false)).to.equal("AZaz09-._~");
      expect(strictQueryComponent("!*'();:@$,/?[]", false)).to.equal("%21%2A%27%28%29%3B%3A%40%24%2C%2F%3F%5B%5D");
      expect(strictQueryComponent("%7e%41%2f%ff", false)).to.equal("~A%2F%FF");
      expect(strictQueryComponent("ሴ é", false)).to.equal("%E1%88%B4%20%C3%A9");
    });

    it("rejects a % that does not start a percent-encoded byte", () => {
      for (const raw of ["%", "a%2", "%zz", "100%"]) {
        expect(() => strictQueryComponent(raw, false), raw).to.throw(/percent-encoded byte/).with.property("code", ERROR_CODES.query);
      }
    });

    it("keeps repeated keys in order and bare keys as bare keys, and drops empty segments", () => {
      const parameters = parseRawQuery("?b=2&a&b=1&&a=&c=x=y");
      expect(parameters).to.deep.equal([
        { key: "b", value: "2" },
        { key: "a", value: undefined },
        { key: "b", value: "1" },
        { key: "a", value: "" },
        { key: "c", value: "x%3Dy" },
      ]);
      expect(formatSentQuery(parameters)).to.equal("b=2&a&b=1&a=&c=x%3Dy");
      expect(canonicalQuery(parameters)).to.equal("a=&a=&b=1&b=2&c=x%3Dy");
    });

    it("sorts by key before value, so a key that is a prefix of another comes first", () => {
      expect(canonicalQuery(parseRawQuery("Param-3=Value3&Param=Value2"))).to.equal("Param=Value2&Param-3=Value3");
    });
  });

  describe("through the client", () => {
    const server = useCaptureServer();

    it("sends and signs a literal + in the URL as %2B, never as a space", async () => {
      await createSignedGot(testOptions())(`${server.url}/search?q=a+b&tag=c%2Bd`);
      expect(server.last.target).to.equal("/search?q=a%2Bb&tag=c%2Bd");
      const verification = verifyCaptured(server.last, SECRET);
      expect(verification.valid).to.equal(true);
      expect(verification.canonicalRequest.split("\n")[2]).to.equal("q=a%2Bb&tag=c%2Bd");
      expect(new URL(server.last.target, "http://x").searchParams.get("q")).to.equal("a+b");
    });

    it("keeps the meaning of got's searchParams, where got wrote a space as +", async () => {
      const client = createSignedGot(testOptions());
      await client(`${server.url}/search`, { searchParams: { q: "a b+c", empty: "" } });
      expect(server.last.target).to.equal("/search?q=a%20b%2Bc&empty=");
      expect(verifyCaptured(server.last, SECRET).valid).to.equal(true);
    });

    it("keeps the meaning of searchParams given when the client is created", async () => {
      await createSignedGot(testOptions({ searchParams: { q: "x y" } }))(`${server.url}/search`);
      expect(server.last.target).to.equal("/search?q=x%20y");
    });

    it("sends repeated keys in the caller's order and signs them sorted", async () => {
      await createSignedGot(testOptions())(`${server.url}/items?id=3&id=1&flag&id=2`);
      expect(server.last.target).to.equal("/items?id=3&id=1&flag&id=2");
      const verification = verifyCaptured(server.last, SECRET);
      expect(verification.valid).to.equal(true);
      expect(verification.canonicalRequest.split("\n")[2]).to.equal("flag=&id=1&id=2&id=3");
    });

    it("rewrites characters a server could read two ways before signing them", async () => {
      await createSignedGot(testOptions())(`${server.url}/p?name=O'Brien(1)*&path=a/b&x=%7e`);
      expect(server.last.target).to.equal("/p?name=O%27Brien%281%29%2A&path=a%2Fb&x=~");
      expect(verifyCaptured(server.last, SECRET).valid).to.equal(true);
    });

    it("refuses an ambiguous % in the query and sends nothing", async () => {
      const error = await createSignedGot(testOptions())(`${server.url}/p?discount=100%`).catch((caught: unknown) => caught);
      expect(error).to.be.instanceOf(RequestError).with.property("code", ERROR_CODES.query);
      expect(server.requests).to.have.length(0);
    });

    it("signs the path as sent, encoded a second time", async () => {
      await createSignedGot(testOptions())(`${server.url}/users/a%2Fb/caf%C3%A9 x`);
      expect(server.last.target).to.equal("/users/a%2Fb/caf%C3%A9%20x");
      const verification = verifyCaptured(server.last, SECRET);
      expect(verification.valid).to.equal(true);
      expect(verification.canonicalRequest.split("\n")[1]).to.equal("/users/a%252Fb/caf%25C3%25A9%2520x");
    });
  });
});
