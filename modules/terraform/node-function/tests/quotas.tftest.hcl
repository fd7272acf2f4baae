# Lambda's 4 KB quota on a function's environment variables, checked at plan as the CDKTF
# construct checks it at synth, and the size of the role's own inline policies, which IAM counts
# with every grant on the role. Mocked provider: no AWS.

mock_provider "aws" {
  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/users"
    }
  }
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/users-role"
    }
  }
  mock_data "aws_service" {
    defaults = { region = "eu-west-1", partition = "aws" }
  }
}

variables {
  function_name    = "users"
  filename         = "users.zip"
  source_code_hash = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
}

run "accepts_environment_variables_within_four_kilobytes" {
  command = plan
  variables {
    environment = { for name in ["A", "B", "C"] : name => join("", [for i in range(1000) : "x"]) }
  }
}

run "rejects_environment_variables_over_four_kilobytes" {
  command = plan
  variables {
    environment = { for name in ["A", "B", "C", "D", "E"] : name => join("", [for i in range(1000) : "x"]) }
  }
  expect_failures = [var.environment]
}

run "counts_bytes_not_characters" {
  command = plan
  variables {
    # 2,100 characters, 4,200 UTF-8 bytes.
    environment = { GREETING = join("", [for i in range(700) : "ééé"]) }
  }
  expect_failures = [var.environment]
}

run "measures_the_role_s_own_inline_policies_at_plan" {
  command = plan

  assert {
    # 219 for the log policy on /aws/lambda/users in eu-west-1, 154 for the tracing policy: what
    # the NodeFunction construct counts for the same function.
    condition     = output.inline_policy_characters == 373
    error_message = "The role's own policies are measured on the log group's ARN at its applied length, before the group exists."
  }
}
