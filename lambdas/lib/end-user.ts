import type { APIGatewayProxyEvent } from "aws-lambda";

/**
 * Who the end user is, on a public route behind a `COGNITO_USER_POOLS` authorizer: API Gateway
 * verified the token and put its claims in `requestContext.authorizer.claims`. Only those claims
 * say who called; headers, path and body are the caller's to invent.
 */
export interface EndUser {
  /** The user pool's immutable user id: the users service's user id. */
  readonly sub: string;
  /** The verified email address (ID token claim). */
  readonly email: string | undefined;
}

/** The verified end user, or undefined when the request did not pass a user pool authorizer. */
export function endUserOf(event: APIGatewayProxyEvent): EndUser | undefined {
  const claims = (event.requestContext?.authorizer as { claims?: Record<string, unknown> } | null | undefined)?.claims;
  const sub = claims?.sub;
  if (typeof sub !== "string" || sub === "") return undefined;
  const email = claims?.email;
  return { sub, email: typeof email === "string" && email !== "" ? email : undefined };
}
