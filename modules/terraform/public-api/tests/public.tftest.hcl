# The public API: open methods, throttled, gateway responses that leak nothing. Mocked provider.

mock_provider "aws" {
  mock_resource "aws_api_gateway_rest_api" {
    defaults = {
      id               = "p1b2c3d4e5"
      root_resource_id = "r00t000002"
      execution_arn    = "arn:aws:execute-api:eu-west-1:123456789012:p1b2c3d4e5"
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
    { method = "GET", path = "/users/{id}/profile", function = { function_name = "profile", invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:profile/invocations" } },
    { method = "POST", path = "/signup", function = { function_name = "signup", invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:signup/invocations" } },
  ]
}

run "methods_are_open_and_permissions_scoped" {
  command = apply

  assert {
    condition     = tomap(module.routes.method_authorizations) == tomap({ "GET /users/{id}/profile" = "NONE", "POST /signup" = "NONE" })
    error_message = "Public methods are open (NONE)."
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
