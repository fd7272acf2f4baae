import type { SignedGotOptions } from "../../../../lambdas/lib/index.js";

export const SECRET = "test-secret-key-never-logged/0123456789";
export const SESSION_TOKEN = "test-session-token-never-logged";
export const CREDENTIALS = { accessKeyId: "AKIDTEST", secretAccessKey: SECRET, sessionToken: SESSION_TOKEN };
/** 2026-01-02T03:04:05Z: every test signs with a fixed clock unless it moves it. */
export const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);

/** Options for a client that signs for `us-east-1`/`execute-api` with the test credentials and a fixed clock; no retry delay. */
export function testOptions(overrides: SignedGotOptions = {}): SignedGotOptions {
  return {
    region: "us-east-1",
    credentials: CREDENTIALS,
    now: () => T0,
    retry: { limit: 2, backoffLimit: 1, noise: 0 },
    ...overrides,
  };
}
