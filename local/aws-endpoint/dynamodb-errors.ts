/**
 * DynamoDB's error answers, as its JSON protocol writes them: HTTP 400, content type
 * `application/x-amz-json-1.0`, a body `{"__type": "com.amazon.coral.service#<Type>", "message": …}`
 * (AccessDeniedException spells it `Message`), which the AWS SDKs turn into typed errors.
 */
import type { GatewayError } from "../auth/api-gateway-errors.js";

export const DYNAMODB_CONTENT_TYPE = "application/x-amz-json-1.0";
const CORAL = "com.amazon.coral.service#";

export interface DynamoDbError {
  readonly statusCode: number;
  /** `AccessDeniedException`, `UnrecognizedClientException` … */
  readonly errorType: string;
  readonly body: Readonly<Record<string, string>>;
}

/**
 * An IAM denial, worded as AWS words them for DynamoDB:
 * "User: ARN is not authorized to perform: dynamodb:PutItem on resource: TABLE_ARN because no
 * identity-based policy allows the dynamodb:PutItem action".
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
 */
export function dynamoDbAccessDenied(callerArn: string, action: string, resource: string, why: "explicit-deny" | "no-identity-allow" | "no-resource-allow"): DynamoDbError {
  const suffix =
    why === "explicit-deny"
      ? "with an explicit deny in an identity-based policy"
      : why === "no-identity-allow"
        ? `because no identity-based policy allows the ${action} action`
        : `because no resource-based policy allows the ${action} action`;
  return {
    statusCode: 400,
    errorType: "AccessDeniedException",
    body: { __type: `${CORAL}AccessDeniedException`, Message: `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource} ${suffix}` },
  };
}

/**
 * The verifier's authentication errors, as DynamoDB answers them: same type and message as API
 * Gateway's, status 400 (a missing signature reads "Request is missing Authentication Token").
 */
export function dynamoDbAuthenticationError(error: GatewayError): DynamoDbError {
  const message =
    error.errorType === "MissingAuthenticationTokenException"
      ? "Request is missing Authentication Token"
      : error.body.message ?? error.body.Message ?? "";
  return { statusCode: 400, errorType: error.errorType, body: { __type: `${CORAL}${error.errorType}`, message } };
}

/** A request the endpoint understood to be invalid, or an operation it does not serve. */
export function dynamoDbClientError(errorType: string, message: string): DynamoDbError {
  const namespace = errorType === "ValidationException" ? "com.amazon.coral.validate#" : CORAL;
  return { statusCode: 400, errorType, body: { __type: `${namespace}${errorType}`, message } };
}

/**
 * The catch-all's answer for every service the offline mode does not emulate: a clear error, so a
 * function's call never leaves the machine. 501 is not retried by the SDKs.
 */
export function notEmulatedOffline(service: string): DynamoDbError {
  return {
    statusCode: 501,
    errorType: "NotEmulatedOffline",
    body: { __type: "NotEmulatedOffline", message: `not emulated offline: ${service} (the offline mode serves dynamodb only; no call leaves this machine)` },
  };
}
