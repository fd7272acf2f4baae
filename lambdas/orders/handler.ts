import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { HTTPError } from "got";
import { errorResponse, json, parseJsonObject } from "../lib/proxy-response.js";
import { upstreamFailure } from "../lib/upstream-failure.js";
import { signedInUser } from "../users/signed-in.js";
import { END_USER_HEADER, type User } from "../users/contract.js";
import { createUsersApiClient, userPath } from "../users/client.js";

// Another service, in its own stack: it reads users through their internal API, signed with its
// own role, which holds exactly GET /users/{id} there (a grant across stacks).
const users = createUsersApiClient();

/** An order as this example answers it: nothing is stored, the point is the call across stacks. */
export interface Order {
  readonly orderId: string;
  readonly userId: string;
  readonly userName: string;
  readonly item: string;
}

/**
 * Public `POST /orders` with `{ "item": "…" }`, signed in: the order is the signed-in user's (the
 * `sub` API Gateway verified, never the body), whose record it reads from the users service first.
 */
export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const signedIn = signedInUser(event);
  if ("answer" in signedIn) return signedIn.answer;
  const { user } = signedIn;
  const input = parseJsonObject(event.body, event.isBase64Encoded);
  if (typeof input === "string") return errorResponse(400, input);
  const { item } = input;
  if (typeof item !== "string" || item.trim().length === 0 || item.length > 100) {
    return errorResponse(400, "item must be a non-empty string of at most 100 characters");
  }
  try {
    const record = await users.get(userPath(user.sub), { headers: { [END_USER_HEADER]: user.sub } }).json<User>();
    const order: Order = { orderId: `o-${randomUUID()}`, userId: record.id, userName: record.name, item: item.trim() };
    return json(201, order);
  } catch (error) {
    if (error instanceof HTTPError && error.response.statusCode === 404) return errorResponse(409, "you have no profile yet: PUT /me with your name first");
    return upstreamFailure("users service", error);
  }
}
