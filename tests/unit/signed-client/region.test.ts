import type { LookupFunction } from "node:net";
import { expect } from "chai";
import { RequestError } from "got";
import { createSignedGot, ERROR_CODES, regionFromHostname } from "../../../lambdas/lib/index.js";
import { resolveRegion } from "../../../lambdas/lib/region.js";
import { CaptureServer } from "./support/capture-server.js";
import { SECRET, testOptions } from "./support/fixtures.js";
import { verifyCaptured } from "./support/reference-verifier.js";

/** Resolves every host name to the loopback test server. */
const toLoopback = ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
  if (options.all) callback(null, [{ address: "127.0.0.1", family: 4 }]);
  else callback(null, "127.0.0.1", 4);
}) as unknown as LookupFunction;

describe("signed client: region", () => {
  it("reads the region of execute-api and VPC endpoint host names", () => {
    expect(regionFromHostname("a1b2c3.execute-api.eu-west-2.amazonaws.com")).to.equal("eu-west-2");
    expect(regionFromHostname("a1b2c3.execute-api.cn-north-1.amazonaws.com.cn")).to.equal("cn-north-1");
    expect(regionFromHostname("a1b2c3-vpce-0abc123.execute-api.us-gov-west-1.amazonaws.com")).to.equal("us-gov-west-1");
    expect(regionFromHostname("vpce-0abc123-xyz.execute-api.ap-southeast-2.vpce.amazonaws.com")).to.equal("ap-southeast-2");
  });

  it("reads no region from other host names", () => {
    for (const host of ["api.example.com", "execute-api.us-east-1.amazonaws.com.evil.com", "x.execute-api.amazonaws.com", "127.0.0.1"]) {
      expect(regionFromHostname(host), host).to.equal(undefined);
    }
  });

  it("prefers the caller's region, then the host name's, then AWS_REGION", () => {
    const host = "a.execute-api.eu-west-1.amazonaws.com";
    expect(resolveRegion(host, "us-west-2", { AWS_REGION: "sa-east-1" })).to.equal("us-west-2");
    expect(resolveRegion(host, undefined, { AWS_REGION: "sa-east-1" })).to.equal("eu-west-1");
    expect(resolveRegion("api.example.com", undefined, { AWS_REGION: "sa-east-1" })).to.equal("sa-east-1");
  });

  it("refuses a custom domain with neither a region nor AWS_REGION", () => {
    expect(() => resolveRegion("api.example.com", undefined, {})).to.throw(/api\.example\.com.*pass \{ region \}/).with.property("code", ERROR_CODES.region);
  });

  describe("through the client", () => {
    const server = new CaptureServer();
    let savedRegion: string | undefined;
    before(async () => {
      await server.start();
      savedRegion = process.env["AWS_REGION"];
      delete process.env["AWS_REGION"];
    });
    after(async () => {
      await server.stop();
      if (savedRegion !== undefined) process.env["AWS_REGION"] = savedRegion;
    });
    beforeEach(() => server.reset());

    it("signs for the region in the execute-api host name", async () => {
      const port = new URL(server.url).port;
      const client = createSignedGot(testOptions({ region: undefined, dnsLookup: toLoopback }));
      await client.get(`http://abc123.execute-api.eu-west-2.amazonaws.com:${port}/prod/users/1`);
      expect(server.last.header("authorization")[0]).to.contain("/eu-west-2/execute-api/aws4_request");
      expect(verifyCaptured(server.last, SECRET).valid).to.equal(true);
    });

    it("fails a request to a custom domain without a region, sending nothing", async () => {
      const client = createSignedGot(testOptions({ region: undefined }));
      const error = await client.get(`${server.url}/users/1`).catch((caught: unknown) => caught);
      expect(error).to.be.instanceOf(RequestError).with.property("code", ERROR_CODES.region);
      expect(server.requests).to.have.length(0);
    });
  });
});
