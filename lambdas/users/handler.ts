import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { errorResponse, json, parseJsonObject } from "../lib/proxy-response.js";
import { BAD_USER_ID_MESSAGE, END_USER_HEADER, isUserId, validateUserFields } from "./contract.js";
import { UserStore } from "./store.js";

const store = new UserStore();

/** The principal API Gateway verified (IAM auth), echoed so that callers can audit who they were. */
function callerHeaders(event: APIGatewayProxyEvent): Record<string, string> {
  const userArn = event.requestContext?.identity?.userArn;
  return userArn ? { "x-caller-arn": userArn } : {};
}

/** The end user the calling role says it acts for (header names are case-insensitive). */
function endUserOf(event: APIGatewayProxyEvent): string | undefined {
  const entry = Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === END_USER_HEADER);
  return entry?.[1] ?? undefined;
}

/**
 * The internal users service: `GET /users/{id}` and `PUT /users/{id}`, behind AWS_IAM. It trusts
 * the calling role (API Gateway verified its signature and grant) and logs the end user the role
 * says it acts for; a write must name, in that header, the user it writes.
 */
export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const caller = callerHeaders(event);
  const endUser = endUserOf(event);
  console.log(JSON.stringify({ msg: "request", route: `${event.httpMethod} ${event.resource}`, caller: caller["x-caller-arn"] ?? null, endUser: endUser ?? null }));

  if (event.resource !== "/users/{id}") return errorResponse(404, "route not found");
  const id = event.pathParameters?.id;
  if (!isUserId(id)) return errorResponse(400, BAD_USER_ID_MESSAGE);
  if (event.httpMethod === "GET") {
    const user = store.get(id);
    return user ? json(200, user, caller) : errorResponse(404, "user not found");
  }
  if (event.httpMethod === "PUT") {
    if (endUser !== id) return errorResponse(400, `${END_USER_HEADER} must name the user being written`);
    const body = parseJsonObject(event.body, event.isBase64Encoded);
    if (typeof body === "string") return errorResponse(400, body);
    const fields = validateUserFields(body);
    if (typeof fields === "string") return errorResponse(400, fields);
    return json(200, store.put({ id, ...fields }), caller);
  }
  return errorResponse(404, "route not found");
}
