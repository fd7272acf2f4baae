import { expect } from "chai";
import { createHash } from "node:crypto";
import { canonicalQuery, parseRawQuery } from "../../../lambdas/lib/canonical-query.js";
import { createSignedGot } from "../../../lambdas/lib/index.js";
import { signRequest } from "../../../lambdas/lib/signer.js";
import { useCaptureServer } from "./support/capture-server.js";
import { CREDENTIALS, SECRET, T0, testOptions } from "./support/fixtures.js";
import { verifyCaptured } from "./support/reference-verifier.js";

// One signer serves every request of every client, and the hook awaits (credentials, body) before
// it signs: these tests start many requests at once so that any state shared between them would
// leak across.

const OTHER_SECRET = "another-secret-key-never-logged/987654";
const OTHER_CREDENTIALS = { accessKeyId: "AKIDOTHER", secretAccessKey: OTHER_SECRET };
const COUNT = 50;

/** A different query, path, method and body for each index: no two requests sign the same thing. */
function requestFor(index: number): { path: string; query: string; method: "GET" | "POST"; body: string | undefined } {
  const post = index % 3 === 0;
  return {
    path: `/items/${index}`,
    query: index % 5 === 0 ? "" : `id=${index}&tag=t%2B${index}&flag${index % 2 === 0 ? "&z=a+b" : ""}`,
    method: post ? "POST" : "GET",
    body: post ? JSON.stringify({ index }) : undefined,
  };
}

describe("signed client: concurrent requests", () => {
  it("signs each of 50 requests started at once with its own query, path and body (pure function)", async () => {
    const requests = Array.from({ length: COUNT }, (_, index) => requestFor(index));
    const results = await Promise.all(
      requests.map(({ path, query, method, body }) =>
        signRequest(
          { method, path, canonicalQuery: canonicalQuery(parseRawQuery(query)), headers: { host: "example.com" }, body },
          { credentials: CREDENTIALS, region: "us-east-1", service: "execute-api", signingDate: new Date(T0) },
        ),
      ),
    );
    const signatures = new Set<string>();
    results.forEach((signed, index) => {
      const { path, query, method, body } = requests[index]!;
      const lines = signed.canonicalRequest.split("\n");
      expect(lines.slice(0, 3), `request ${index}`).to.deep.equal([method, path, canonicalQuery(parseRawQuery(query))]);
      expect(lines.at(-1), `request ${index}`).to.equal(createHash("sha256").update(body ?? "").digest("hex"));
      signatures.add(signed.headers.authorization);
    });
    expect(signatures.size).to.equal(COUNT);
  });

  it("never signs with a key cached for another day, region or secret of the same credentials object", async () => {
    const request = { method: "GET", path: "/items", canonicalQuery: "", headers: { host: "example.com" }, body: undefined };
    const reused = { accessKeyId: "AKIDREUSED", secretAccessKey: SECRET };
    const sign = (credentials: { accessKeyId: string; secretAccessKey: string }, region: string, date: number) =>
      Promise.resolve(signRequest(request, { credentials, region, service: "execute-api", signingDate: new Date(date) })).then((signed) => signed.headers.authorization);
    const nextDay = T0 + 24 * 3_600_000;
    const cases: Array<[string, number]> = [["us-east-1", T0], ["us-east-1", nextDay], ["eu-west-1", nextDay]];
    for (const [region, date] of cases) {
      // A fresh object each time cannot hit the cache: the reused one must sign the same.
      expect(await sign(reused, region, date), `${region} ${date}`).to.equal(await sign({ ...reused }, region, date));
    }
    reused.secretAccessKey = OTHER_SECRET;
    expect(await sign(reused, "eu-west-1", nextDay)).to.equal(await sign({ ...reused }, "eu-west-1", nextDay));
  });

  describe("through the client", () => {
    const server = useCaptureServer();

    it("sends 50 concurrent requests with different queries that all verify", async () => {
      const client = createSignedGot(testOptions());
      await Promise.all(
        Array.from({ length: COUNT }, (_, index) => {
          const { path, query, method, body } = requestFor(index);
          return client(`${server.url}${path}${query === "" ? "" : `?${query}`}`, { method, ...(body === undefined ? {} : { body }) });
        }),
      );
      expect(server.requests).to.have.length(COUNT);
      for (const request of server.requests) {
        const verification = verifyCaptured(request, SECRET);
        expect(verification.valid, request.target).to.equal(true);
        expect(verification.canonicalRequest.split("\n")[1], request.target).to.equal(request.target.split("?")[0]);
      }
    });

    it("signs each client's requests with its own credentials when two clients send at once", async () => {
      const clients = [createSignedGot(testOptions()), createSignedGot(testOptions({ credentials: OTHER_CREDENTIALS, region: "eu-west-1" }))];
      await Promise.all(
        Array.from({ length: COUNT }, (_, index) => {
          const { path, query } = requestFor(index);
          return clients[index % 2]!(`${server.url}${path}?client=${index % 2}${query === "" ? "" : `&${query}`}`);
        }),
      );
      expect(server.requests).to.have.length(COUNT);
      for (const request of server.requests) {
        const second = request.target.includes("client=1");
        const verification = verifyCaptured(request, second ? OTHER_SECRET : SECRET);
        expect(verification.valid, request.target).to.equal(true);
        expect(verification.accessKeyId, request.target).to.equal(second ? "AKIDOTHER" : "AKIDTEST");
        expect(request.header("authorization")[0], request.target).to.include(second ? "/eu-west-1/" : "/us-east-1/");
        expect(request.header("x-amz-security-token"), request.target).to.deep.equal(second ? [] : [CREDENTIALS.sessionToken]);
      }
    });
  });
});
