import aws4 from "aws4";
import { expect } from "chai";
import type { ReceivedRequest } from "../../../local/auth/received-request.js";
import { type KnownCredentials, type VerifyOptions, verifySigV4 } from "../../../local/auth/sigv4-verifier.js";
import { expectFailure } from "./assertions.js";
import { CALLER, HOST, REGION, SERVICE, SIGNED_AT, header, lookupOf, signAsClient, withHeader } from "./signing-client.js";

const LONG_TERM: KnownCredentials = {
  accessKeyId: "AKIDLOCALLONGTERM001",
  secretAccessKey: "long/term/secret/key/abcdefghijklmnopqrstuv",
  principal: { ...CALLER.principal, arn: "arn:aws:sts::111111111111:assumed-role/profile-fn/other" },
};
const KNOWN = [CALLER, LONG_TERM];

function options(overrides: Partial<VerifyOptions> = {}): VerifyOptions {
  return { region: REGION, service: SERVICE, now: SIGNED_AT, lookup: lookupOf(...KNOWN), ...overrides };
}

async function expectVerified(req: ReceivedRequest, overrides: Partial<VerifyOptions> = {}): Promise<KnownCredentials> {
  const result = await verifySigV4(req, options(overrides));
  if (!result.ok) expect.fail(`expected the request to verify, got ${result.error.errorType}: ${JSON.stringify(result.error.body)}`);
  return result.credentials;
}

async function expectRejected(req: ReceivedRequest, errorType: string, overrides: Partial<VerifyOptions> = {}): Promise<string> {
  return expectFailure(await verifySigV4(req, options(overrides)), errorType, req, KNOWN);
}

function minutes(n: number): Date {
  return new Date(SIGNED_AT.getTime() + n * 60_000);
}

