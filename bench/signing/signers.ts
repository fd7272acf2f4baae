import aws4 from "aws4";
import { Options, type NormalizedOptions } from "got";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { createSignedGot } from "../../lambdas/lib/index.js";
import { CREDENTIALS, HOSTNAME, REGION, SERVICE, type SigningCase } from "./cases.js";

/** Signs one request of a case and returns the milliseconds spent signing only. */
export type TimedSign = () => Promise<number>;

export interface Signer {
  readonly name: string;
  /** Prepares a case (untimed) and returns its timed operation. */
  prepare(testCase: SigningCase): TimedSign;
}

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=/;

function expectSigned(signer: string, authorization: unknown): void {
  if (typeof authorization !== "string" || !AUTHORIZATION.test(authorization)) {
    throw new Error(`${signer} produced no SigV4 Authorization header: the benchmark would time a no-op`);
  }
}

/**
 * Our got hook, called the way got calls it (`await hook(options, { retryCount })`) on a got
 * `Options` built with the signed client's own defaults, in the state got hands it over: the
 * body already serialized and its length set. Timing it inside a live got request would also
 * count whatever got's own microtasks run while the hook awaits.
 */
export const gotHook: Signer = {
  name: "our got hook",
  prepare(testCase) {
    const client = createSignedGot({ credentials: { ...CREDENTIALS }, region: REGION });
    const defaults = client.defaults.options;
    // createSignedGot puts its signing hook last, so that it signs what every other hook did.
    const hook = defaults.hooks.beforeRequest.at(-1)!;
    const url = `https://${HOSTNAME}${testCase.path}`;
    const body = testCase.bodyText;
    const headers = body === undefined ? {} : { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) };
    return async () => {
      const options = new Options(url, { method: testCase.method, body, headers: { ...headers } }, defaults);
      const started = performance.now();
      // A constructed Options is what got normalizes to; the type only says so for hooks.
      await hook(options as NormalizedOptions, { retryCount: 0 });
      const elapsed = performance.now() - started;
      expectSigned(this.name, options.headers["authorization"]);
      return elapsed;
    };
  },
};

/** `@smithy/signature-v4` as a hand-written caller would use it: one signer, one request object per call. */
export const smithyDirect: Signer = {
  name: "@smithy/signature-v4 direct",
  prepare(testCase) {
    const signer = new SignatureV4({
      credentials: { ...CREDENTIALS },
      region: REGION,
      service: SERVICE,
      sha256: Hash.bind(null, "sha256"),
      applyChecksum: false,
    });
    return async () => {
      const request = new HttpRequest({
        method: testCase.method,
        protocol: "https:",
        hostname: HOSTNAME,
        path: testCase.path,
        headers: {
          host: HOSTNAME,
          ...(testCase.bodyText === undefined ? {} : { "content-type": "application/json", "content-length": String(Buffer.byteLength(testCase.bodyText)) }),
        },
        body: testCase.bodyText,
      });
      const started = performance.now();
      const signed = await signer.sign(request, { signingDate: new Date() });
      const elapsed = performance.now() - started;
      expectSigned(this.name, signed.headers["authorization"]);
      return elapsed;
    };
  },
};

/** `aws4`, the long-standing signer many got/axios integrations use. */
export const aws4Direct: Signer = {
  name: "aws4",
  prepare(testCase) {
    const credentials = { ...CREDENTIALS };
    return async () => {
      const request: aws4.Request = {
        host: HOSTNAME,
        method: testCase.method,
        path: testCase.path,
        service: SERVICE,
        region: REGION,
        headers: testCase.bodyText === undefined ? {} : { "content-type": "application/json" },
        body: testCase.bodyText,
      };
      const started = performance.now();
      const signed = aws4.sign(request, credentials);
      const elapsed = performance.now() - started;
      expectSigned(this.name, signed.headers?.["Authorization"]);
      return elapsed;
    };
  },
};

export const SIGNERS: readonly Signer[] = [gotHook, smithyDirect, aws4Direct];
