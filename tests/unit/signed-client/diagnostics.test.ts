import { inspect } from "node:util";
import { expect } from "chai";
import { HTTPError } from "got";
import { createSignedGot, SignatureMismatchError } from "../../../lambdas/lib/index.js";
import { firstDifferingLine, redactCanonicalRequest } from "../../../lambdas/lib/errors.js";
import { useCaptureServer } from "./support/capture-server.js";
import { SECRET, SESSION_TOKEN, testOptions } from "./support/fixtures.js";
import { verifyCaptured } from "./support/reference-verifier.js";

/** API Gateway's 403 body for a signature mismatch, quoting the canonical request it computed. */
function invalidSignatureBody(expectedCanonicalRequest: string): string {
  return JSON.stringify({
    message:
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\n" +
      `The Canonical String for this request should have been\n'${expectedCanonicalRequest}'\n\n` +
      "The String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20260102T030405Z\n20260102/us-east-1/execute-api/aws4_request\n0000'\n",
  });
}

describe("signed client: 403 diagnostics", () => {
  const server = useCaptureServer();

  /** A gateway that saw a different path than the client signed (e.g. a stage prefix added by a proxy). */
  function mismatchOnPath() {
    server.respond = (request, response) => {
      const ours = verifyCaptured(request, SECRET).canonicalRequest.split("\n");
      ours[1] = `/prod${ours[1]}`;
      response.writeHead(403, { "content-type": "application/json", "x-amzn-errortype": "InvalidSignatureException" });
      response.end(invalidSignatureBody(ours.join("\n")));
    };
  }

  async function failedRequest(): Promise<SignatureMismatchError> {
    const error = await createSignedGot(testOptions()).get(`${server.url}/users/1?x=1`).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(SignatureMismatchError);
    return error as SignatureMismatchError;
  }

  it("throws a SignatureMismatchError that is still got's HTTPError with the response", async () => {
    mismatchOnPath();
    const error = await failedRequest();
    expect(error).to.be.instanceOf(HTTPError);
    expect(error.response.statusCode).to.equal(403);
    expect(error.code).to.equal("ERR_SIGV4_SIGNATURE_MISMATCH");
    expect(server.requests).to.have.length(1);
  });

  it("carries the client's canonical request beside the one API Gateway expected, and names the first difference", async () => {
    mismatchOnPath();
    const error = await failedRequest();
    const signed = redactCanonicalRequest(verifyCaptured(server.last, SECRET).canonicalRequest);
    expect(error.canonicalRequest).to.equal(signed);
    expect(error.expectedCanonicalRequest!.split("\n")[1]).to.equal("/prod/users/1");
    expect(error.message).to.contain('path: signed "/users/1", expected "/prod/users/1"');
  });

  it("exposes neither the secret key, the session token nor the Authorization value", async () => {
    mismatchOnPath();
    const error = await failedRequest();
    const [authorization] = server.last.header("authorization");
    const ownFields = JSON.stringify({ message: error.message, canonicalRequest: error.canonicalRequest, expected: error.expectedCanonicalRequest });
    const shown = `${inspect(error, { depth: 1 })}\n${ownFields}\n${error.stack}`;
    for (const secret of [SECRET, SESSION_TOKEN, authorization!]) expect(shown).to.not.contain(secret);
    expect(error.canonicalRequest).to.contain("x-amz-security-token:<redacted>");
    expect(error.expectedCanonicalRequest).to.contain("x-amz-security-token:<redacted>");
  });

  it("redacts the session token and Authorization from every error got raises after signing", async () => {
    server.respond = (_request, response) => {
      response.statusCode = 500;
      response.end("boom");
    };
    const error = await createSignedGot(testOptions()).post(`${server.url}/users`, { body: "x" }).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(HTTPError);
    const [authorization] = server.last.header("authorization");
    const shown = inspect(error, { depth: 8 });
    for (const secret of [SECRET, SESSION_TOKEN, authorization!]) expect(shown).to.not.contain(secret);
    expect((error as HTTPError).options.headers["x-amz-security-token"]).to.equal("<redacted>");
  });

  it("recognizes the mismatch from the message alone when the error-type header is missing", async () => {
    server.respond = (_request, response) => {
      response.writeHead(403);
      response.end(invalidSignatureBody("GET\n/other\n\nhost:h\n\nhost\nabc"));
    };
    const error = await failedRequest();
    expect(error.expectedCanonicalRequest).to.equal("GET\n/other\n\nhost:h\n\nhost\nabc");
  });

  it("leaves other 403s as plain HTTPErrors", async () => {
    server.respond = (_request, response) => {
      response.writeHead(403, { "x-amzn-errortype": "AccessDeniedException" });
      response.end(JSON.stringify({ message: "not authorized to perform: execute-api:Invoke" }));
    };
    const error = await createSignedGot(testOptions()).get(`${server.url}/`).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(HTTPError).and.not.instanceOf(SignatureMismatchError);
  });

  it("describes equal canonical requests as a credentials, region or service problem", () => {
    expect(firstDifferingLine("GET\n/", "GET\n/")).to.match(/credentials, region and service/);
    expect(firstDifferingLine("GET\n/\na=1", "GET\n/\na=2")).to.equal('query: signed "a=1", expected "a=2"');
  });
});
