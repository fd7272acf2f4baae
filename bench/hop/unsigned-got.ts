/**
 * Bench-only stand-in for `lambdas/lib/signed-got.ts`, bundled into the hop baseline's caller in
 * its place: the same got defaults (no redirects, timeout, retries) and the caller's options,
 * without the signing hooks. Everything else in the caller bundle stays as it ships.
 */
import got from "got";
import type { Got } from "got";
import { DEFAULT_RETRY, DEFAULT_TIMEOUT } from "../../lambdas/lib/constants.js";
import type { SignedGotOptions } from "../../lambdas/lib/signed-got.js";

export function createSignedGot(options: SignedGotOptions = {}): Got {
  const { region: _region, service: _service, credentials: _credentials, now: _now, maxBufferedBodyBytes: _max, unsignedPayload: _unsigned, ...gotOptions } = options;
  return got.extend(
    {
      followRedirect: false,
      timeout: { ...DEFAULT_TIMEOUT },
      retry: { ...DEFAULT_RETRY, methods: [...DEFAULT_RETRY.methods], statusCodes: [...DEFAULT_RETRY.statusCodes] },
    },
    gotOptions,
  );
}
