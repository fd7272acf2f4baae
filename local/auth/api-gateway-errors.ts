/**
 * API Gateway's own error answers (the ones it sends without reaching the integration), the one
 * vocabulary the verifier, the evaluator's caller and the gateway share: each error carries its
 * gateway response type (what an `aws_api_gateway_gateway_response` customises), AWS's default
 * status, the `x-amzn-ErrorType` header and the JSON body.
 * Note the casing AWS uses: `message` for signature problems, `Message` for AccessDenied.
 *
 * Nothing here ever receives a secret, a session token or an `Authorization` value, so
 * no error body can leak one.
 */

/**
 * Gateway response types the offline mode produces ("Gateway response types for API Gateway");
 * each error below carries AWS's default status for its type.
 */
export type ResponseType =
  | "MISSING_AUTHENTICATION_TOKEN"
  | "INVALID_SIGNATURE"
  | "EXPIRED_TOKEN"
  | "UNAUTHORIZED"
  | "ACCESS_DENIED"
  | "REQUEST_TOO_LARGE"
  | "THROTTLED"
  | "INTEGRATION_FAILURE"
  | "INTEGRATION_TIMEOUT"
  | "API_CONFIGURATION_ERROR"
  | "DEFAULT_4XX"
  | "DEFAULT_5XX";

/** One API Gateway error, before an API's customisation and before it is written to the socket. */
export interface GatewayError {
  /** The gateway response type an `aws_api_gateway_gateway_response` would customise. */
  readonly responseType: ResponseType;
  readonly statusCode: number;
  /** Value of the `x-amzn-ErrorType` header, e.g. `InvalidSignatureException`. */
  readonly errorType: string;
  /** The JSON body, as an object (`{ message }` or `{ Message }`). */
  readonly body: Readonly<Record<string, string>>;
}

const FORBIDDEN = 403;

/** No `Authorization` header, or no route for this path and method (AWS answers both alike). */
export function missingAuthenticationToken(): GatewayError {
  return { responseType: "MISSING_AUTHENTICATION_TOKEN", statusCode: FORBIDDEN, errorType: "MissingAuthenticationTokenException", body: { message: "Missing Authentication Token" } };
}

/** A malformed `Authorization` header or a missing date header. */
export function incompleteSignature(message: string): GatewayError {
  return { responseType: "INVALID_SIGNATURE", statusCode: FORBIDDEN, errorType: "IncompleteSignatureException", body: { message } };
}

/** Any other signature failure whose wording is given (scope, expiry, body hash). */
export function invalidSignature(message: string): GatewayError {
  return { responseType: "INVALID_SIGNATURE", statusCode: FORBIDDEN, errorType: "InvalidSignatureException", body: { message } };
}

/** The signature does not match: AWS shows what it computed so the caller can diff. */
export function signatureMismatch(canonicalRequest: string, stringToSign: string): GatewayError {
  return invalidSignature(
    "The request signature we calculated does not match the signature you provided. " +
      "Check your AWS Secret Access Key and signing method. Consult the service documentation for details." +
      `\n\nThe Canonical String for this request should have been\n'${canonicalRequest}'` +
      `\n\nThe String-to-Sign should have been\n'${stringToSign}'\n`,
  );
}

/** `X-Amz-Date` is more than 5 minutes before `now`. Dates in SigV4 basic format. */
export function signatureExpired(signedAt: string, earliest: string, now: string): GatewayError {
  return invalidSignature(`Signature expired: ${signedAt} is now earlier than ${earliest} (${now} - 5 min.)`);
}

/** `X-Amz-Date` is more than 5 minutes after `now`. Dates in SigV4 basic format. */
export function signatureNotYetCurrent(signedAt: string, latest: string, now: string): GatewayError {
  return invalidSignature(`Signature not yet current: ${signedAt} is still later than ${latest} (${now} + 5 min.)`);
}

/** Unknown access key, or a session token that is missing, extra or wrong. */
export function unrecognizedClient(): GatewayError {
  return { responseType: "UNAUTHORIZED", statusCode: FORBIDDEN, errorType: "UnrecognizedClientException", body: { message: "The security token included in the request is invalid." } };
}

