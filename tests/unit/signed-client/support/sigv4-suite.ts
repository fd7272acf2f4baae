import { createHash, createHmac } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

import { SIGV4_TEST_SUITE_DIR } from "../../../fixtures/sigv4-test-suite.js";

/** The AWS SigV4 test suite (see its README). */
export const SUITE_DIR = SIGV4_TEST_SUITE_DIR;
export const SUITE_CREDENTIALS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
export const SUITE_REGION = "us-east-1";
export const SUITE_SERVICE = "service";
export const SUITE_TIME = Date.UTC(2015, 7, 30, 12, 36, 0);

export interface SuiteRequest {
  readonly method: string;
  /** Raw and unencoded, as in the file. */
  readonly target: string;
  /** In file order; a repeated name is a repeated header; folded lines are joined with a space. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: string;
}

export interface SuiteCase {
  /** e.g. `normalize-path/get-space` */
  readonly name: string;
  readonly request: SuiteRequest;
  readonly creq: string;
  readonly authz: string;
}

export function loadSuite(dir = SUITE_DIR): SuiteCase[] {
  const cases: SuiteCase[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (!statSync(path).isDirectory()) continue;
    const req = join(path, `${entry}.req`);
    try {
      statSync(req);
    } catch {
      cases.push(...loadSuite(path).map((nested) => ({ ...nested, name: `${entry}/${nested.name}` })));
      continue;
    }
    const read = (extension: string) => readFileSync(join(path, `${entry}.${extension}`), "utf8");
    cases.push({ name: entry, request: parseRequest(read("req")), creq: read("creq"), authz: read("authz") });
  }
  return cases;
}

export function parseRequest(text: string): SuiteRequest {
  const blank = text.indexOf("\n\n");
  const head = blank === -1 ? text : text.slice(0, blank);
  const body = blank === -1 ? "" : text.slice(blank + 2);
  const [requestLine = "", ...lines] = head.split("\n");
  const method = requestLine.slice(0, requestLine.indexOf(" "));
  const target = requestLine.slice(method.length + 1, requestLine.lastIndexOf(" HTTP/"));
  const headers: Array<[string, string]> = [];
  for (const line of lines) {
    if (/^[ \t]/.test(line) && headers.length > 0) {
      headers.at(-1)![1] += ` ${line}`; // obs-fold: the continuation belongs to the previous value
    } else if (line !== "") {
      const colon = line.indexOf(":");
      headers.push([line.slice(0, colon), line.slice(colon + 1)]);
    }
  }
  return { method, target, headers, body };
}

/**
 * An independent SigV4 signer for the suite's fixed scope, written from the spec with
 * node:crypto only: it turns a canonical request into the `Authorization` value, so a test can
 * state the canonical request it expects and check the signature the client sent against it.
 */
export function authorizationFor(canonicalRequest: string): string {
  const date = "20150830";
  const scope = `${date}/${SUITE_REGION}/${SUITE_SERVICE}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", "20150830T123600Z", scope, createHash("sha256").update(canonicalRequest).digest("hex")].join("\n");
  let key: Buffer = createHmac("sha256", `AWS4${SUITE_CREDENTIALS.secretAccessKey}`).update(date).digest();
  for (const part of [SUITE_REGION, SUITE_SERVICE, "aws4_request"]) key = createHmac("sha256", key).update(part).digest();
  const signature = createHmac("sha256", key).update(stringToSign).digest("hex");
  const lines = canonicalRequest.split("\n");
  const signedHeaders = lines.at(-2);
  return `AWS4-HMAC-SHA256 Credential=${SUITE_CREDENTIALS.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}
