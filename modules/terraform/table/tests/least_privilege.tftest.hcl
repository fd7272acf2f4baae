# The table's settings and its grants, with a mocked provider (no AWS, no credentials).

mock_provider "aws" {
  mock_resource "aws_dynamodb_table" {
    defaults = {
      arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/users"
    }
  }
}

variables {
  name = "users"
  grants = {
    users-function = { role_name = "users-role", actions = ["GetItem", "PutItem"] }
  }
}

run "secure_defaults" {
  command = apply

  assert {
    condition     = aws_dynamodb_table.this.billing_mode == "PAY_PER_REQUEST" && aws_dynamodb_table.this.deletion_protection_enabled
    error_message = "The table is on-demand and protected from deletion by default."
  }
  assert {
    condition     = aws_dynamodb_table.this.point_in_time_recovery[0].enabled && aws_dynamodb_table.this.server_side_encryption[0].enabled
    error_message = "Point-in-time recovery and KMS encryption at rest are on by default."
  }
}

run "a_grant_names_exact_actions_on_the_table_arn" {
  command = apply

  assert {
    condition = jsondecode(aws_iam_role_policy.grant["users-function"].policy).Statement == [{
      Effect   = "Allow"
      Action   = ["dynamodb:GetItem", "dynamodb:PutItem"]
      Resource = ["arn:aws:dynamodb:eu-west-1:123456789012:table/users"]
    }]
    error_message = "A grant allows exactly its actions, on the table's ARN only."
  }
}

run "a_wildcard_action_is_refused" {
  command = plan

  variables {
    grants = { everything = { role_name = "users-role", actions = ["*"] } }
  }

  expect_failures = [var.grants]
}

run "index_grants_need_query_or_scan" {
  command = plan

  variables {
    grants = { reader = { role_name = "users-role", actions = ["GetItem"], indexes = ["by-email"] } }
  }

  expect_failures = [var.grants]
}

run "a_name_dynamodb_refuses" {
  command = plan

  variables {
    name = "a b"
  }

  expect_failures = [var.name]
}
