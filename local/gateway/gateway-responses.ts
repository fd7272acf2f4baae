import { type GatewayError, TEMPLATE_VARIABLE, templateVariables } from "../auth/api-gateway-errors.js";
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
