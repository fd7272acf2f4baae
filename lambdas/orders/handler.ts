import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { HTTPError } from "got";
import { errorResponse, json, parseJsonObject } from "../lib/proxy-response.js";
import { createSignedGot } from "../lib/signed-got.js";
import { upstreamFailure } from "../lib/upstream-failure.js";
import { BAD_USER_ID_MESSAGE, isUserId, type User } from "../users/contract.js";

// Another service, in its own stack: it reads users through their internal API, signed with its
// own role, which holds exactly GET /users/{id} there (a grant across stacks).
const users = createSignedGot({
  prefixUrl: process.env.USERS_API_URL,
  timeout: { request: Number(process.env.USERS_API_TIMEOUT_MS ?? 3000) },
  retry: { limit: 2 },
});

/** An order as this example keeps it: nothing is stored, the point is the call across stacks. */
export interface Order {
  readonly orderId: string;
  readonly userId: string;
  readonly userName: string;
  readonly item: string;
}

/** `POST /orders` with `{ "userId": "u-1001", "item": "…" }`: checks the user exists, answers the order. */
export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const input = parseJsonObject(event.body, event.isBase64Encoded);
  if (typeof input === "string") return errorResponse(400, input);
  const { userId, item } = input;
  if (!isUserId(userId)) return errorResponse(400, BAD_USER_ID_MESSAGE);
  if (typeof item !== "string" || item.trim().length === 0 || item.length > 100) {
    return errorResponse(400, "item must be a non-empty string of at most 100 characters");
  }
  try {
    const user = await users.get(`users/${encodeURIComponent(userId)}`).json<User>();
    const order: Order = { orderId: `o-${randomUUID()}`, userId: user.id, userName: user.name, item: item.trim() };
    return json(201, order);
  } catch (error) {
    if (error instanceof HTTPError && error.response.statusCode === 404) return errorResponse(422, "no such user");
    return upstreamFailure("users service", error);
  }
}
