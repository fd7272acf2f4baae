# The internal API's security properties, with a mocked provider (no AWS, no credentials).

mock_provider "aws" {
  mock_resource "aws_api_gateway_rest_api" {
    defaults = {
      id               = "a1b2c3d4e5"
      root_resource_id = "r00t000001"
      execution_arn    = "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5"
    }
  }
  # The provider checks ARNs it is given, so mocked ones must look like ARNs.
  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/apigateway/users-internal/v1/access"
    }
  }
}

variables {
  name = "users-internal"
  routes = {
    "GET /users/{id}" = {
      function_name       = "users"
      function_invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:users/invocations"
    }
    "POST /users" = {
      function_name       = "users"
      function_invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:users/invocations"
    }
  }
  grants = {
    profile = { role_name = "profile-role", routes = ["GET /users/{id}"] }
    signup  = { role_name = "signup-role", routes = ["POST /users"] }
  }
}

run "every_method_is_aws_iam" {
  command = apply

  assert {
    condition     = length(aws_api_gateway_method.route) == 2
    error_message = "Expected one method per route."
  }
  assert {
    condition     = alltrue([for method in aws_api_gateway_method.route : method.authorization == "AWS_IAM"])
    error_message = "Every method of an internal API must be AWS_IAM."
  }
  assert {
    condition     = aws_api_gateway_method.route["GET /users/{id}"].http_method == "GET" && aws_api_gateway_method.route["POST /users"].http_method == "POST"
    error_message = "Each method must use its route's HTTP method."
  }
}

run "grants_are_exact_route_arns" {
  command = apply

  assert {
    condition     = jsondecode(aws_iam_role_policy.grants["profile"].policy).Statement[0].Resource == "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/v1/GET/users/*"
    error_message = "The profile grant must be exactly GET /users/{id} in stage v1."
  }
  assert {
    condition     = length(jsondecode(aws_iam_role_policy.grants["profile"].policy).Statement) == 1 && jsondecode(aws_iam_role_policy.grants["profile"].policy).Statement[0].Action == "execute-api:Invoke"
    error_message = "A grant allows execute-api:Invoke on the routes it names and nothing else."
  }
  assert {
    condition     = jsondecode(aws_iam_role_policy.grants["signup"].policy).Statement[0].Resource == "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/v1/POST/users"
    error_message = "The signup grant must be exactly POST /users in stage v1."
  }
  assert {
    condition     = aws_iam_role_policy.grants["profile"].role == "profile-role" && aws_iam_role_policy.grants["signup"].role == "signup-role"
    error_message = "Each grant attaches to the role it names."
  }
  assert {
    condition     = output.route_arns["POST /users"] == "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/v1/POST/users"
    error_message = "route_arns must give each route's exact ARN."
  }
}

run "lambda_permissions_are_scoped_to_their_route" {
  command = apply

  assert {
    condition     = aws_lambda_permission.route["GET /users/{id}"].source_arn == "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/v1/GET/users/*"
    error_message = "A Lambda permission must name its own route's ARN."
  }
  assert {
    condition     = alltrue([for permission in aws_lambda_permission.route : permission.principal == "apigateway.amazonaws.com" && permission.action == "lambda:InvokeFunction"])
    error_message = "Only API Gateway may invoke, and only InvokeFunction."
  }
}

run "resource_policy_denies_other_accounts" {
  command = apply

  assert {
    condition     = length(jsondecode(aws_api_gateway_rest_api_policy.this.policy).Statement) == 1
    error_message = "Without allowed accounts or an organization there is one Deny statement."
  }
  assert {
    condition     = jsondecode(aws_api_gateway_rest_api_policy.this.policy).Statement[0].Condition.StringNotEquals["aws:PrincipalAccount"] == ["123456789012"]
    error_message = "Principals of any account but the owner's must be denied."
  }
}

run "allowed_accounts_are_exempt_from_the_deny_but_allowed_nothing_account_wide" {
  command = apply

  variables {
    allowed_account_ids = ["210987654321"]
    organization_id     = "o-abcdefghij"
  }

  assert {
    condition     = jsondecode(aws_api_gateway_rest_api_policy.this.policy).Statement[0].Condition.StringNotEquals["aws:PrincipalAccount"] == ["123456789012", "210987654321"]
    error_message = "Listed accounts must be exempt from the Deny."
  }
  assert {
    condition     = [for s in jsondecode(aws_api_gateway_rest_api_policy.this.policy).Statement : s.Sid] == ["DenyPrincipalsOfOtherAccounts", "DenyPrincipalsOutsideOrganization"]
    error_message = "An organization adds a Deny; an allowed account gets no account-wide Allow."
  }
}

run "nested_paths_get_a_resource_per_segment" {
  command = apply

  assert {
    condition     = keys(aws_api_gateway_resource.depth_1) == ["users"] && keys(aws_api_gateway_resource.depth_2) == ["users/{id}"]
    error_message = "/users/{id} needs /users and /users/{id}."
  }
  assert {
    condition     = aws_api_gateway_resource.depth_2["users/{id}"].parent_id == aws_api_gateway_resource.depth_1["users"].id && aws_api_gateway_resource.depth_1["users"].parent_id == "r00t000001"
    error_message = "Each resource's parent is the one a segment up."
  }
}

run "rejects_a_grant_of_an_undeclared_route" {
  command = plan

  variables {
    grants = { admin = { role_name = "admin-role", routes = ["DELETE /users/{id}"] } }
  }

  expect_failures = [var.grants]
}

run "rejects_a_malformed_route_key" {
  command = plan

  variables {
    routes = { "GET users" = { function_name = "users", function_invoke_arn = "arn" } }
    grants = {}
  }

  expect_failures = [var.routes]
}

run "rejects_a_method_that_is_not_granted_per_method" {
  command = plan

  variables {
    routes = { "ANY /users" = { function_name = "users", function_invoke_arn = "arn" } }
    grants = {}
  }

  expect_failures = [var.routes]
}
