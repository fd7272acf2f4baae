import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { endUserOf, type EndUser } from "../lib/end-user.js";
import { errorResponse } from "../lib/proxy-response.js";
import { isUserId } from "./contract.js";

/**
 * The signed-in caller of a public route, whose `sub` (verified by API Gateway) is their users-service id,
 * or the answer to give instead: 401 when no authorizer ran (a route deployed without one must
 * serve no one), 500 when the token's `sub` is not an id the users service accepts.
 */
export function signedInUser(event: APIGatewayProxyEvent): { readonly user: EndUser } | { readonly answer: APIGatewayProxyResult } {
  const user = endUserOf(event);
  if (!user) return { answer: errorResponse(401, "Unauthorized") };
  if (!isUserId(user.sub)) {
    console.error(JSON.stringify({ msg: "the token's sub is not a users service id" }));
    return { answer: errorResponse(500, "internal error") };
  }
  return { user };
}
