import type { ApiGatewayError } from "../auth/api-gateway-errors.js";
import type { GatewayResponseModel, RestApiModel } from "../model.js";

/**
 * API Gateway's own responses (errors it answers without reaching the integration), by response
 * type, and the API's customisations of them (`aws_api_gateway_gateway_response`): the specific
 * type first, then DEFAULT_4XX / DEFAULT_5XX, then AWS's default.
 */

/** Response types the gateway produces, with AWS's default status. */
export const RESPONSE_TYPE_STATUS = {
  MISSING_AUTHENTICATION_TOKEN: 403,
  INVALID_SIGNATURE: 403,
  EXPIRED_TOKEN: 403,
  UNAUTHORIZED: 401,
  ACCESS_DENIED: 403,
  REQUEST_TOO_LARGE: 413,
  THROTTLED: 429,
  INTEGRATION_FAILURE: 504,
  INTEGRATION_TIMEOUT: 504,
  API_CONFIGURATION_ERROR: 500,
  DEFAULT_4XX: 400,
  DEFAULT_5XX: 500,
} as const;

export type ResponseType = keyof typeof RESPONSE_TYPE_STATUS;

/** An error before customisation: its type, AWS's default status, header and body. */
export interface GatewayError {
  readonly responseType: ResponseType;
  readonly statusCode: number;
  /** `x-amzn-ErrorType`. */
  readonly errorType: string;
  readonly body: Readonly<Record<string, string>>;
}

export interface HttpAnswer {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const ERROR_TYPE_TO_RESPONSE_TYPE: Record<string, ResponseType> = {
  MissingAuthenticationTokenException: "MISSING_AUTHENTICATION_TOKEN",
  IncompleteSignatureException: "INVALID_SIGNATURE",
  InvalidSignatureException: "INVALID_SIGNATURE",
  UnrecognizedClientException: "UNAUTHORIZED",
  AccessDeniedException: "ACCESS_DENIED",
};

/** Maps one of the auth module's errors to its gateway response type. */
export function fromAuthError(error: ApiGatewayError): GatewayError {
  const responseType = ERROR_TYPE_TO_RESPONSE_TYPE[error.errorType] ?? "DEFAULT_4XX";
  return { responseType, statusCode: error.statusCode, errorType: error.errorType, body: error.body };
}

export function missingAuthenticationToken(): GatewayError {
  return { responseType: "MISSING_AUTHENTICATION_TOKEN", statusCode: 403, errorType: "MissingAuthenticationTokenException", body: { message: "Missing Authentication Token" } };
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

const TEMPLATE_VARIABLE = /\$(context\.[A-Za-z0-9_.]+|input\.[A-Za-z0-9_.]+|stageVariables\.[A-Za-z0-9_]+|util\.[A-Za-z0-9_]+)/g;

/** Values a response template may use, for one error. */
function templateVariables(error: GatewayError, requestId: string): Record<string, string> {
  const message = error.body.message ?? error.body.Message ?? "";
  return {
    "context.error.message": message,
    "context.error.messageString": JSON.stringify(message),
    "context.error.responseType": error.responseType,
    "context.requestId": requestId,
  };
}

/** Template variables the offline mode does not fill (the loader stops on them). */
export function unsupportedTemplateVariables(template: string): string[] {
  const known = Object.keys(templateVariables(missingAuthenticationToken(), ""));
  return [...template.matchAll(TEMPLATE_VARIABLE)].map((m) => `$${m[1]}`).filter((v) => !known.includes(v.slice(1)));
}

function customisationFor(api: RestApiModel | undefined, error: GatewayError): GatewayResponseModel | undefined {
  if (!api) return undefined;
  const family = error.statusCode >= 500 ? "DEFAULT_5XX" : "DEFAULT_4XX";
  return api.gatewayResponses.get(error.responseType) ?? api.gatewayResponses.get(family);
}

/** Renders an error as the API answers it: its customisation when it has one, else AWS's default. */
export function renderGatewayError(api: RestApiModel | undefined, error: GatewayError, requestId: string): HttpAnswer {
  const custom = customisationFor(api, error);
  const headers: Record<string, string> = { "content-type": "application/json", "x-amzn-ErrorType": error.errorType, ...custom?.headers };
  let body = JSON.stringify(error.body);
  if (custom?.template !== undefined) {
    const values = templateVariables(error, requestId);
    // The pattern takes a whole dotted name, so `$context.error.message` never eats `…messageString`.
    body = custom.template.replace(TEMPLATE_VARIABLE, (whole, name: string) => values[name] ?? whole);
  }
  return { statusCode: custom?.statusCode ?? error.statusCode, headers, body };
}
