import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { HTTPError } from "got";
import { errorResponse, json, parseJsonObject } from "../lib/proxy-response.js";
import { headerValues } from "../lib/request-headers.js";
import { upstreamFailure } from "../lib/upstream-failure.js";
import { signedInUser } from "../users/signed-in.js";
import { CREATE_ONLY, END_USER_HEADER, IF_MATCH_HEADER, IF_NONE_MATCH_HEADER, userExistsMessage, validateProfileUpdate, writeModeOf, type User } from "../users/contract.js";
import { createUsersApiClient, userPath } from "../users/client.js";

// Created once per instance. A plain PUT replaces the whole record, so it is safe to retry.
const users = createUsersApiClient();

/**
 * Public `GET /me` and `PUT /me`: the signed-in user's own record. The user id is the `sub` of the
 * token API Gateway verified, never anything in the request; the internal call names it in the
 * path and in the end-user header (granted: GET and PUT /users/{id}). `PUT /me` with
 * `If-None-Match: *` only creates: the precondition goes to the users service, and its 409 (the
 * record exists) comes back as 409.
 */
export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const signedIn = signedInUser(event);
  if ("answer" in signedIn) return signedIn.answer;
  const { user } = signedIn;
  const path = userPath(user.sub);
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
    // Validated as the users service validates it, so a bad precondition never makes a call.
    const mode = writeModeOf(headerValues(event, IF_NONE_MATCH_HEADER), headerValues(event, IF_MATCH_HEADER));
    if (typeof mode === "object") return errorResponse(400, mode.refused);
    const body = parseJsonObject(event.body, event.isBase64Encoded);
    if (typeof body === "string") return errorResponse(400, body);
    const update = validateProfileUpdate(body);
    if (typeof update === "string") return errorResponse(400, update);
    if (user.email === undefined) return errorResponse(400, "sign in with an ID token: it carries your email");
    const createOnly = mode === "create";
    try {
      const saved = await users
        .put(path, {
          headers: createOnly ? { ...headers, [IF_NONE_MATCH_HEADER]: CREATE_ONLY } : headers,
          json: { name: update.name, email: user.email },
          // A retried create whose first attempt wrote (its answer lost) would answer a false 409.
          ...(createOnly ? { retry: { limit: 0 } } : {}),
        })
        .json<User>();
      return json(createOnly ? 201 : 200, saved);
    } catch (error) {
      if (error instanceof HTTPError && error.response.statusCode === 400) return errorResponse(400, "the users service rejected the request");
      // The one upstream answer passed on: its message is the contract's, rebuilt here, never read from the body.
      if (createOnly && error instanceof HTTPError && error.response.statusCode === 409) return errorResponse(409, userExistsMessage(user.sub));
      return upstreamFailure("users service", error);
    }
  }
  return errorResponse(405, "method not allowed");
}
