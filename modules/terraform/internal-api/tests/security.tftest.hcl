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
  routes = [
    { method = "GET", path = "/users/{id}", function = { function_name = "users", invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:users/invocations" } },
    { method = "POST", path = "/users", function = { function_name = "users", invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:users/invocations" } },
  ]
  grants = {
    profile-read  = { role_name = "profile-role", routes = ["GET /users/{id}"] }
    profile-write = { role_name = "profile-role", routes = ["POST /users"] }
    signup        = { role_name = "signup-role", routes = ["POST /users"] }
  }
  tags = { team = "users" }
}

run "every_method_is_aws_iam" {
  command = apply

  assert {
    condition     = tomap(module.routes.method_authorizations) == tomap({ "GET /users/{id}" = "AWS_IAM", "POST /users" = "AWS_IAM" })
    error_message = "Every method of an internal API must be AWS_IAM."
  }
  assert {
    condition     = output.route_arns["GET /users/{id}"] == "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/v1/GET/users/*"
    error_message = "route_arns must give each route's exact ARN."
  }
}

run "two_grants_for_one_role_are_two_policies" {
  command = apply

  assert {
    condition     = length(distinct([for policy in aws_iam_role_policy.grant : "${policy.role}/${policy.name}"])) == 3
    error_message = "Each grant must be its own policy, even two for one role."
  }
  assert {
    condition     = aws_iam_role_policy.grant["profile-read"].name == "invoke-a1b2c3d4e5-profile-read" && aws_iam_role_policy.grant["profile-read"].role == "profile-role"
    error_message = "A grant's policy is named after the API and the grant, on the role it names."
  }
  assert {
    condition = jsondecode(aws_iam_role_policy.grant["profile-read"].policy).Statement == [
      { Effect = "Allow", Action = "execute-api:Invoke", Resource = "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/v1/GET/users/*" },
      { Effect = "Deny", Action = "execute-api:Invoke", Resource = ["arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/v1/GET/users/*/*"] },
    ]
    error_message = "A grant allows execute-api:Invoke on exactly the routes it names in this stage, and denies the deeper paths its * would also match."
  }
  assert {
    condition     = length(jsondecode(aws_iam_role_policy.grant["signup"].policy).Statement) == 1
    error_message = "A grant of a path without parameters needs no Deny."
  }
  assert {
    condition     = jsondecode(aws_iam_role_policy.grant["signup"].policy).Statement[0].Resource == "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/v1/POST/users"
    error_message = "The signup grant must be exactly POST /users in stage v1."
  }
}

run "resource_policy_denies_other_accounts" {
  command = apply

  assert {
    condition     = length(jsondecode(aws_api_gateway_rest_api_policy.this.policy).Statement) == 1
    error_message = "Without allowed accounts or an organization there is one Deny statement."
  }
  assert {
    condition     = jsondecode(aws_api_gateway_rest_api_policy.this.policy).Statement[0].Effect == "Deny" && jsondecode(aws_api_gateway_rest_api_policy.this.policy).Statement[0].Condition.StringNotEquals["aws:PrincipalAccount"] == ["123456789012"]
    error_message = "Principals of any account but the owner's must be denied."
  }
  assert {
    condition     = aws_api_gateway_rest_api.this.tags["team"] == "users"
    error_message = "Tags reach the REST API."
  }
}

run "cross_account_roles_are_allowed_exactly_their_routes" {
  command = apply

  variables {
    allowed_account_ids = ["210987654321"]
    organization_id     = "o-abcdefghij"
    cross_account_grants = {
      partner = { role_arn = "arn:aws:iam::210987654321:role/partner", routes = ["GET /users/{id}"] }
    }
  }

  assert {
    condition     = jsondecode(aws_api_gateway_rest_api_policy.this.policy).Statement[0].Condition.StringNotEquals["aws:PrincipalAccount"] == ["123456789012", "210987654321"]
    error_message = "Listed accounts must be exempt from the Deny."
  }
  assert {
    condition = slice(jsondecode(aws_api_gateway_rest_api_policy.this.policy).Statement, 2, 4) == [
      { Effect = "Allow", Principal = { AWS = "arn:aws:iam::210987654321:role/partner" }, Action = "execute-api:Invoke", Resource = "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/v1/GET/users/*" },
      { Effect = "Deny", Principal = { AWS = "arn:aws:iam::210987654321:role/partner" }, Action = "execute-api:Invoke", Resource = ["arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/v1/GET/users/*/*"] },
    ]
    error_message = "A cross-account role is allowed exactly its route, with the exactness Deny."
  }
  assert {
    condition     = length([for s in jsondecode(aws_api_gateway_rest_api_policy.this.policy).Statement : s if s.Effect == "Allow" && !can(s.Principal.AWS)]) == 0 && length(jsondecode(aws_api_gateway_rest_api_policy.this.policy).Statement) == 4
    error_message = "Nothing is allowed to an account as a whole."
  }
}

run "a_literal_sibling_of_a_parameter_is_denied" {
  command = apply

  variables {
    routes = [
      { method = "GET", path = "/users/{id}", function = { function_name = "users", invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:users/invocations" } },
      { method = "GET", path = "/users/me", function = { function_name = "users", invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:users/invocations" } },
    ]
    grants = { reader = { role_name = "reader-role", routes = ["GET /users/{id}"] } }
  }

  assert {
    condition = jsondecode(aws_iam_role_policy.grant["reader"].policy).Statement[1].Resource == [
      "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/v1/GET/users/*/*",
      "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/v1/GET/users/me",
    ]
    error_message = "users/* also matches GET /users/me: that route must be denied too."
  }
}

run "the_deny_covers_all_grants_of_one_role" {
  command = apply

  variables {
    routes = [
      { method = "GET", path = "/users/{id}", function = { function_name = "users", invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:users/invocations" } },
      { method = "GET", path = "/users/me", function = { function_name = "users", invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:users/invocations" } },
    ]
    grants = {
      read = { role_name = "reader-role", routes = ["GET /users/{id}"] }
      me   = { role_name = "reader-role", routes = ["GET /users/me"] }
    }
  }

  assert {
    condition     = jsondecode(aws_iam_role_policy.grant["read"].policy).Statement[1].Resource == ["arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/v1/GET/users/*/*"]
    error_message = "The role also holds GET /users/me (another grant): the Deny must not cover it."
  }
}

run "refuses_grants_it_cannot_keep_exact" {
  command = plan

  variables {
    routes = [
      { method = "GET", path = "/users/{id}", function = { function_name = "users", invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:users/invocations" } },
      { method = "GET", path = "/users/{id}/tags/{tag}", function = { function_name = "users", invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:users/invocations" } },
    ]
    grants = { reader = { role_name = "reader-role", routes = ["GET /users/{id}", "GET /users/{id}/tags/{tag}"] } }
  }
  expect_failures = [aws_iam_role_policy.grant]
}

run "rejects_a_cross_account_role_outside_the_allowed_accounts" {
  command = plan
  variables {
    allowed_account_ids  = ["210987654321"]
    cross_account_grants = { partner = { role_arn = "arn:aws:iam::999999999999:role/partner", routes = ["GET /users/{id}"] } }
  }
  expect_failures = [var.cross_account_grants]
}

run "deployed_before_the_policy_changes" {
  command = apply
}

run "a_changed_resource_policy_redeploys" {
  command = apply

  variables {
    allowed_account_ids = ["210987654321"]
  }

  assert {
    condition     = module.stage.deployment_trigger != run.deployed_before_the_policy_changes.deployment_trigger
    error_message = "A resource policy change must redeploy the API."
  }
}

run "rejects_a_grant_of_an_undeclared_route" {
  command = plan
  variables {
    grants = { admin = { role_name = "admin-role", routes = ["DELETE /users/{id}"] } }
  }
  expect_failures = [var.grants]
}

run "rejects_a_grant_name_iam_refuses" {
  command = plan
  variables {
    grants = { "profile read" = { role_name = "profile-role", routes = ["GET /users/{id}"] } }
  }
  expect_failures = [var.grants]
}

run "rejects_an_allowed_account_that_is_not_an_account_id" {
  command = plan
  variables {
    allowed_account_ids = ["12345"]
  }
  expect_failures = [var.allowed_account_ids]
}

run "rejects_a_malformed_organization_id" {
  command = plan
  variables {
    organization_id = "my-org"
  }
  expect_failures = [var.organization_id]
}
