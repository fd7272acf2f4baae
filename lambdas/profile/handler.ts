import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { HTTPError } from "got";
import { errorResponse, json } from "../lib/proxy-response.js";
import { upstreamFailure } from "../lib/upstream-failure.js";
import { BAD_USER_ID_MESSAGE, isUserId, publicProfile, type User } from "../users/contract.js";
import { createUsersApiClient, userPath } from "../users/client.js";

// Created once per instance: warm invocations reuse its connections and credentials.
const users = createUsersApiClient();

/** Public `GET /users/{id}/profile`: reads the user from the internal users API, returns public fields only. */
export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const id = event.pathParameters?.id;
  if (!isUserId(id)) return errorResponse(400, BAD_USER_ID_MESSAGE);
  try {
    const user = await users.get(userPath(id)).json<User>();
    return json(200, publicProfile(user));
  } catch (error) {
    if (error instanceof HTTPError && error.response.statusCode === 404) return errorResponse(404, "user not found");
    return upstreamFailure("users service", error);
  }
}