describe("local auth: SigV4 verifier", () => {
  describe("accepts what real clients sign", () => {
    it("accepts a GET signed by @smithy/signature-v4 with a session token and returns its principal", async () => {
      const credentials = await expectVerified(await signAsClient());
      expect(credentials.principal.arn).to.equal(CALLER.principal.arn);
    });

    it("accepts a POST whose body is hashed from the raw bytes (no x-amz-content-sha256 sent)", async () => {
      const req = await signAsClient({ method: "POST", body: '{"name":"Ada"}', applyChecksum: false, headers: { "content-type": "application/json" } });
      expect(header(req, "x-amz-content-sha256")).to.equal(undefined);
      await expectVerified(req);
    });

    it("accepts a binary body signed with x-amz-content-sha256", async () => {
      await expectVerified(await signAsClient({ method: "PUT", body: Buffer.from([0, 255, 1, 254, 10, 13]) }));
    });

    it("accepts long-term credentials (no session token)", async () => {
      await expectVerified(await signAsClient({ credentials: LONG_TERM }));
    });

    it("checks the path as sent, encoded once more by the signer (space and UTF-8 segments)", async () => {
      await expectVerified(await signAsClient({ path: "/prod/users/a%20b" }));
      await expectVerified(await signAsClient({ path: "/prod/users/%E1%88%B4" }));
    });

    it("accepts a query with a literal plus, repeated keys, a bare key and UTF-8, in any order", async () => {
      await expectVerified(await signAsClient({ query: "z=1&a=2&a=1&flag&plus=%2B&u=%E1%88%B4" }));
    });

    it("accepts a request signed by a second, independent client (aws4)", async () => {
      const opts = aws4.sign(
        { host: HOST, method: "POST", path: "/prod/users?b=2&a=1", body: '{"x":1}', service: SERVICE, region: REGION, headers: { "content-type": "application/json", "X-Amz-Date": "20260301T100000Z" } },
        { accessKeyId: CALLER.accessKeyId, secretAccessKey: CALLER.secretAccessKey, sessionToken: CALLER.sessionToken! },
      );
      const headers = Object.entries(opts.headers ?? {}).map(([name, value]) => [name, String(value)] as [string, string]);
      await expectVerified({ method: "POST", rawPath: "/prod/users", rawQuery: "b=2&a=1", headers, body: Buffer.from('{"x":1}') });
    });

    it("ignores headers that were not signed (a proxy may add them)", async () => {
      const req = await signAsClient();
      await expectVerified({ ...req, headers: [...req.headers, ["x-forwarded-for", "10.0.0.1"], ["user-agent", "curl/8"]] });
    });

    it("joins a header repeated on the wire as AWS does: each value trimmed, comma-joined, in arrival order", async () => {
      // Signed as one value "a,b"; the wire may split it over two header lines.
      const req = await signAsClient({ headers: { "x-multi": "a,b" } });
      const split = req.headers.flatMap(([n, v]): Array<[string, string]> => (n === "x-multi" ? [["X-Multi", " a "], ["x-multi", "b"]] : [[n, v]]));
      await expectVerified({ ...req, headers: split });
      const reordered = req.headers.flatMap(([n, v]): Array<[string, string]> => (n === "x-multi" ? [["x-multi", "b"], ["x-multi", "a"]] : [[n, v]]));
      await expectRejected({ ...req, headers: reordered }, "InvalidSignatureException");
    });
  });

  describe("rejects tampering with InvalidSignatureException", () => {
    it("rejects a changed body (no x-amz-content-sha256) and shows the canonical request and string-to-sign", async () => {
      const req = await signAsClient({ method: "POST", body: '{"amount":1}', applyChecksum: false });
      const message = await expectRejected({ ...req, body: Buffer.from('{"amount":9}') }, "InvalidSignatureException");
      expect(message).to.match(/^The request signature we calculated does not match the signature you provided\. Check your AWS Secret Access Key and signing method\. Consult the service documentation for details\.\n\nThe Canonical String for this request should have been\n'POST\n\/prod\/users\/42\n\n/);
      expect(message).to.include("\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20260301T100000Z\n20260301/eu-west-1/execute-api/aws4_request\n");
      expect(message.endsWith("'\n")).to.equal(true);
    });

    it("rejects a changed body whose x-amz-content-sha256 no longer matches", async () => {
      const req = await signAsClient({ method: "POST", body: '{"amount":1}' });
      const message = await expectRejected({ ...req, body: Buffer.from('{"amount":9}') }, "InvalidSignatureException");
      expect(message).to.equal("The provided 'x-amz-content-sha256' header does not match what was computed.");
    });

    it("rejects a body hash header rewritten to match a new body", async () => {
      const req = await signAsClient({ method: "POST", body: '{"amount":1}' });
      const forged = withHeader({ ...req, body: Buffer.from("{}") }, "x-amz-content-sha256", "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
      await expectRejected(forged, "InvalidSignatureException");
    });

    it("rejects a changed signed header", async () => {
      const req = await signAsClient({ headers: { "x-tenant": "a" } });
      await expectRejected(withHeader(req, "x-tenant", "b"), "InvalidSignatureException");
    });

    it("rejects a changed path, including one that differs only in encoding", async () => {
      const req = await signAsClient({ path: "/prod/users/42" });
      await expectRejected({ ...req, rawPath: "/prod/users/43" }, "InvalidSignatureException");
      await expectRejected({ ...req, rawPath: "/prod/users/%34%32" }, "InvalidSignatureException");
    });

    it("rejects a changed, added or removed query parameter", async () => {
      const req = await signAsClient({ query: "limit=10" });
      await expectRejected({ ...req, rawQuery: "limit=11" }, "InvalidSignatureException");
      await expectRejected({ ...req, rawQuery: "limit=10&admin=true" }, "InvalidSignatureException");
      await expectRejected({ ...req, rawQuery: "" }, "InvalidSignatureException");
    });

    it("rejects a changed method", async () => {
      const req = await signAsClient({ method: "GET" });
      await expectRejected({ ...req, method: "DELETE" }, "InvalidSignatureException");
    });

    it("rejects a signature made with the wrong secret", async () => {
      const req = await signAsClient({ credentials: { ...CALLER, secretAccessKey: "not/the/right/secret/key/at/all/0000000" } });
      await expectRejected(req, "InvalidSignatureException");
    });

    it("rejects a signature of another length or with non-ASCII characters, without throwing", async () => {
      const req = await signAsClient();
      const signature = /Signature=([0-9a-f]+)/.exec(header(req, "authorization")!)![1]!;
      for (const forged of [signature.slice(0, 63), `${signature}0`, `${signature.slice(0, 62)}é`, `${signature.slice(0, 63)}é`]) {
        await expectRejected(withHeader(req, "authorization", header(req, "authorization")!.replace(signature, forged)), "InvalidSignatureException");
      }
    });

    it("keeps no derived key across a change of secret: only the current secret verifies", async () => {
      const rotated: KnownCredentials = { ...CALLER, secretAccessKey: "rotated/secret/key/abcdefghijklmnopqrstuvw" };
      const signedWithOld = await signAsClient();
      const signedWithNew = await signAsClient({ credentials: rotated });
      await expectVerified(signedWithOld);
      await expectRejected(signedWithOld, "InvalidSignatureException", { lookup: lookupOf(rotated) });
      await expectVerified(signedWithNew, { lookup: lookupOf(rotated) });
      await expectRejected(signedWithNew, "InvalidSignatureException");
    });

    it("rejects a host without the port when the client signed host:port", async () => {
      const req = await signAsClient({ host: "127.0.0.1:4010" });
      await expectRejected(withHeader(req, "host", "127.0.0.1"), "InvalidSignatureException");
    });

    it("rejects a header listed in SignedHeaders that did not arrive, showing it empty", async () => {
      const req = await signAsClient({ headers: { "x-tenant": "a" } });
      const message = await expectRejected(withHeader(req, "x-tenant", undefined), "InvalidSignatureException");
      expect(message).to.include("\nx-tenant:\n");
    });

    it("never shows the session token in the canonical request it returns", async () => {
      const req = await signAsClient({ method: "POST", body: "a", applyChecksum: false });
      const message = await expectRejected({ ...req, body: Buffer.from("b") }, "InvalidSignatureException");
      expect(message).to.include("\nx-amz-security-token:<redacted>\n");
    });
  });

  describe("rejects unknown or mismatched credentials with UnrecognizedClientException", () => {
    it("rejects an unknown access key", async () => {
      const req = await signAsClient({ credentials: { ...CALLER, accessKeyId: "FAKEUNKNOWNKEY000000" } });
      const message = await expectRejected(req, "UnrecognizedClientException");
      expect(message).to.equal("The security token included in the request is invalid.");
    });

    it("rejects a wrong session token even when the signature over it is valid", async () => {
      await expectRejected(await signAsClient({ credentials: { ...CALLER, sessionToken: "some-other-token" } }), "UnrecognizedClientException");
    });

    it("rejects a missing session token for temporary credentials", async () => {
      const req = await signAsClient({ credentials: { accessKeyId: CALLER.accessKeyId, secretAccessKey: CALLER.secretAccessKey } });
      await expectRejected(req, "UnrecognizedClientException");
    });

    it("rejects a session token sent with long-term credentials", async () => {
      await expectRejected(await signAsClient({ credentials: { ...LONG_TERM, sessionToken: "unexpected" } }), "UnrecognizedClientException");
    });

    it("rejects the token sent twice", async () => {
      const req = await signAsClient();
      await expectRejected({ ...req, headers: [...req.headers, ["X-Amz-Security-Token", CALLER.sessionToken!]] }, "UnrecognizedClientException");
    });
  });

  describe("enforces the ±5 minute window against the injected clock", () => {
    it("accepts a request signed 4 minutes ago or 4 minutes ahead, and exactly 5 minutes either way", async () => {
      const req = await signAsClient();
      for (const offset of [4, -4, 5, -5]) await expectVerified(req, { now: minutes(offset) });
    });

    it("rejects a request signed 6 minutes ago as expired, in AWS's words", async () => {
      const message = await expectRejected(await signAsClient(), "InvalidSignatureException", { now: minutes(6) });
      expect(message).to.equal("Signature expired: 20260301T100000Z is now earlier than 20260301T100100Z (20260301T100600Z - 5 min.)");
    });

    it("rejects a request signed 6 minutes ahead as not yet current, in AWS's words", async () => {
      const message = await expectRejected(await signAsClient(), "InvalidSignatureException", { now: minutes(-6) });
      expect(message).to.equal("Signature not yet current: 20260301T100000Z is still later than 20260301T095900Z (20260301T095400Z + 5 min.)");
    });
  });

  describe("checks the credential scope", () => {
    it("rejects a signature scoped to another region", async () => {
      const message = await expectRejected(await signAsClient({ region: "us-east-1" }), "InvalidSignatureException");
      expect(message).to.equal("Credential should be scoped to a valid region, not 'us-east-1'. ");
    });

    it("rejects a signature scoped to another service", async () => {
      const message = await expectRejected(await signAsClient({ service: "lambda" }), "InvalidSignatureException");
      expect(message).to.equal("Credential should be scoped to correct service: 'execute-api'. ");
    });

    it("rejects a scope date that is not the day of X-Amz-Date", async () => {
      const req = await signAsClient();
      const auth = header(req, "authorization")!.replace("/20260301/", "/20260302/");
      const message = await expectRejected(withHeader(req, "authorization", auth), "InvalidSignatureException");
      expect(message).to.equal("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20260302' != '20260301', from '20260301T100000Z'.");
    });

    it("rejects a terminator other than aws4_request", async () => {
      const req = await signAsClient();
      const auth = header(req, "authorization")!.replace("/aws4_request", "/aws4_x");
      await expectRejected(withHeader(req, "authorization", auth), "InvalidSignatureException");
    });
  });

  describe("rejects malformed or missing authentication", () => {
    it("answers MissingAuthenticationToken when there is no Authorization header", async () => {
      const req = withHeader(await signAsClient(), "authorization", undefined);
      const message = await expectRejected(req, "MissingAuthenticationTokenException");
      expect(message).to.equal("Missing Authentication Token");
    });

    const malformed: Array<[string, string, RegExp]> = [
      ["a bearer token", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc", /not a valid key=value pair/],
      ["a bare JWT", "eyJhbGciOiJIUzI1NiJ9eyJzdWIiOiIxIn0abc", /^Authorization header requires 'Credential' parameter\. Authorization header requires 'Signature' parameter\. Authorization header requires 'SignedHeaders' parameter\.$/],
      ["an empty value", "", /requires 'Credential' parameter/],
      ["the algorithm alone", "AWS4-HMAC-SHA256", /requires 'Credential' parameter/],
      ["no Signature", "AWS4-HMAC-SHA256 Credential=FAKELOCALCALLER00001/20260301/eu-west-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date", /^Authorization header requires 'Signature' parameter\.$/],
      ["no SignedHeaders", "AWS4-HMAC-SHA256 Credential=FAKELOCALCALLER00001/20260301/eu-west-1/execute-api/aws4_request, Signature=00", /requires 'SignedHeaders'/],
      ["a space inside the credential", "AWS4-HMAC-SHA256 Credential=FAKELOCALCALLER00001 /20260301/eu-west-1/execute-api/aws4_request, SignedHeaders=host, Signature=00", /^Parameter 2 of the Authorization header is not a valid key=value pair \(missing equal-sign\)\.$/],
      ["a 4-part credential", "AWS4-HMAC-SHA256 Credential=FAKELOCALCALLER00001/20260301/eu-west-1/aws4_request, SignedHeaders=host, Signature=00", /exactly 5 slash-delimited elements, e\.g\. keyid\/date\/region\/service\/term, got 4\./],
      ["host not signed", "AWS4-HMAC-SHA256 Credential=FAKELOCALCALLER00001/20260301/eu-west-1/execute-api/aws4_request, SignedHeaders=x-amz-date, Signature=00", /^'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization\.$/],
      ["Authorization listed as signed", "AWS4-HMAC-SHA256 Credential=FAKELOCALCALLER00001/20260301/eu-west-1/execute-api/aws4_request, SignedHeaders=authorization;host, Signature=00", /cannot be a 'SignedHeader'/],
      ["another algorithm", "AWS4-HMAC-SHA512 Credential=FAKELOCALCALLER00001/20260301/eu-west-1/execute-api/aws4_request, SignedHeaders=host, Signature=00", /only 'AWS4-HMAC-SHA256' is accepted/],
      ["a repeated parameter", "AWS4-HMAC-SHA256 Credential=A/20260301/eu-west-1/execute-api/aws4_request, Credential=B/20260301/eu-west-1/execute-api/aws4_request, SignedHeaders=host, Signature=00", /repeats an earlier parameter/],
      ["an empty signature", "AWS4-HMAC-SHA256 Credential=FAKELOCALCALLER00001/20260301/eu-west-1/execute-api/aws4_request, SignedHeaders=host, Signature=", /Signature is empty/],
    ];
    for (const [what, value, expected] of malformed) {
      it(`answers IncompleteSignature for ${what}`, async () => {
        const req = withHeader(await signAsClient(), "authorization", value);
        expect(await expectRejected(req, "IncompleteSignatureException")).to.match(expected);
      });
    }

    it("answers IncompleteSignature for two Authorization headers", async () => {
      const req = await signAsClient();
      await expectRejected({ ...req, headers: [...req.headers, ["Authorization", header(req, "authorization")!]] }, "IncompleteSignatureException");
    });

    it("answers IncompleteSignature, listing the date too, when X-Amz-Date and Date are both missing", async () => {
      const req = withHeader(withHeader(await signAsClient(), "authorization", "Bearer"), "x-amz-date", undefined);
      const message = await expectRejected(req, "IncompleteSignatureException");
      expect(message).to.include("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    });

    it("answers IncompleteSignature for a request dated only with Date (not supported locally)", async () => {
      const req = withHeader(withHeader(await signAsClient(), "x-amz-date", undefined), "date", "Sun, 01 Mar 2026 10:00:00 GMT");
      expect(await expectRejected(req, "IncompleteSignatureException")).to.match(/requires the 'X-Amz-Date' header/);
    });

    for (const bad of ["2026-03-01T10:00:00Z", "20260301T100000", "20260231T100000Z", "20250229T100000Z", "00500301T100000Z", "20260301T246000Z", "x".repeat(500)]) {
      it(`answers IncompleteSignature for X-Amz-Date '${bad.slice(0, 24)}'`, async () => {
        const message = await expectRejected(withHeader(await signAsClient(), "x-amz-date", bad), "IncompleteSignatureException");
        expect(message).to.match(/^Date must be in ISO-8601 'basic format'\. Got '/);
        expect(message.length).to.be.lessThan(200);
      });
    }

    it("answers IncompleteSignature for two X-Amz-Date headers", async () => {
      const req = await signAsClient();
      await expectRejected({ ...req, headers: [...req.headers, ["X-Amz-Date", "20260301T100000Z"]] }, "IncompleteSignatureException");
    });

    it("denies, without throwing, when the credential lookup itself throws", async () => {
      const req = await signAsClient();
      const result = await verifySigV4(req, options({ lookup: () => { throw new Error("store unavailable"); } }));
      expect(result.ok).to.equal(false);
      if (!result.ok) expect(result.error.statusCode).to.equal(403);
    });
  });
});
