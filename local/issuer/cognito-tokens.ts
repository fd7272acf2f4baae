import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import type { PoolKey } from "./issuer-keys.js";
import type { PoolUser } from "./local-users.js";

/**
 * Tokens shaped like the ones Cognito issues after a sign-in (Amazon Cognito developer guide,
 * "Understanding the identity (ID) token" and "Understanding the access token"): RS256 with the
 * pool key's `kid`, the same claim names and types.
 */

export type TokenUse = "id" | "access";

/** What Cognito's SRP sign-in grants an access token when no custom scope is asked for. */
const DEFAULT_ACCESS_SCOPE = "aws.cognito.signin.user.admin";

export interface TokenRequest {
  readonly issuer: string;
  readonly clientId: string;
  readonly user: PoolUser;
  readonly use: TokenUse;
  readonly lifetimeSeconds: number;
  /** Access tokens only. @default [DEFAULT_ACCESS_SCOPE] */
  readonly scopes?: readonly string[];
  /** @default now */
  readonly issuedAt?: Date;
}

export async function mintCognitoToken(key: PoolKey, request: TokenRequest): Promise<string> {
  const iat = Math.floor((request.issuedAt ?? new Date()).getTime() / 1000);
  // One sign-in: the same origin_jti and event_id would be shared by its ID and access tokens.
  const common = {
    sub: request.user.sub,
    origin_jti: randomUUID(),
    event_id: randomUUID(),
    token_use: request.use,
    auth_time: iat,
    jti: randomUUID(),
  };
  // With email sign-in Cognito's username is an id, not the address; locally it is the sub.
  const claims =
    request.use === "id"
      ? { ...common, aud: request.clientId, "cognito:username": request.user.sub, email: request.user.email, email_verified: true }
      : { ...common, client_id: request.clientId, scope: (request.scopes ?? [DEFAULT_ACCESS_SCOPE]).join(" "), username: request.user.sub };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", kid: key.kid })
    .setIssuer(request.issuer)
    .setIssuedAt(iat)
    .setExpirationTime(iat + request.lifetimeSeconds)
    .sign(key.privateKey);
}
