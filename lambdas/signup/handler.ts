import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { HTTPError } from "got";
import { errorResponse, json, parseJsonObject } from "../lib/proxy-response.js";
import { createSignedGot } from "../lib/signed-got.js";
import { upstreamFailure } from "../lib/upstream-failure.js";
import { publicProfile, validateNewUser, type User } from "../users/contract.js";

// Created once per instance. No retries: POST is not idempotent.
const users = createSignedGot({
  prefixUrl: process.env.USERS_API_URL,
  timeout: { request: Number(process.env.USERS_API_TIMEOUT_MS ?? 3000) },
  retry: { limit: 0 },
});

/** Public `POST /signup`: creates a user through the internal users API (granted `POST /users` only). */
export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const body = parseJsonObject(event.body, event.isBase64Encoded);
  if (typeof body === "string") return errorResponse(400, body);
  const fields = validateNewUser(body);
  if (typeof fields === "string") return errorResponse(400, fields);
  try {
    const user = await users.post("users", { json: fields }).json<User>();
    return json(201, publicProfile(user));
  } catch (error) {
    if (error instanceof HTTPError && error.response.statusCode === 400) return errorResponse(400, "the users service rejected the request");
    if (error instanceof HTTPError && error.response.statusCode === 409) return errorResponse(409, `user ${fields.id ?? "(new id)"} already exists`);
    return upstreamFailure("users service", error);
  }
}
