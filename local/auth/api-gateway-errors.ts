/**
 * API Gateway's own 403 answers for IAM-authorized methods, shaped as AWS sends them:
 * status 403, an `x-amzn-ErrorType` header naming the exception and a small JSON body.
 * Note the casing AWS uses: `message` for signature problems, `Message` for AccessDenied.
 *
 * Nothing here ever receives a secret, a session token or an `Authorization` value, so
 * no error body can leak one.
 */

/** One API Gateway error response, before it is written to the socket. */
export interface ApiGatewayError {
  statusCode: number;
  /** Value of the `x-amzn-ErrorType` header, e.g. `InvalidSignatureException`. */
  errorType: string;
  /** The JSON body, as an object (`{ message }` or `{ Message }`). */
  body: Record<string, string>;
}

export const MISSING_AUTHENTICATION_TOKEN = "MissingAuthenticationTokenException";
export const INCOMPLETE_SIGNATURE = "IncompleteSignatureException";
export const INVALID_SIGNATURE = "InvalidSignatureException";
export const UNRECOGNIZED_CLIENT = "UnrecognizedClientException";
export const ACCESS_DENIED = "AccessDeniedException";

const FORBIDDEN = 403;

/** No `Authorization` header, or no route for this path and method (AWS answers both alike). */
export function missingAuthenticationToken(): ApiGatewayError {
  return { statusCode: FORBIDDEN, errorType: MISSING_AUTHENTICATION_TOKEN, body: { message: "Missing Authentication Token" } };
}

/** A malformed `Authorization` header or a missing date header. */
export function incompleteSignature(message: string): ApiGatewayError {
  return { statusCode: FORBIDDEN, errorType: INCOMPLETE_SIGNATURE, body: { message } };
}

/** Any other signature failure whose wording is given (scope, expiry, body hash). */
export function invalidSignature(message: string): ApiGatewayError {
  return { statusCode: FORBIDDEN, errorType: INVALID_SIGNATURE, body: { message } };
}

/** The signature does not match: AWS shows what it computed so the caller can diff. */
export function signatureMismatch(canonicalRequest: string, stringToSign: string): ApiGatewayError {
  return invalidSignature(
    "The request signature we calculated does not match the signature you provided. " +
      "Check your AWS Secret Access Key and signing method. Consult the service documentation for details." +
      `\n\nThe Canonical String for this request should have been\n'${canonicalRequest}'` +
      `\n\nThe String-to-Sign should have been\n'${stringToSign}'\n`,
  );
}

/** `X-Amz-Date` is more than 5 minutes before `now`. Dates in SigV4 basic format. */
export function signatureExpired(signedAt: string, earliest: string, now: string): ApiGatewayError {
  return invalidSignature(`Signature expired: ${signedAt} is now earlier than ${earliest} (${now} - 5 min.)`);
}

/** `X-Amz-Date` is more than 5 minutes after `now`. Dates in SigV4 basic format. */
export function signatureNotYetCurrent(signedAt: string, latest: string, now: string): ApiGatewayError {
  return invalidSignature(`Signature not yet current: ${signedAt} is still later than ${latest} (${now} + 5 min.)`);
}

/** Unknown access key, or a session token that is missing, extra or wrong. */
export function unrecognizedClient(): ApiGatewayError {
  return { statusCode: FORBIDDEN, errorType: UNRECOGNIZED_CLIENT, body: { message: "The security token included in the request is invalid." } };
}

/**
 * The caller is authenticated but IAM does not allow `execute-api:Invoke` here.
 * @param callerArn the session ARN (`arn:aws:sts::ACCT:assumed-role/ROLE/SESSION`), or `anonymous`
 * @param explicitDeny a Deny statement decided, rather than the absence of an Allow
 */
export function accessDenied(callerArn: string, resourceArn: string, explicitDeny: boolean): ApiGatewayError {
  const suffix = explicitDeny ? " with an explicit deny" : "";
  return {
    statusCode: FORBIDDEN,
    errorType: ACCESS_DENIED,
    body: { Message: `User: ${callerArn} is not authorized to perform: execute-api:Invoke on resource: ${resourceArn}${suffix}` },
  };
}

/** What the gateway writes: status, headers and the serialized body. */
export interface ApiGatewayErrorResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export function toHttpResponse(error: ApiGatewayError): ApiGatewayErrorResponse {
  return {
    statusCode: error.statusCode,
    headers: { "content-type": "application/json", "x-amzn-ErrorType": error.errorType },
    body: JSON.stringify(error.body),
  };
}
