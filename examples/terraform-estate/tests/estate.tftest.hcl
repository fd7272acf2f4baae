# The estate wired together, with a mocked provider (no AWS, no credentials).

mock_provider "aws" {
  mock_resource "aws_api_gateway_rest_api" {
    defaults = {
      id               = "e1b2c3d4e5"
      root_resource_id = "r00t000003"
      execution_arn    = "arn:aws:execute-api:eu-west-1:123456789012:e1b2c3d4e5"
    }
  }
  # The provider checks ARNs it is given, so mocked ones must look like ARNs.
  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-west-1:123456789012:log-group:mocked"
    }
  }
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/mocked"
    }
  }
  mock_resource "aws_dynamodb_table" {
    defaults = {
      arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/mocked"
    }
  }
  mock_resource "aws_lambda_function" {
    defaults = {
      arn        = "arn:aws:lambda:eu-west-1:123456789012:function:mocked"
      invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:mocked/invocations"
    }
  }
}

run "the_caller_is_granted_exactly_one_route" {
  command = apply

  assert {
    condition     = output.profile_grant_arns == ["arn:aws:execute-api:eu-west-1:123456789012:e1b2c3d4e5/v1/GET/users/*"]
    error_message = "profile must be granted exactly GET /users/{id} in stage v1."
  }
  assert {
    condition     = keys(module.users_api.grant_policy_names) == ["profile"] && module.users_api.grant_policy_names["profile"] == "invoke-e1b2c3d4e5-profile"
    error_message = "Only the profile role gets a grant; the users service itself gets none."
  }
}

run "only_the_users_function_may_use_the_table" {
  command = apply

  assert {
    condition     = keys(module.users_table.grant_policy_names) == ["users"]
    error_message = "Only the users function's role gets a table grant."
  }
}
