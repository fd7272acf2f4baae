import { randomBytes } from "node:crypto";
import { decodeJwt, generateKeyPair, SignJWT } from "jose";

/** A signed-in end user of the target's user pool. */
export interface E2eUser {
  readonly sub: string;
  readonly email: string;
  readonly idToken: string;
  readonly accessToken: string;
}

/** The target's user pool, as the cases use it. */
export interface E2eUserPool {
  /** `https://cognito-idp.<region>.amazonaws.com/<pool id>`. */
  readonly issuer: string;
  /** Signs in a new user (a throwaway one on AWS, deleted by `close`). */
  signIn(label: string): Promise<E2eUser>;
  /** An ID token of this user that has already expired, or why the target cannot make one. */
  expiredIdToken(user: E2eUser): Promise<string | { readonly skip: string }>;
  /** Deletes what `signIn` created. */
  close(): Promise<void>;
}

/** A fresh address per run, so cases never meet each other's records. */
export function throwawayEmail(label: string): string {
  return `sia-e2e-${label}-${randomBytes(5).toString("hex")}@example.com`;
}

/**
 * A token of another user pool: the same claims as `user`'s ID token, but issued and signed by a
 * pool the API does not trust (its own fresh key). Both targets must refuse it.
 */
export async function otherPoolToken(user: E2eUser, issuer: string): Promise<string> {
  const other = issuer.replace(/[^/]+$/, (poolId) => `${poolId.split("_")[0]}_OtherPool0`);
  const { privateKey } = await generateKeyPair("RS256");
  return new SignJWT({ ...decodeJwt(user.idToken), iss: other }).setProtectedHeader({ alg: "RS256", kid: "other-pool-key" }).sign(privateKey);
}
