import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { HTTPError } from "got";
import { endUserOf } from "../lib/end-user.js";
import { errorResponse, json, parseJsonObject } from "../lib/proxy-response.js";
import { createSignedGot } from "../lib/signed-got.js";
import { upstreamFailure } from "../lib/upstream-failure.js";
import { END_USER_HEADER, isUserId, validateProfileUpdate, type User } from "../users/contract.js";

// Created once per instance. PUT replaces the whole record, so it is safe to retry.
const users = createSignedGot({
  prefixUrl: process.env.USERS_API_URL,
  timeout: { request: Number(process.env.USERS_API_TIMEOUT_MS ?? 3000) },
  retry: { limit: 2 },
});

/**
 * Public `GET /me` and `PUT /me`: the signed-in user's own record. The user id is the `sub` of the
 * token API Gateway verified, never anything in the request; the internal call names it in the
 * path and in the end-user header (granted: GET and PUT /users/{id}).
 */
export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const user = endUserOf(event);
  // Behind the authorizer this cannot happen; a route deployed without it must not serve anyone.
  if (!user) return errorResponse(401, "Unauthorized");
  if (!isUserId(user.sub)) {
    console.error(JSON.stringify({ msg: "the token's sub is not a users service id" }));
    return errorResponse(500, "internal error");
  }
  const path = `users/${encodeURIComponent(user.sub)}`;
  const headers = { [END_USER_HEADER]: user.sub };

  if (event.httpMethod === "GET") {
    try {
      return json(200, await users.get(path, { headers }).json<User>());
    } catch (error) {
      if (error instanceof HTTPError && error.response.statusCode === 404) return errorResponse(404, "you have no profile yet: PUT /me with your name");
      return upstreamFailure("users service", error);
    }
  }
  if (event.httpMethod === "PUT") {
    const body = parseJsonObject(event.body, event.isBase64Encoded);
    if (typeof body === "string") return errorResponse(400, body);
    const update = validateProfileUpdate(body);
    if (typeof update === "string") return errorResponse(400, update);
    if (user.email === undefined) return errorResponse(400, "sign in with an ID token: it carries your email");
    try {
      const saved = await users.put(path, { headers, json: { name: update.name, email: user.email } }).json<User>();
      return json(200, saved);
    } catch (error) {
      if (error instanceof HTTPError && error.response.statusCode === 400) return errorResponse(400, "the users service rejected the request");
      return upstreamFailure("users service", error);
    }
  }
  return errorResponse(405, "method not allowed");
}
