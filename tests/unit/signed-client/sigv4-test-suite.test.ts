import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { createSignedGot } from "../../../lambdas/lib/index.js";
import { canonicalQuery, parseRawQuery } from "../../../lambdas/lib/canonical-query.js";
import { headersToSign } from "../../../lambdas/lib/canonical-headers.js";
import { signRequest } from "../../../lambdas/lib/signer.js";
import { CaptureServer } from "./support/capture-server.js";
import {
  authorizationFor,
  loadSuite,
  SUITE_CREDENTIALS,
  SUITE_DIR,
  SUITE_REGION,
  SUITE_SERVICE,
  SUITE_TIME,
} from "./support/sigv4-suite.js";
import type { SuiteCase } from "./support/sigv4-suite.js";

/**
 * How a case differs when it goes through a real HTTP client instead of being signed from the
 * file's raw, unencoded request. Each entry says why; everything else is asserted as is.
 */
interface ThroughARealClient {
  readonly why: string;
  /** The request-target the client really sends, when it is not the file's. */
  readonly sentTarget?: string;
  /** The canonical path signed instead of the suite's (SigV4 encodes the sent path a second time). */
  readonly signedPath?: string;
}

const DIFFERENCES: Record<string, ThroughARealClient> = {
  "get-utf8": {
    why: "a client sends the path percent-encoded (/%E1%88%B4); non-S3 SigV4 encodes the sent path again, and API Gateway checks that double encoding, so the signature differs from the suite's single encoding",
    sentTarget: "/%E1%88%B4",
    signedPath: "/%25E1%2588%25B4",
  },
  "normalize-path/get-space": {
    why: "a client sends a space as %20, which SigV4 (non-S3) encodes again as %2520, so the signature differs from the suite's single encoding",
    sentTarget: "/example%20space/",
    signedPath: "/example%2520space/",
  },
  "get-vanilla-utf8-query": {
    why: "the URL parser percent-encodes UTF-8 in the query before sending; query parameters are encoded once, so the signature is the suite's",
    sentTarget: "/?%E1%88%B4=bar",
  },
  "normalize-path/get-relative": {
    why: "the URL parser removes dot segments before sending (RFC 3986 5.2.4), so the raw target cannot be sent; the signature is the suite's",
    sentTarget: "/",
  },
  "normalize-path/get-relative-relative": {
    why: "the URL parser removes dot segments before sending, so the raw target cannot be sent; the signature is the suite's",
    sentTarget: "/",
  },
  "normalize-path/get-slash-dot-slash": {
    why: "the URL parser removes dot segments before sending, so the raw target cannot be sent; the signature is the suite's",
    sentTarget: "/",
  },
  "normalize-path/get-slash-pointless-dot": {
    why: "the URL parser removes dot segments before sending, so the raw target cannot be sent; the signature is the suite's",
    sentTarget: "/example",
  },
  "get-header-value-multiline": {
    why: "Node refuses CR/LF in a header value (obs-fold is obsolete, RFC 9112 5.2), so the client sends the unfolded value; whitespace collapses to the same canonical value",
  },
  "post-sts-token/post-sts-header-after": {
    why: "adding the token after signing is an STS-only rule; API Gateway needs it signed, so the client signs it whenever it has one. Sent without a token the case matches; with one it signs as post-sts-header-before (asserted separately)",
  },
};

const SESSION_TOKEN_LINE = /^x-amz-security-token:(.*)$/m;

/** The suite carries the token as a header (or, for one case, only in the .creq); the client takes it from credentials. */
function credentialsOf(suiteCase: SuiteCase) {
  const tokenHeader = suiteCase.request.headers.find(([name]) => name.toLowerCase() === "x-amz-security-token");
  const sessionToken = tokenHeader?.[1] ?? SESSION_TOKEN_LINE.exec(suiteCase.creq)?.[1];
  return { ...SUITE_CREDENTIALS, sessionToken };
}

