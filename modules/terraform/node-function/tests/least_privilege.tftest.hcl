# The function's role and log permissions, with a mocked provider (no AWS, no credentials).

mock_provider "aws" {
  # The provider checks ARNs it is given, so mocked ones must look like ARNs.
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
}

variables {
  function_name    = "users"
  filename         = "users.zip"
  source_code_hash = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
  tags             = { team = "users" }
}

run "the_role_may_write_only_its_own_logs" {
  command = apply

  assert {
    condition = jsondecode(aws_iam_role_policy.write_own_logs.policy).Statement == [{
      Sid      = "WriteOwnLogGroupOnly"
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/users:*"
    }]
    error_message = "The role may only create streams and put events in the function's own log group."
  }
}

run "only_lambda_can_assume_the_role" {
  command = apply

  assert {
    condition     = jsondecode(aws_iam_role.this.assume_role_policy).Statement == [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
    error_message = "Only lambda.amazonaws.com may assume the role."
  }
}

run "names_follow_the_function_and_tags_reach_everything" {
  command = apply

  assert {
    condition     = aws_iam_role.this.name == "users-role" && aws_cloudwatch_log_group.this.name == "/aws/lambda/users" && aws_lambda_function.this.logging_config[0].log_group == "/aws/lambda/users"
    error_message = "Role and log group are named after the function, and the function logs to its own group."
  }
  assert {
    condition     = aws_lambda_function.this.tags["team"] == "users" && aws_iam_role.this.tags["team"] == "users" && aws_cloudwatch_log_group.this.tags["team"] == "users"
    error_message = "Tags reach the function, its role and its log group."
  }
  assert {
    condition     = length(aws_lambda_function.this.environment) == 0
    error_message = "No environment block without environment variables."
  }
}

run "rejects_a_name_its_role_cannot_have" {
  command = plan
  variables {
    function_name = "a-name-that-is-far-too-long-for-a-role-name-with-role-suffix"
  }
  expect_failures = [var.function_name]
}

run "rejects_memory_lambda_does_not_offer" {
  command = plan
  variables {
    memory_size = 64
  }
  expect_failures = [var.memory_size]
}

run "rejects_a_timeout_over_fifteen_minutes" {
  command = plan
  variables {
    timeout = 901
  }
  expect_failures = [var.timeout]
}

run "rejects_a_retention_cloudwatch_does_not_accept" {
  command = plan
  variables {
    retention_in_days = 31
  }
  expect_failures = [var.retention_in_days]
}
