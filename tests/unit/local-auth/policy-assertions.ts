/** Asserting that a policy is refused when parsed, and where. */
import { expect } from "chai";
import { PolicyError, type PolicyKind, parsePolicyDocument } from "../../../local/auth/iam-policy.js";

/** Parsing `input` must throw a PolicyError at `path` whose message matches `message`. */
export function expectPolicyRejected(input: unknown, kind: PolicyKind, path: string, message: RegExp): void {
  try {
    parsePolicyDocument(input, kind);
  } catch (error) {
    expect(error).to.be.instanceOf(PolicyError);
    expect((error as PolicyError).path).to.equal(path);
    expect((error as PolicyError).message).to.match(message);
    return;
  }
  expect.fail("expected a PolicyError");
}
