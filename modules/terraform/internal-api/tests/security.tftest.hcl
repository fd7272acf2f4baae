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
    condition     = jsondecode(aws_iam_role_policy.grant["profile-read"].policy).Statement == [{ Effect = "Allow", Action = "execute-api:Invoke", Resource = "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/v1/GET/users/*" }]
    error_message = "A grant allows execute-api:Invoke on exactly the routes it names in this stage, and nothing else."
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

run "cross_account_callers_are_listed_explicitly" {
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
    condition     = [for s in jsondecode(aws_api_gateway_rest_api_policy.this.policy).Statement : s.Sid] == ["DenyPrincipalsOfOtherAccounts", "DenyPrincipalsOutsideOrganization", "AllowListedAccounts"]
    error_message = "An organization adds a Deny, allowed accounts an Allow."
  }
  assert {
    condition     = jsondecode(aws_api_gateway_rest_api_policy.this.policy).Statement[2].Principal.AWS == ["arn:aws:iam::210987654321:root"]
    error_message = "Only the listed accounts are allowed."
  }
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
