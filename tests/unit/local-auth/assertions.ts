/** Shared assertions: every failure is a 403 of the expected type that leaks no credential. */
import { expect } from "chai";
import type { ReceivedRequest } from "../../../local/auth/received-request.js";
import type { KnownCredentials, VerifyResult } from "../../../local/auth/sigv4-verifier.js";

export const ERROR_TYPES = [
  "MissingAuthenticationTokenException",
  "IncompleteSignatureException",
  "InvalidSignatureException",
  "UnrecognizedClientException",
  "AccessDeniedException",
];

/** Asserts a failure of `errorType` and that neither the error nor the log reason echoes a secret. */
export function expectFailure(
  result: VerifyResult,
  errorType: string,
  request: ReceivedRequest,
  credentials: KnownCredentials[],
): string {
  if (result.ok) expect.fail(`expected ${errorType}, but the request verified`);
  expect(result.error.statusCode).to.equal(403);
  expect(result.error.errorType).to.equal(errorType);
  expectNoLeak(result, request, credentials);
  return Object.values(result.error.body).join("");
}

export function expectNoLeak(result: VerifyResult, request: ReceivedRequest, credentials: KnownCredentials[]): void {
  if (result.ok) return;
  const visible = JSON.stringify(result.error) + result.reason;
  for (const c of credentials) {
    expect(visible).not.to.include(c.secretAccessKey);
    if (c.sessionToken !== undefined) expect(visible).not.to.include(c.sessionToken);
  }
  for (const [name, value] of request.headers) {
    // Short values (a lone "x") could appear by accident; a real Authorization value cannot.
    if (name.toLowerCase() === "authorization" && value.trim().length >= 12) expect(visible).not.to.include(value.trim());
  }
}
