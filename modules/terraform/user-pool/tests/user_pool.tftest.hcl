# The user pool's sign-in policy and its clients. Mocked provider.

mock_provider "aws" {
  mock_resource "aws_cognito_user_pool" {
    defaults = {
      id  = "eu-west-1_Example01"
      arn = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Example01"
    }
  }
}

variables {
  name = "users"
}

run "email_sign_in_with_a_strong_policy_optional_totp_and_deletion_protection" {
  command = apply

  assert {
    condition     = aws_cognito_user_pool.this.username_attributes == toset(["email"]) && aws_cognito_user_pool.this.mfa_configuration == "OPTIONAL" && aws_cognito_user_pool.this.software_token_mfa_configuration[0].enabled
    error_message = "People sign in by email; TOTP MFA is offered."
  }
  assert {
    condition     = aws_cognito_user_pool.this.password_policy[0].minimum_length == 14 && aws_cognito_user_pool.this.password_policy[0].require_symbols && aws_cognito_user_pool.this.password_policy[0].require_numbers
    error_message = "Passwords are 14 characters of four kinds."
  }
  assert {
    condition     = aws_cognito_user_pool.this.deletion_protection == "ACTIVE" && length(aws_cognito_user_pool.this.sms_configuration) == 0
    error_message = "Deletion protection is on; there is no SMS path."
  }
}

run "the_public_client_has_no_secret_srp_only_and_short_tokens" {
  command = apply

  assert {
    condition     = aws_cognito_user_pool_client.this["public"].generate_secret == false && aws_cognito_user_pool_client.this["public"].explicit_auth_flows == toset(["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    error_message = "The public client has no secret and allows SRP and refresh only."
  }
  assert {
    condition     = aws_cognito_user_pool_client.this["public"].id_token_validity == 15 && aws_cognito_user_pool_client.this["public"].prevent_user_existence_errors == "ENABLED"
    error_message = "Tokens live 15 minutes; sign-in errors do not reveal accounts."
  }
  assert {
    condition     = length(aws_cognito_user_pool_client.this) == 1 && output.test_client_id == null
    error_message = "No admin-auth client unless asked."
  }
}

run "the_test_client_only_when_asked" {
  command = apply

  variables {
    test_client = true
  }

  assert {
    condition     = aws_cognito_user_pool_client.this["e2e-test"].explicit_auth_flows == toset(["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]) && length(output.client_ids) == 2
    error_message = "The test client allows admin password auth, and its id joins the accepted clients."
  }
}

run "refuses_a_weaker_password_floor_and_long_tokens" {
  command = plan

  variables {
    password_minimum_length     = 8
    access_and_id_token_minutes = 2000
  }
  expect_failures = [var.password_minimum_length, var.access_and_id_token_minutes]
}
