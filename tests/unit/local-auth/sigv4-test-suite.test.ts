/**
 * The AWS SigV4 test suite (tests/fixtures/sigv4-test-suite, see its README) driving the
 * verifier: service `service`, region us-east-1, clock fixed at 20150830T123600Z.
 *
 * Each `.sreq` is fed as received, its request-target taken literally (the suite's raw,
 * *unencoded* form). Two checks per case:
 *  - the request verifies;
 *  - with the signature flipped, the mismatch message shows exactly the suite's `.creq`
 *    and `.sts`, i.e. our canonicalization is AWS's, byte for byte.
 *
 * Cases treated specially, and why:
 *  - get-vanilla-with-session-token: the `.sreq` carries get-vanilla's signature (upstream
 *    slip, per the README); the `.authz` value is used instead. Its token is signed, so the
 *    expected `.creq` is compared with the token value shown as `<redacted>` (we never echo it).
 *  - post-sts-token/*: the key is temporary, so the lookup returns the suite's session token.
 *    post-sts-header-after signs *without* the token and adds it afterwards: accepted,
 *    because the token is still checked against the key, signed or not.
 *  - get-utf8, normalize-path/get-space: verify only because the suite's target is unencoded
 *    (`/ሴ`, `/example space/`). A real client sends `/%E1%88%B4`, and non-S3 SigV4 signs
 *    the *sent* path encoded once more; see the "as a real client" tests below.
 *  - get-header-value-multiline: obs-fold continuation lines are joined with a space here;
 *    node's HTTP parser rejects obs-fold with 400, so it never reaches the verifier in the gateway.
 *  - The README names a top-level get-space case; the suite copy has none, so only
 *    normalize-path/get-space is run.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { SIGV4_TEST_SUITE_DIR } from "../../fixtures/sigv4-test-suite.js";
import type { ReceivedRequest } from "../../../local/auth/received-request.js";
import { type KnownCredentials, type VerifyOptions, verifySigV4 } from "../../../local/auth/sigv4-verifier.js";
import { expectFailure } from "./assertions.js";
import { withHeader } from "./signing-client.js";

const SUITE = SIGV4_TEST_SUITE_DIR;
const STS_TOKEN =
  "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";
const EXAMPLE_PRINCIPAL = {
  arn: "arn:aws:sts::123456789012:assumed-role/example/session",
  roleArn: "arn:aws:iam::123456789012:role/example",
  accountId: "123456789012",
  userId: "AROAEXAMPLE:session",
  tokenIssuedAt: new Date("2015-08-30T12:00:00Z"),
  tags: {},
};

interface SuiteCase {
  name: string;
  dir: string;
}

function suiteCases(dir = SUITE, prefix = ""): SuiteCase[] {
  const cases: SuiteCase[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (!statSync(path).isDirectory()) continue;
    const name = prefix + entry;
    if (readdirSync(path).some((file) => file.endsWith(".sreq"))) cases.push({ name, dir: path });
    else cases.push(...suiteCases(path, `${name}/`));
  }
  return cases;
}

function read(c: SuiteCase, extension: string): string {
  return readFileSync(join(c.dir, `${c.name.split("/").pop()}${extension}`), "utf8");
}

/** Parses a suite request file: `METHOD SP target SP HTTP/1.1`, `Name:value` lines, obs-fold, blank line, body. */
function parseSuiteRequest(text: string): ReceivedRequest {
  const blank = text.indexOf("\n\n");
  const head = blank < 0 ? text : text.slice(0, blank);
  const body = blank < 0 ? "" : text.slice(blank + 2);
  const [requestLine, ...lines] = head.split("\n");
  const method = requestLine!.slice(0, requestLine!.indexOf(" "));
  const target = requestLine!.slice(method.length + 1, requestLine!.lastIndexOf(" "));
  const headers: Array<[string, string]> = [];
  for (const line of lines) {
    if (/^\s/.test(line) && headers.length > 0) {
      headers[headers.length - 1]![1] += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(":");
    headers.push([line.slice(0, colon), line.slice(colon + 1)]);
  }
  const queryStart = target.indexOf("?");
  return {
    method,
    rawPath: queryStart < 0 ? target : target.slice(0, queryStart),
    rawQuery: queryStart < 0 ? "" : target.slice(queryStart + 1),
    headers,
    body: Buffer.from(body, "utf8"),
  };
}

function credentialsFor(c: SuiteCase, req: ReceivedRequest): KnownCredentials {
  const token = req.headers.find(([name]) => name.toLowerCase() === "x-amz-security-token")?.[1];
  return {
    accessKeyId: "AKIDEXAMPLE",
    secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    ...(token !== undefined ? { sessionToken: c.name.startsWith("post-sts-token/") ? STS_TOKEN : token } : {}),
    principal: EXAMPLE_PRINCIPAL,
  };
}

function suiteOptions(credentials: KnownCredentials): VerifyOptions {
  return {
    region: "us-east-1",
    service: "service",
    now: new Date("2015-08-30T12:36:00Z"),
    lookup: (id) => (id === credentials.accessKeyId ? credentials : undefined),
  };
}

function receivedFor(c: SuiteCase): ReceivedRequest {
  const req = parseSuiteRequest(read(c, ".sreq"));
  // Upstream slip: this .sreq has get-vanilla's signature; .authz holds the right one.
  if (c.name === "get-vanilla-with-session-token") return withHeader(req, "Authorization", read(c, ".authz").trim());
  return req;
}

function flipLastHexDigit(authorization: string): string {
  const last = authorization.at(-1)!;
  return authorization.slice(0, -1) + (last === "0" ? "1" : "0");
}

describe("local auth: SigV4 verifier against the AWS test suite", () => {
  const cases = suiteCases();

  it("finds all 34 cases of the suite", () => {
    expect(cases).to.have.length(34);
  });

  for (const c of cases) {
    it(`verifies ${c.name}`, async () => {
      const req = receivedFor(c);
      const credentials = credentialsFor(c, req);
      const result = await verifySigV4(req, suiteOptions(credentials));
      if (!result.ok) expect.fail(`${result.error.errorType}: ${JSON.stringify(result.error.body)}`);
    });

    it(`computes the suite's canonical request and string-to-sign for ${c.name}`, async () => {
      const req = receivedFor(c);
      const credentials = credentialsFor(c, req);
      const authorization = req.headers.find(([name]) => name === "Authorization")![1].trim();
      const tampered = withHeader(req, "Authorization", flipLastHexDigit(authorization));
      const message = expectFailure(await verifySigV4(tampered, suiteOptions(credentials)), "InvalidSignatureException", tampered, [credentials]);
      const creq = read(c, ".creq").replace(/^x-amz-security-token:.*$/m, "x-amz-security-token:<redacted>");
      expect(message).to.include(`The Canonical String for this request should have been\n'${creq}'`);
      expect(message).to.include(`The String-to-Sign should have been\n'${read(c, ".sts")}'\n`);
    });
  }

  describe("paths as a real client sends them (encoded), where the suite's unencoded form differs", () => {
    // The suite signs the unencoded path encoded once; a client puts the encoded form on the
    // wire and signs it encoded again, which is what API Gateway checks.
    for (const [name, encodedPath] of [["get-utf8", "/%E1%88%B4"], ["normalize-path/get-space", "/example%20space/"]] as const) {
      it(`rejects ${name} with the suite's signature once the path arrives encoded (${encodedPath})`, async () => {
        const c = cases.find((x) => x.name === name)!;
        const req = { ...receivedFor(c), rawPath: encodedPath };
        const credentials = credentialsFor(c, req);
        const message = expectFailure(await verifySigV4(req, suiteOptions(credentials)), "InvalidSignatureException", req, [credentials]);
        expect(message).to.include(`'GET\n${encodedPath.replace(/%/g, "%25")}\n`);
      });
    }
  });
});
