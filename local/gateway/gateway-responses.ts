import { type GatewayError, missingAuthenticationToken } from "../auth/api-gateway-errors.js";
import type { GatewayResponseModel, RestApiModel } from "../model.js";

/**
 * API Gateway's own responses (errors it answers without reaching the integration), by response
 * type, and the API's customisations of them (`aws_api_gateway_gateway_response`): the specific
 * type first, then DEFAULT_4XX / DEFAULT_5XX, then AWS's default. The errors themselves are
 * `local/auth/api-gateway-errors.ts`.
 */

export interface HttpAnswer {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** `$context.…` variables a gateway response template may use, matched as whole dotted names. */
const TEMPLATE_VARIABLE = /\$(context\.[A-Za-z0-9_.]+|input\.[A-Za-z0-9_.]+|stageVariables\.[A-Za-z0-9_]+|util\.[A-Za-z0-9_]+)/g;

/** The values a response template may use for one error (without the leading `$`). */
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
