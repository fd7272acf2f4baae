import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { errorResponse, json, parseJsonObject } from "../lib/proxy-response.js";
import { BAD_USER_ID_MESSAGE, isUserId, validateNewUser } from "./contract.js";
import { UserStore } from "./store.js";

const store = new UserStore();

/** The principal API Gateway verified (IAM auth), echoed so that callers can audit who they were. */
function callerHeaders(event: APIGatewayProxyEvent): Record<string, string> {
  const userArn = event.requestContext?.identity?.userArn;
  return userArn ? { "x-caller-arn": userArn } : {};
}

/** The internal users service: `GET /users/{id}` and `POST /users`, behind AWS_IAM. */
export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const caller = callerHeaders(event);
  console.log(JSON.stringify({ msg: "request", route: `${event.httpMethod} ${event.resource}`, caller: caller["x-caller-arn"] ?? null }));

  if (event.httpMethod === "GET" && event.resource === "/users/{id}") {
    const id = event.pathParameters?.id;
    if (!isUserId(id)) return errorResponse(400, BAD_USER_ID_MESSAGE);
    const user = store.get(id);
    return user ? json(200, user, caller) : errorResponse(404, "user not found");
  }
  if (event.httpMethod === "POST" && event.resource === "/users") {
    const body = parseJsonObject(event.body, event.isBase64Encoded);
    if (typeof body === "string") return errorResponse(400, body);
    const fields = validateNewUser(body);
    if (typeof fields === "string") return errorResponse(400, fields);
    return json(201, store.create(fields), caller);
  }
  return errorResponse(404, "route not found");
}
