# The AWS size quotas on the policies this module writes, checked at plan on placeholder ARNs of
# the applied length, as the CDKTF construct checks them at synth. Mocked provider: no AWS.

mock_provider "aws" {
  mock_resource "aws_api_gateway_rest_api" {
    defaults = {
      id               = "a1b2c3d4e5"
      root_resource_id = "r00t000001"
      execution_arn    = "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5"
    }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/apigateway/users-internal/v1/access"
    }
  }
  mock_data "aws_service" {
    defaults = { region = "eu-west-1", partition = "aws" }
  }
}

variables {
  name                = "users-internal"
  allowed_account_ids = ["210987654321"]
  routes = [
    { method = "GET", path = "/users/{id}", function = { function_name = "users", invoke_arn = "arn:users" } },
    { method = "POST", path = "/users", function = { function_name = "users", invoke_arn = "arn:users" } },
  ]
  # 60 roles of the allowed account, each allowed one route (and denied deeper paths): about 24,000 characters of resource policy.
  cross_account_grants = { for i in range(60) : "partner-${i}" => { role_arn = "arn:aws:iam::210987654321:role/partner-${i}", routes = ["GET /users/{id}"] } }
}

run "fails_the_plan_when_the_resource_policy_would_pass_its_quota" {
  command         = plan
  expect_failures = [aws_api_gateway_rest_api_policy.this]
}

run "accepts_the_same_resource_policy_under_a_raised_quota" {
  command = plan
  variables {
    resource_policy_length_quota = 32768
  }
}

run "accepts_a_resource_policy_within_the_quota" {
  command = plan
  variables {
    cross_account_grants = { for i in range(15) : "partner-${i}" => { role_arn = "arn:aws:iam::210987654321:role/partner-${i}", routes = ["GET /users/{id}"] } }
  }
}

run "fails_the_plan_when_a_role_s_grants_would_pass_its_share_of_the_inline_policy_quota" {
  command = plan
  variables {
    cross_account_grants          = {}
    role_policy_budget_characters = 400
    grants = {
      read  = { role_name = "caller-role", routes = ["GET /users/{id}"] }
      write = { role_name = "caller-role", routes = ["POST /users"] }
    }
  }
  # Each policy alone is about 300 characters; the role's two together are over.
  expect_failures = [aws_iam_role_policy.grant["read"], aws_iam_role_policy.grant["write"]]
}

run "accepts_grants_within_the_role_s_share" {
  command = plan
  variables {
    cross_account_grants          = {}
    role_policy_budget_characters = 400
    grants = {
      read = { role_name = "caller-role", routes = ["GET /users/{id}"] }
      own  = { role_name = "other-role", routes = ["POST /users"] }
    }
  }
}