/**
 * A `COGNITO_USER_POOLS` authorizer refused the request: no token, or one that is malformed,
 * wrongly signed, of another pool or client, or of the wrong kind for the method; an expired
 * token gets its own message (see local/gateway/cognito-authorizer.ts for the AWS sources).
 */
export function userPoolUnauthorized(message: "Unauthorized" | "The incoming token has expired" = "Unauthorized"): GatewayError {
  return { responseType: "UNAUTHORIZED", statusCode: 401, errorType: "UnauthorizedException", body: { message } };
}

/**
 * The caller is authenticated (or anonymous) but IAM does not allow `execute-api:Invoke` here.
 * API Gateway's wording, as its documentation and users' reports show it: "User: … is not
 * authorized to perform: execute-api:Invoke on resource: …", with " with an explicit deny" when a
 * Deny decided ("How do I troubleshoot HTTP 403 Forbidden errors when using a Lambda authorizer",
 * AWS Knowledge Center). The resource ARN's account is masked to its last four digits
 * (`arn:aws:execute-api:us-west-2:********2543:…`, reported in github.com/ASFHyP3/hyp3/issues/2283,
 * 2024; the API Gateway developer guide shows the same masking). No public example shows IAM's
 * newer "because no identity-based policy allows…" suffix on execute-api, so none is added.
 * @param callerArn the session ARN (`arn:aws:sts::ACCT:assumed-role/ROLE/SESSION`), or `anonymous`
 * @param explicitDeny a Deny statement decided, rather than the absence of an Allow
 */
export function accessDenied(callerArn: string, resourceArn: string, explicitDeny: boolean): GatewayError {
  const suffix = explicitDeny ? " with an explicit deny" : "";
  return {
    responseType: "ACCESS_DENIED",
    statusCode: FORBIDDEN,
    errorType: "AccessDeniedException",
    body: { Message: `User: ${callerArn} is not authorized to perform: execute-api:Invoke on resource: ${maskAccount(resourceArn)}${suffix}` },
  };
}

/** `arn:aws:execute-api:REGION:123456789012:…` -> `arn:aws:execute-api:REGION:********9012:…`. */
function maskAccount(arn: string): string {
  return arn.replace(/^(arn:[^:]*:[^:]*:[^:]*:)\d{8}(\d{4}):/, "$1********$2:");
}

export function requestTooLarge(): GatewayError {
  return { responseType: "REQUEST_TOO_LARGE", statusCode: 413, errorType: "RequestTooLargeException", body: { message: "Request Too Long" } };
}

/**
 * The proxy event is over Lambda's 6 MB synchronous payload limit: Lambda refuses the Invoke and
 * API Gateway answers 413 `{"message": "Request Too Long"}` with `x-amzn-ErrorType:
 * BadRequestException` (as observed from a REST API with a Lambda proxy integration:
 * https://github.com/koki-develop/lgtm-generator/issues/10). The event counts, not the body alone:
 * headers, query and a base64-encoded body all add to it.
 */
export function lambdaRequestTooLarge(): GatewayError {
  return { responseType: "REQUEST_TOO_LARGE", statusCode: 413, errorType: "BadRequestException", body: { message: "Request Too Long" } };
}

export function throttled(): GatewayError {
  return { responseType: "THROTTLED", statusCode: 429, errorType: "TooManyRequestsException", body: { message: "Too Many Requests" } };
}

export function integrationTimeout(): GatewayError {
  return { responseType: "INTEGRATION_TIMEOUT", statusCode: 504, errorType: "InternalServerErrorException", body: { message: "Endpoint request timed out" } };
}

/** The function crashed, threw, or returned something that is not a proxy response. */
export function integrationFailure(): GatewayError {
  return { responseType: "DEFAULT_5XX", statusCode: 502, errorType: "InternalServerErrorException", body: { message: "Internal server error" } };
}

/** No Lambda permission lets this API invoke the function (AWS logs "Invalid permissions on Lambda function"). */
export function invalidLambdaPermissions(): GatewayError {
  return { responseType: "API_CONFIGURATION_ERROR", statusCode: 500, errorType: "InternalServerErrorException", body: { message: "Internal server error" } };
}
