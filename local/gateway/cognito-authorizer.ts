import { createLocalJWKSet, decodeJwt, errors, jwtVerify, type JSONWebKeySet, type JWTPayload } from "jose";
import type { CognitoAuthorizerModel, MethodModel, UserPoolModel } from "../model.js";
import { userPoolUnauthorized, type GatewayError } from "../auth/api-gateway-errors.js";

/**
 * A `COGNITO_USER_POOLS` authorizer, as API Gateway enforces it on a REST API method:
 *
 * - the token is the whole value of the identity-source header (no `Bearer ` prefix);
 * - it must be signed (RS256) by a key of one of the authorizer's pools, with that pool's `iss`,
 *   and not expired (no clock tolerance);
 * - a method without scopes takes ID tokens; a method with scopes takes access tokens whose
 *   `scope` holds one of them ("If there are no additional scopes configured on the API Gateway
 *   method, make sure that you're using a valid ID token. If additional scopes are configured [...]
 *   confirm that you're using a valid access token", AWS Knowledge Center, "How do I troubleshoot
 *   401 Unauthorized errors from an API Gateway REST API endpoint after I've set up an Amazon
 *   Cognito user pool?", https://repost.aws/knowledge-center/api-gateway-cognito-401-unauthorized);
 * - with an `identity_validation_expression`, the ID token's `aud` must match it ("For
 *   COGNITO_USER_POOLS authorizers, API Gateway will match the aud field of the incoming token
 *   [...] Otherwise, it will return a 401 Unauthorized response", API Gateway API Reference,
 *   "Authorizer", https://docs.aws.amazon.com/apigateway/latest/api/API_Authorizer.html).
 *
 * Every refusal is 401 with `x-amzn-ErrorType: UnauthorizedException` and the UNAUTHORIZED
 * gateway response: `{"message":"Unauthorized"}`, except an expired token, which API Gateway
 * answers with `{"message":"The incoming token has expired"}` (same status and type).
 */

/** What the function receives in `requestContext.authorizer.claims`. */
export type DeliveredClaims = Record<string, string>;

export type CognitoVerdict =
  | { readonly ok: true; readonly claims: DeliveredClaims; readonly sub: string }
  | { readonly ok: false; readonly error: GatewayError; readonly reason: string };

const refuse = (reason: string, message?: "The incoming token has expired"): CognitoVerdict => ({ ok: false, error: userPoolUnauthorized(message), reason });

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `Wed May 01 13:10:22 UTC 2024`: how API Gateway renders `exp` and `iat` in the claims it delivers. */
export function claimDate(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/**
 * Claims as a REST API delivers them to a Lambda proxy integration: every value a string,
 * `exp` and `iat` as dates, other numbers and booleans as their text (`"auth_time": "1714565422"`,
 * `"email_verified": "true"`). Arrays and objects (which the local issuer never mints) as JSON.
 */
export function deliveredClaims(payload: JWTPayload): DeliveredClaims {
  const claims: DeliveredClaims = {};
  for (const [name, value] of Object.entries(payload)) {
    if ((name === "exp" || name === "iat") && typeof value === "number") claims[name] = claimDate(value);
    else if (typeof value === "string") claims[name] = value;
    else if (typeof value === "number" || typeof value === "boolean") claims[name] = String(value);
    else claims[name] = JSON.stringify(value);
  }
  return claims;
}

/** The header's single value; API Gateway treats an absent or empty identity source as no token. */
function tokenFrom(headers: ReadonlyArray<readonly [string, string]>, name: string): string | undefined {
  const value = headers.findLast(([header]) => header.toLowerCase() === name)?.[1];
  return value === undefined || value.trim() === "" ? undefined : value;
}

/** jose's key set imports each public key once; kept per JWKS object so no request imports it again. */
const keySets = new WeakMap<JSONWebKeySet, ReturnType<typeof createLocalJWKSet>>();
function keySetOf(jwks: JSONWebKeySet): ReturnType<typeof createLocalJWKSet> {
  let keySet = keySets.get(jwks);
  if (!keySet) keySets.set(jwks, (keySet = createLocalJWKSet(jwks)));
  return keySet;
}

/** Decides one request on a COGNITO_USER_POOLS method. `jwksOf` gives each pool's published keys. */
export async function authorizeCognitoRequest(
  headers: ReadonlyArray<readonly [string, string]>,
  method: Pick<MethodModel, "scopes"> & { readonly authorizer: CognitoAuthorizerModel },
  jwksOf: (pool: UserPoolModel) => JSONWebKeySet | undefined,
  now: Date,
): Promise<CognitoVerdict> {
  const { authorizer } = method;
  const token = tokenFrom(headers, authorizer.tokenHeader);
  if (token === undefined) return refuse(`no ${authorizer.tokenHeader} header`);

  let unverified: JWTPayload;
  try {
    unverified = decodeJwt(token);
  } catch {
    return refuse("the token is not a JWT");
  }
  const pool = authorizer.userPools.find((p) => p.issuer === unverified.iss);
  if (!pool) return refuse(`the token was issued by ${typeof unverified.iss === "string" ? unverified.iss : "no issuer"}, not by a pool of ${authorizer.address}`);
  const jwks = jwksOf(pool);
  if (!jwks) return refuse(`no keys for pool ${pool.id}`);

  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keySetOf(jwks), { issuer: pool.issuer, algorithms: ["RS256"], currentDate: now, requiredClaims: ["exp", "sub", "token_use"] }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) return refuse("the token has expired", "The incoming token has expired");
    const code = error instanceof errors.JOSEError ? error.code : "ERR_UNKNOWN";
    return refuse(`the token does not verify against pool ${pool.id} (${code})`);
  }

  const scopes = method.scopes ?? [];
  if (scopes.length === 0) {
    if (payload.token_use !== "id") return refuse(`the method takes ID tokens; this is token_use '${String(payload.token_use)}'`);
    if (authorizer.audiencePattern && !(typeof payload.aud === "string" && authorizer.audiencePattern.test(payload.aud))) {
      return refuse(`the token's aud does not match ${authorizer.address}'s identity_validation_expression (another app client)`);
    }
  } else {
    if (payload.token_use !== "access") return refuse(`the method has scopes and takes access tokens; this is token_use '${String(payload.token_use)}'`);
    const granted = typeof payload.scope === "string" ? payload.scope.split(" ") : [];
    if (!scopes.some((s) => granted.includes(s))) return refuse(`the access token holds none of the method's scopes (${scopes.join(", ")})`);
  }
  return { ok: true, claims: deliveredClaims(payload), sub: String(payload.sub) };
}
