import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { errorResponse, json, parseJsonObject } from "../lib/proxy-response.js";
import { BAD_USER_ID_MESSAGE, END_USER_HEADER, isUserId, validateUserFields } from "./contract.js";
import { DynamoDbUserStore } from "./dynamodb-store.js";
import type { UserStore } from "./store.js";

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

/** A store failure is logged for the operator (name and message, no request data) and answered 500. */
function storeFailure(error: unknown): APIGatewayProxyResult {
  const { name, message } = error instanceof Error ? error : { name: "Error", message: String(error) };
  console.error(JSON.stringify({ msg: "user store failed", error: name, message }));
  return errorResponse(500, "internal error");
}

/**
 * The internal users service, `GET /users/{id}` and `PUT /users/{id}` behind AWS_IAM, over any
 * {@link UserStore}. It trusts the calling role (API Gateway verified its signature and grant),
 * logs the end user the role says it acts for, and a write must name, in that header, the user
 * it writes.
 */
export function createUsersHandler(store: () => UserStore) {
  return async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const caller = callerHeaders(event);
    const endUser = endUserOf(event);
    console.log(JSON.stringify({ msg: "request", route: `${event.httpMethod} ${event.resource}`, caller: caller["x-caller-arn"] ?? null, endUser: endUser ?? null }));

    if (event.resource !== "/users/{id}" || (event.httpMethod !== "GET" && event.httpMethod !== "PUT")) {
      return errorResponse(404, "route not found");
    }
    const id = event.pathParameters?.id;
    if (!isUserId(id)) return errorResponse(400, BAD_USER_ID_MESSAGE);
    if (event.httpMethod === "GET") {
      try {
        const user = await store().get(id);
        return user ? json(200, user, caller) : errorResponse(404, "user not found");
      } catch (error) {
        return storeFailure(error);
      }
    }
    if (endUser !== id) return errorResponse(400, `${END_USER_HEADER} must name the user being written`);
    const body = parseJsonObject(event.body, event.isBase64Encoded);
    if (typeof body === "string") return errorResponse(400, body);
    const fields = validateUserFields(body);
    if (typeof fields === "string") return errorResponse(400, fields);
    const user = { id, ...fields };
    try {
      await store().put(user);
      return json(200, user, caller);
    } catch (error) {
      return storeFailure(error);
    }
  };
}

let tableStore: UserStore | undefined;

/** The table's name comes from the function's environment (`USERS_TABLE_NAME`), set by the stack. */
function storeFromEnvironment(): UserStore {
  if (tableStore) return tableStore;
  const tableName = process.env.USERS_TABLE_NAME;
  if (!tableName) throw new Error("USERS_TABLE_NAME is not set");
  return (tableStore = new DynamoDbUserStore(tableName));
}

export const handler = createUsersHandler(storeFromEnvironment);
