import { randomBytes } from "node:crypto";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { errorResponse, json, parseJsonObject } from "../lib/proxy-response.js";
import { BAD_USER_ID_MESSAGE, isUserId, validateNewUser } from "./contract.js";
import { DynamoDbUserStore } from "./dynamodb-store.js";
import { UserExistsError, type UserStore } from "./store.js";

/** The principal API Gateway verified (IAM auth), echoed so that callers can audit who they were. */
function callerHeaders(event: APIGatewayProxyEvent): Record<string, string> {
  const userArn = event.requestContext?.identity?.userArn;
  return userArn ? { "x-caller-arn": userArn } : {};
}

/** A store failure is logged for the operator (name and message, no request data) and answered 500. */
function storeFailure(error: unknown): APIGatewayProxyResult {
  const { name, message } = error instanceof Error ? error : { name: "Error", message: String(error) };
  console.error(JSON.stringify({ msg: "user store failed", error: name, message }));
  return errorResponse(500, "internal error");
}

/** The internal users service, `GET /users/{id}` and `POST /users`, over any {@link UserStore}. */
export function createUsersHandler(store: () => UserStore) {
  return async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const caller = callerHeaders(event);
    console.log(JSON.stringify({ msg: "request", route: `${event.httpMethod} ${event.resource}`, caller: caller["x-caller-arn"] ?? null }));

    if (event.httpMethod === "GET" && event.resource === "/users/{id}") {
      const id = event.pathParameters?.id;
      if (!isUserId(id)) return errorResponse(400, BAD_USER_ID_MESSAGE);
      try {
        const user = await store().get(id);
        return user ? json(200, user, caller) : errorResponse(404, "user not found");
      } catch (error) {
        return storeFailure(error);
      }
    }
    if (event.httpMethod === "POST" && event.resource === "/users") {
      const body = parseJsonObject(event.body, event.isBase64Encoded);
      if (typeof body === "string") return errorResponse(400, body);
      const fields = validateNewUser(body);
      if (typeof fields === "string") return errorResponse(400, fields);
      const user = { ...fields, id: fields.id ?? `u-${randomBytes(6).toString("hex")}` };
      try {
        await store().create(user);
        return json(201, user, caller);
      } catch (error) {
        if (error instanceof UserExistsError) return errorResponse(409, error.message);
        return storeFailure(error);
      }
    }
    return errorResponse(404, "route not found");
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
