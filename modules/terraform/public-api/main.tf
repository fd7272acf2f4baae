resource "aws_api_gateway_rest_api" "this" {
  name        = var.name
  description = var.description

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  tags = var.tags
}

# One authorizer for every signed-in route, only when there is one (API Gateway refuses an
# authorizer no method uses at deploy).
# https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-integrate-with-cognito.html
resource "aws_api_gateway_authorizer" "this" {
  count = anytrue([for route in var.routes : route.authorization == "COGNITO_USER_POOLS"]) ? 1 : 0

  name            = "${var.name}-users"
  rest_api_id     = aws_api_gateway_rest_api.this.id
  type            = "COGNITO_USER_POOLS"
  provider_arns   = [var.user_pool_arn]
  identity_source = "method.request.header.Authorization"
  # "For COGNITO_USER_POOLS authorizers, API Gateway will match the aud field of the incoming
  # token against the specified regular expression."
  # https://docs.aws.amazon.com/apigateway/latest/api/API_Authorizer.html
  identity_validation_expression = length(var.authorizer_client_ids) > 0 ? "^(${join("|", var.authorizer_client_ids)})$" : null
}

module "routes" {
  source = "../lambda-routes"

  rest_api_id      = aws_api_gateway_rest_api.this.id
  root_resource_id = aws_api_gateway_rest_api.this.root_resource_id
  execution_arn    = aws_api_gateway_rest_api.this.execution_arn
  stage_name       = var.stage_name
  routes           = var.routes

  lambda_policy_budget_bytes = var.lambda_policy_budget_bytes
  resources_per_api_quota    = var.resources_per_api_quota
  # Each route states its own authorization.
  authorizer_id = one(aws_api_gateway_authorizer.this[*].id)
}

# API Gateway's own error responses, rewritten so that they say nothing about what is behind the
# API: an unknown route is a plain 404 (not "Missing Authentication Token"), a failure a plain 500.
# https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
resource "aws_api_gateway_gateway_response" "missing_authentication_token" {
  rest_api_id   = aws_api_gateway_rest_api.this.id
  response_type = "MISSING_AUTHENTICATION_TOKEN"
  status_code   = "404"

  response_templates = {
    "application/json" = jsonencode({ message = "Not Found" })
  }
}

resource "aws_api_gateway_gateway_response" "default_5xx" {
  rest_api_id   = aws_api_gateway_rest_api.this.id
  response_type = "DEFAULT_5XX"

  response_templates = {
    "application/json" = jsonencode({ message = "Internal server error" })
  }
}

resource "aws_api_gateway_gateway_response" "default_4xx" {
  rest_api_id   = aws_api_gateway_rest_api.this.id
  response_type = "DEFAULT_4XX"

  # API Gateway's own 4xx message (e.g. "Too Many Requests") is safe to show. A mapping template
  # with a $context variable, not JSON, so it cannot be jsonencode()d.
  response_templates = {
    "application/json" = "{\"message\":$context.error.messageString}"
  }
}

module "stage" {
  source = "../api-stage"

  rest_api_id   = aws_api_gateway_rest_api.this.id
  rest_api_name = aws_api_gateway_rest_api.this.name
  stage_name    = var.stage_name
  redeployment_fingerprint = jsonencode({
    routes     = module.routes.fingerprint
    authorizer = [for a in aws_api_gateway_authorizer.this : { providers = a.provider_arns, clients = a.identity_validation_expression }]
    gateway_responses = [
      for response in [
        aws_api_gateway_gateway_response.missing_authentication_token,
        aws_api_gateway_gateway_response.default_5xx,
        aws_api_gateway_gateway_response.default_4xx,
      ] : { response_type = response.response_type, status_code = response.status_code, response_templates = response.response_templates }
    ]
  })
  throttling_rate_limit  = var.throttling_rate_limit
  throttling_burst_limit = var.throttling_burst_limit
  retention_in_days      = var.retention_in_days
  tags                   = var.tags

  # The deployment must see every method, integration and gateway response.
  depends_on = [
    module.routes,
    aws_api_gateway_authorizer.this,
    aws_api_gateway_gateway_response.missing_authentication_token,
    aws_api_gateway_gateway_response.default_5xx,
    aws_api_gateway_gateway_response.default_4xx,
  ]
}
