import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { errorResponse, json, parseJsonObject } from "../lib/proxy-response.js";
import { headerValues } from "../lib/request-headers.js";
import { BAD_USER_ID_MESSAGE, END_USER_HEADER, IF_MATCH_HEADER, IF_NONE_MATCH_HEADER, isUserId, userExistsMessage, validateUserFields, writeModeOf } from "./contract.js";
import { DynamoDbUserStore } from "./dynamodb-store.js";
import { UserExistsError, type UserStore } from "./store.js";

/** The principal API Gateway verified (IAM auth), echoed so that callers can audit who they were. */
function callerHeaders(event: APIGatewayProxyEvent): Record<string, string> {
  const userArn = event.requestContext?.identity?.userArn;
  return userArn ? { "x-caller-arn": userArn } : {};
}

/** The end user the calling role says it acts for (header names are case-insensitive). */
function claimedEndUserOf(event: APIGatewayProxyEvent): string | undefined {
  return headerValues(event, END_USER_HEADER).at(-1);
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
 * it writes. A PUT creates or replaces; with `If-None-Match: *` it only creates (201), and an
 * existing record answers 409 (why not 412: `userExistsMessage` in the contract).
 */
export function createUsersHandler(store: () => UserStore) {
  return async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const caller = callerHeaders(event);
    const endUser = claimedEndUserOf(event);
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
    const mode = writeModeOf(headerValues(event, IF_NONE_MATCH_HEADER), headerValues(event, IF_MATCH_HEADER));
    if (typeof mode === "object") return errorResponse(400, mode.refused);
    const body = parseJsonObject(event.body, event.isBase64Encoded);
    if (typeof body === "string") return errorResponse(400, body);
    const fields = validateUserFields(body);
    if (typeof fields === "string") return errorResponse(400, fields);
    const user = { id, ...fields };
    try {
      if (mode === "create") {
        await store().create(user);
        return json(201, user, caller);
      }
      await store().put(user);
      return json(200, user, caller);
    } catch (error) {
      if (error instanceof UserExistsError) return errorResponse(409, userExistsMessage(id));
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
