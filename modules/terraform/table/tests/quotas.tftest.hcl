# IAM's quota on a role's inline policies, for the grants this table adds, checked at plan on a
# table ARN of the applied length. Mocked provider: no AWS.

mock_provider "aws" {
  mock_resource "aws_dynamodb_table" {
    defaults = {
      arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/users"
    }
  }
  mock_data "aws_service" {
    defaults = { region = "eu-west-1", partition = "aws" }
  }
}

variables {
  name = "users"
  grants = {
    read  = { role_name = "caller-role", actions = ["GetItem", "Query"], indexes = ["by-email", "by-team"] }
    write = { role_name = "caller-role", actions = ["PutItem"] }
  }
}

run "accepts_grants_within_the_role_s_share" {
  command = plan
}

run "fails_the_plan_when_a_role_s_grants_would_pass_its_share" {
  command = plan
  variables {
    # Each policy alone fits in 400 characters (308 and 154); the role's two together do not.
    role_policy_budget_characters = 400
  }
  expect_failures = [aws_iam_role_policy.grant["read"], aws_iam_role_policy.grant["write"]]
}

run "rejects_a_share_over_the_quota" {
  command = plan
  variables {
    role_policy_budget_characters = 10241
  }
  expect_failures = [var.role_policy_budget_characters]
}
