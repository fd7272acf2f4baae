# The public API: each route's stated authorization, one user pool authorizer for signed-in
# routes, throttled, gateway responses that leak nothing. Mocked provider.

mock_provider "aws" {
  mock_resource "aws_api_gateway_rest_api" {
    defaults = {
      id               = "p1b2c3d4e5"
      root_resource_id = "r00t000002"
      execution_arn    = "arn:aws:execute-api:eu-west-1:123456789012:p1b2c3d4e5"
    }
  }
  mock_resource "aws_api_gateway_authorizer" {
    defaults = {
      id = "auth01"
    }
  }
  # The provider checks ARNs it is given, so mocked ones must look like ARNs.
  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/apigateway/public/v1/access"
    }
  }
}

variables {
  name = "public"
  routes = [
    { method = "GET", path = "/users/{id}/profile", authorization = "COGNITO_USER_POOLS", function = { function_name = "profile", invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:profile/invocations" } },
    { method = "GET", path = "/health", authorization = "NONE", function = { function_name = "health", invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:health/invocations" } },
  ]
  user_pool_arn         = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Example01"
  authorizer_client_ids = ["exampleclient0000000000001"]
}

run "each_route_has_the_authorization_it_states_and_permissions_are_scoped" {
  command = apply

  assert {
    condition     = tomap(module.routes.method_authorizations) == tomap({ "GET /users/{id}/profile" = "COGNITO_USER_POOLS", "GET /health" = "NONE" })
    error_message = "Each method has the authorization its route states."
  }
  assert {
    condition     = module.routes.authorizer_ids["GET /users/{id}/profile"] == "auth01" && module.routes.authorizer_ids["GET /health"] == null
    error_message = "Signed-in methods use the API's authorizer; open ones none."
  }
  assert {
    condition     = aws_api_gateway_authorizer.this[0].type == "COGNITO_USER_POOLS" && aws_api_gateway_authorizer.this[0].provider_arns == toset(["arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Example01"]) && aws_api_gateway_authorizer.this[0].identity_source == "method.request.header.Authorization"
    error_message = "One COGNITO_USER_POOLS authorizer on the pool, reading the Authorization header."
  }
  assert {
    condition     = aws_api_gateway_authorizer.this[0].identity_validation_expression == "^(exampleclient0000000000001)$"
    error_message = "The authorizer accepts the named app clients' ID tokens only."
  }
  assert {
    condition     = output.route_arns["GET /users/{id}/profile"] == "arn:aws:execute-api:eu-west-1:123456789012:p1b2c3d4e5/v1/GET/users/*/profile"
    error_message = "Each route's ARN (and Lambda permission) names that route only."
  }
}

run "gateway_responses_say_nothing_about_the_backend" {
  command = apply

  assert {
    condition     = aws_api_gateway_gateway_response.missing_authentication_token.status_code == "404" && jsondecode(aws_api_gateway_gateway_response.missing_authentication_token.response_templates["application/json"]) == { message = "Not Found" }
    error_message = "An unknown route is a plain 404, not 'Missing Authentication Token'."
  }
  assert {
    condition     = jsondecode(aws_api_gateway_gateway_response.default_5xx.response_templates["application/json"]) == { message = "Internal server error" }
    error_message = "A gateway failure is a plain 500."
  }
}

run "default_throttling_is_the_constructs" {
  command = plan

  assert {
    condition     = var.throttling_rate_limit == 100 && var.throttling_burst_limit == 200 && var.stage_name == "v1" && var.retention_in_days == 30
    error_message = "Defaults are PublicApi's: 100 requests/s, burst 200, stage v1, 30 days of logs."
  }
}

run "no_authorizer_when_every_route_is_open" {
  command = plan

  variables {
    routes = [
      { method = "GET", path = "/health", authorization = "NONE", function = { function_name = "health", invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:health/invocations" } },
    ]
    user_pool_arn = null
  }

  assert {
    condition     = length(aws_api_gateway_authorizer.this) == 0
    error_message = "An API without signed-in routes has no authorizer."
  }
}

run "a_route_must_state_a_public_authorization" {
  command = plan

  variables {
    routes = [
      { method = "GET", path = "/me", authorization = "AWS_IAM", function = { function_name = "me", invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:me/invocations" } },
    ]
  }
  expect_failures = [var.routes]
}

run "signed_in_routes_need_a_user_pool" {
  command = plan

  variables {
    user_pool_arn = null
  }
  expect_failures = [var.routes]
}
