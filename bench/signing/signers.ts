import aws4 from "aws4";
import type { Got } from "got";
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

/** Thrown by the last hook to stop got before any socket is opened. */
class StopBeforeSending extends Error {}

/**
 * Our got hook, timed where it runs: inside got's own pipeline, on got's real options (the body
 * already serialized). A hook placed before the signing hook stamps the start, one placed after
 * it stamps the end and stops the request, so got's own work is not counted and no socket opens.
 */
export const gotHook: Signer = {
  name: "our got hook",
  prepare(testCase) {
    let started = 0;
    let elapsed = 0;
    let authorization: unknown;
    const client: Got = createSignedGot({
      credentials: { ...CREDENTIALS },
      region: REGION,
      retry: { limit: 0 },
      hooks: { beforeRequest: [() => void (started = performance.now())] },
    }).extend({
      hooks: {
        beforeRequest: [
          (options) => {
            elapsed = performance.now() - started;
            authorization = options.headers["authorization"];
            throw new StopBeforeSending();
          },
        ],
      },
    });
    const url = `https://${HOSTNAME}${testCase.path}`;
    return async () => {
      elapsed = Number.NaN;
      try {
        await client(url, { method: testCase.method, json: testCase.json });
      } catch (error) {
        if (!(error instanceof Error) || !(error.cause instanceof StopBeforeSending)) throw error;
      }
      expectSigned(this.name, authorization);
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
