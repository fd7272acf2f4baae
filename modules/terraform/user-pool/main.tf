# A user pool where people sign in with their email address: a strong password policy, optional
# TOTP MFA (never SMS), email-only account recovery, deletion protection.
# https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-mfa.html
resource "aws_cognito_user_pool" "this" {
  name = var.name

  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]
  username_configuration {
    case_sensitive = false
  }

  # 14 characters of four kinds: NIST SP 800-63B favours length; Cognito can only enforce both.
  password_policy {
    minimum_length                   = var.password_minimum_length
    require_lowercase                = true
    require_uppercase                = true
    require_numbers                  = true
    require_symbols                  = true
    temporary_password_validity_days = 3
  }

  mfa_configuration = "OPTIONAL"
  software_token_mfa_configuration {
    enabled = true
  }

  account_recovery_setting {
    recovery_mechanism {
      name     = "verified_email"
      priority = 1
    }
  }

  admin_create_user_config {
    allow_admin_create_user_only = !var.self_sign_up
  }

  deletion_protection = var.deletion_protection ? "ACTIVE" : "INACTIVE"

  schema {
    name                = "email"
    attribute_data_type = "String"
    required            = true
    mutable             = true
    string_attribute_constraints {
      min_length = "3"
      max_length = "254"
    }
  }

  tags = var.tags
}

locals {
  # The public client (a browser or app): SRP never sends the password; refresh keeps sessions
  # short. The end-to-end client (tests only): AdminInitiateAuth with a password, which needs IAM
  # credentials.
  clients = {
    for name, flows in {
      public     = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
      "e2e-test" = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    } : name => flows if name == "public" || var.test_client
  }
}

# Every client: short-lived tokens, revocation, no secret, sign-in errors that never say whether
# an email has an account.
resource "aws_cognito_user_pool_client" "this" {
  for_each = local.clients

  name         = "${var.name}-${each.key}"
  user_pool_id = aws_cognito_user_pool.this.id

  explicit_auth_flows = each.value

  access_token_validity  = var.access_and_id_token_minutes
  id_token_validity      = var.access_and_id_token_minutes
  refresh_token_validity = var.refresh_token_hours
  token_validity_units {
    access_token  = "minutes"
    id_token      = "minutes"
    refresh_token = "hours"
  }
  enable_token_revocation       = true
  prevent_user_existence_errors = "ENABLED"
  supported_identity_providers  = ["COGNITO"]
  generate_secret               = false
  read_attributes               = ["email", "email_verified"]
  write_attributes              = ["email"]
}