/** The file's headers as got options: repeated names become arrays; date and token are the signer's. */
function gotHeadersOf(suiteCase: SuiteCase): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of suiteCase.request.headers) {
    const key = name.toLowerCase();
    if (key === "x-amz-date" || key === "x-amz-security-token") continue;
    const existing = headers[key];
    headers[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return headers;
}

function clientFor(suiteCase: SuiteCase, prefix = "") {
  return createSignedGot({
    region: SUITE_REGION,
    service: SUITE_SERVICE,
    credentials: credentialsOf(suiteCase),
    now: () => SUITE_TIME,
    retry: { limit: 0 },
    prefixUrl: prefix,
  });
}

describe("signed client: AWS SigV4 test suite", () => {
  const server = new CaptureServer();
  const cases = loadSuite();
  before(() => server.start());
  after(() => server.stop());
  beforeEach(() => server.reset());

  it("finds all 34 cases of the suite", () => {
    expect(cases).to.have.length(34);
  });

  it("has an independent reference signer that reproduces every .authz from its .creq", () => {
    for (const suiteCase of cases) expect(authorizationFor(suiteCase.creq), suiteCase.name).to.equal(suiteCase.authz);
  });

  for (const suiteCase of loadSuite()) {
    const difference = DIFFERENCES[suiteCase.name];
    const { method, target, body } = suiteCase.request;

    describe(suiteCase.name, () => {
      it("builds the suite's canonical request and signature from the raw request (pure functions)", async () => {
        const [path, rawQuery = ""] = target.split(/\?(.*)/s);
        const signed = await signRequest(
          { method, path: path!, canonicalQuery: canonicalQuery(parseRawQuery(rawQuery)), headers: headersToSign(gotHeadersOf(suiteCase)), body: body === "" ? undefined : body },
          { credentials: credentialsOf(suiteCase), region: SUITE_REGION, service: SUITE_SERVICE, signingDate: new Date(SUITE_TIME) },
        );
        expect(signed.canonicalRequest).to.equal(suiteCase.creq);
        expect(signed.headers.authorization).to.equal(suiteCase.authz);
      });

      const title = difference ? `through the client, which differs: ${difference.why}` : "through the client: sends the suite's Authorization";
      it(title, async () => {
        const response = await clientFor(suiteCase)(`${server.url}${target}`, {
          method: method as "GET",
          headers: gotHeadersOf(suiteCase),
          ...(body === "" ? {} : { body }),
        });
        expect(response.statusCode).to.equal(200);
        const sent = server.last;
        expect(sent.target).to.equal(difference?.sentTarget ?? target);
        expect(sent.header("host")).to.deep.equal(["example.amazonaws.com"]);
        expect(sent.header("x-amz-date")).to.deep.equal(["20150830T123600Z"]);
        expect(sent.body.toString("utf8")).to.equal(body);
        const token = credentialsOf(suiteCase).sessionToken;
        expect(sent.header("x-amz-security-token")).to.deep.equal(token === undefined ? [] : [token]);
        const [authorization] = sent.header("authorization");
        if (difference?.signedPath) {
          const lines = suiteCase.creq.split("\n");
          lines[1] = difference.signedPath;
          expect(authorization).to.not.equal(suiteCase.authz);
          expect(authorization).to.equal(authorizationFor(lines.join("\n")));
        } else {
          expect(authorization).to.equal(suiteCase.authz);
        }
      });
    });
  }

  describe("cases that cannot be sent byte for byte", () => {
    it("get-header-value-multiline: Node refuses to send a folded header value, so it cannot be signed by mistake", async () => {
      const folded = cases.find((one) => one.name === "get-header-value-multiline")!;
      const error = await clientFor(folded)(`${server.url}/`, { headers: { "my-header1": "value1\n  value2" } }).catch((caught: unknown) => caught);
      expect(error).to.be.instanceOf(Error).with.property("code", "ERR_INVALID_CHAR");
      expect(server.requests).to.have.length(0);
    });

    it("post-sts-header-after: with a session token the client signs it, as post-sts-header-before expects", async () => {
      const after = cases.find((one) => one.name === "post-sts-token/post-sts-header-after")!;
      const beforeDir = join(SUITE_DIR, "post-sts-token/post-sts-header-before");
      const token = readFileSync(join(beforeDir, "post-sts-header-before.req"), "utf8").match(/X-Amz-Security-Token:(.*)/)![1]!;
      const client = createSignedGot({
        region: SUITE_REGION,
        service: SUITE_SERVICE,
        credentials: { ...SUITE_CREDENTIALS, sessionToken: token },
        now: () => SUITE_TIME,
      });
      await client.post(`${server.url}/`, { headers: gotHeadersOf(after) });
      const [authorization] = server.last.header("authorization");
      expect(authorization).to.contain("SignedHeaders=host;x-amz-date;x-amz-security-token,");
      expect(authorization).to.equal(readFileSync(join(beforeDir, "post-sts-header-before.authz"), "utf8"));
      expect(authorization).to.not.equal(after.authz);
    });
  });
});
