# The public API's properties, with a mocked provider (no AWS, no credentials).

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
  routes = {
    "GET /users/{id}/profile" = { function_name = "profile", function_invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:profile/invocations" }
    "POST /signup"            = { function_name = "signup", function_invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:signup/invocations" }
  }
}

run "methods_are_open_and_proxied_to_their_function" {
  command = apply

  assert {
    condition     = alltrue([for method in aws_api_gateway_method.route : method.authorization == "NONE"])
    error_message = "Public methods have authorization NONE."
  }
  assert {
    condition     = aws_api_gateway_integration.route["POST /signup"].type == "AWS_PROXY" && endswith(aws_api_gateway_integration.route["POST /signup"].uri, ":function:signup/invocations")
    error_message = "Each route is a Lambda proxy integration to its own function."
  }
}

run "lambda_permissions_are_scoped_to_their_route" {
  command = apply

  assert {
    condition     = aws_lambda_permission.route["GET /users/{id}/profile"].source_arn == "arn:aws:execute-api:eu-west-1:123456789012:p1b2c3d4e5/v1/GET/users/*/profile"
    error_message = "A Lambda permission must name its own route's ARN."
  }
}

run "gateway_responses_reveal_nothing" {
  command = apply

  assert {
    condition     = aws_api_gateway_gateway_response.missing_authentication_token.status_code == "404" && jsondecode(aws_api_gateway_gateway_response.missing_authentication_token.response_templates["application/json"]).message == "Not Found"
    error_message = "An unknown route must be a plain 404."
  }
  assert {
    condition     = jsondecode(aws_api_gateway_gateway_response.default_5xx.response_templates["application/json"]).message == "Internal server error"
    error_message = "A gateway failure must be a plain 500 message."
  }
}

run "nested_paths_get_a_resource_per_segment" {
  command = apply

  assert {
    condition     = toset(keys(aws_api_gateway_resource.depth_1)) == toset(["users", "signup"]) && keys(aws_api_gateway_resource.depth_3) == ["users/{id}/profile"]
    error_message = "Each path segment needs a resource."
  }
}

run "rejects_a_path_with_an_empty_segment" {
  command = plan

  variables {
    routes = { "GET /users//profile" = { function_name = "profile", function_invoke_arn = "arn" } }
  }

  expect_failures = [var.routes]
}
