# The route table: resources, methods, integrations and permissions derived from it, and the
# checks the CDKTF construct makes at synth time (modules/routes.ts). Mocked provider: no AWS.

mock_provider "aws" {}

variables {
  rest_api_id      = "a1b2c3d4e5"
  root_resource_id = "r00t000001"
  execution_arn    = "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5"
  stage_name       = "v1"
  authorization    = "AWS_IAM"
  routes = [
    { method = "GET", path = "/users/{id}", function = { function_name = "users", invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:users/invocations" } },
    { method = "POST", path = "/users", function = { function_name = "users", invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:users/invocations" } },
    { method = "GET", path = "/users/{id}/profile/photo/small", function = { function_name = "photos", invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:photos/invocations" } },
    { method = "GET", path = "/", function = { function_name = "index", invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:index/invocations" } },
  ]
}

run "each_route_gets_a_method_integration_and_permission" {
  command = apply

  assert {
    condition     = keys(aws_api_gateway_method.route) == ["GET /", "GET /users/{id}", "GET /users/{id}/profile/photo/small", "POST /users"]
    error_message = "One method per route, keyed by route."
  }
  assert {
    condition     = alltrue([for method in aws_api_gateway_method.route : method.authorization == "AWS_IAM"])
    error_message = "Every method has the authorization the API decides."
  }
  assert {
    condition     = alltrue([for integration in aws_api_gateway_integration.route : integration.type == "AWS_PROXY" && integration.integration_http_method == "POST"])
    error_message = "Every integration is a Lambda proxy integration."
  }
  assert {
    condition     = aws_api_gateway_method.route["GET /"].resource_id == "r00t000001"
    error_message = "A route on / uses the root resource."
  }
}

run "every_segment_is_a_resource_under_its_parent" {
  command = apply

  assert {
    condition     = keys(aws_api_gateway_resource.level_1) == ["users"] && keys(aws_api_gateway_resource.level_2) == ["users/{id}"] && keys(aws_api_gateway_resource.level_5) == ["users/{id}/profile/photo/small"]
    error_message = "/users/{id}/profile/photo/small needs one resource per segment."
  }
  assert {
    condition     = aws_api_gateway_resource.level_1["users"].parent_id == "r00t000001" && aws_api_gateway_resource.level_2["users/{id}"].parent_id == aws_api_gateway_resource.level_1["users"].id && aws_api_gateway_resource.level_5["users/{id}/profile/photo/small"].parent_id == aws_api_gateway_resource.level_4["users/{id}/profile/photo"].id
    error_message = "Each resource's parent is the one a segment up."
  }
  assert {
    condition     = aws_api_gateway_method.route["GET /users/{id}"].resource_id == aws_api_gateway_resource.level_2["users/{id}"].id
    error_message = "A method sits on its path's resource."
  }
}

run "permissions_name_their_own_route_only" {
  command = apply

  assert {
    condition     = aws_lambda_permission.route["GET /users/{id}"].source_arn == "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/v1/GET/users/*"
    error_message = "A {param} segment is * in the route's ARN, and the permission names exactly that ARN."
  }
  assert {
    condition     = aws_lambda_permission.route["GET /"].source_arn == "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/v1/GET/"
    error_message = "The root route's ARN ends in METHOD/."
  }
  assert {
    condition     = alltrue([for permission in aws_lambda_permission.route : permission.principal == "apigateway.amazonaws.com" && permission.action == "lambda:InvokeFunction"])
    error_message = "Only API Gateway may invoke, and only InvokeFunction."
  }
  assert {
    condition     = output.route_arns["POST /users"] == aws_lambda_permission.route["POST /users"].source_arn
    error_message = "route_arns are the ARNs the permissions name."
  }
}

run "rejects_an_empty_route_table" {
  command = plan
  variables {
    routes = []
  }
  expect_failures = [var.routes]
}

run "rejects_an_unknown_method" {
  command = plan
  variables {
    routes = [{ method = "ANY", path = "/users", function = { function_name = "users", invoke_arn = "arn" } }]
  }
  expect_failures = [var.routes]
}

run "rejects_a_path_without_a_leading_slash" {
  command = plan
  variables {
    routes = [{ method = "GET", path = "users", function = { function_name = "users", invoke_arn = "arn" } }]
  }
  expect_failures = [var.routes]
}

run "rejects_a_trailing_slash" {
  command = plan
  variables {
    routes = [{ method = "GET", path = "/users/", function = { function_name = "users", invoke_arn = "arn" } }]
  }
  expect_failures = [var.routes]
}

run "rejects_an_empty_segment" {
  command = plan
  variables {
    routes = [{ method = "GET", path = "/a//b", function = { function_name = "users", invoke_arn = "arn" } }]
  }
  expect_failures = [var.routes]
}

run "rejects_a_greedy_parameter" {
  command = plan
  variables {
    routes = [{ method = "GET", path = "/users/{proxy+}", function = { function_name = "users", invoke_arn = "arn" } }]
  }
  expect_failures = [var.routes]
}

run "rejects_a_route_declared_twice" {
  command = plan
  variables {
    routes = [
      { method = "GET", path = "/users/{id}", function = { function_name = "users", invoke_arn = "arn" } },
      { method = "GET", path = "/users/{id}", function = { function_name = "other", invoke_arn = "arn" } },
    ]
  }
  expect_failures = [var.routes]
}

run "rejects_a_repeated_path_parameter" {
  command = plan
  variables {
    routes = [{ method = "GET", path = "/a/{id}/b/{id}", function = { function_name = "users", invoke_arn = "arn" } }]
  }
  expect_failures = [var.routes]
}

run "rejects_two_parameter_names_on_one_level" {
  command = plan
  variables {
    routes = [
      { method = "GET", path = "/users/{id}", function = { function_name = "users", invoke_arn = "arn" } },
      { method = "DELETE", path = "/users/{userId}", function = { function_name = "users", invoke_arn = "arn" } },
    ]
  }
  expect_failures = [var.routes]
}

run "rejects_a_path_deeper_than_five_segments" {
  command = plan
  variables {
    routes = [{ method = "GET", path = "/a/b/c/d/e/f", function = { function_name = "users", invoke_arn = "arn" } }]
  }
  expect_failures = [var.routes]
}

run "accepts_one_parameter_name_per_level_across_routes" {
  command = plan
  variables {
    routes = [
      { method = "GET", path = "/users/{id}", function = { function_name = "users", invoke_arn = "arn" } },
      { method = "DELETE", path = "/users/{id}", function = { function_name = "users", invoke_arn = "arn" } },
      { method = "GET", path = "/users/{id}/orders/{orderId}", function = { function_name = "users", invoke_arn = "arn" } },
      { method = "GET", path = "/teams/{teamId}", function = { function_name = "users", invoke_arn = "arn" } },
    ]
  }
}
