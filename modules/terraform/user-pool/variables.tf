variable "name" {
  description = "The user pool's name; the app clients are `<name>-public` and `<name>-e2e-test`."
  type        = string

  validation {
    condition     = can(regex("^[\\w\\s+=,.@-]{1,128}$", var.name))
    error_message = "The name must be 1-128 word characters, spaces or +=,.@-."
  }
}

variable "deletion_protection" {
  description = "Refuse deleting the pool (and every user in it) until this is switched off and applied."
  type        = bool
  default     = true
}

variable "self_sign_up" {
  description = "Let anyone sign up with Cognito's SignUp API (email verified by code); false means only administrators create users."
  type        = bool
  default     = true
}

variable "password_minimum_length" {
  description = "Minimum password length (lower, upper, digit and symbol are always required)."
  type        = number
  default     = 14

  validation {
    condition     = var.password_minimum_length >= 14 && var.password_minimum_length <= 99
    error_message = "The minimum length is 14 to 99 (Cognito allows 6 to 99; this module keeps 14 as the floor)."
  }
}

variable "access_and_id_token_minutes" {
  description = "Lifetime of ID and access tokens, in minutes."
  type        = number
  default     = 15

  validation {
    condition     = var.access_and_id_token_minutes >= 5 && var.access_and_id_token_minutes <= 1440 && floor(var.access_and_id_token_minutes) == var.access_and_id_token_minutes
    error_message = "ID and access tokens live 5 to 1440 whole minutes (Cognito's range)."
  }
}

variable "refresh_token_hours" {
  description = "Lifetime of refresh tokens, in hours."
  type        = number
  default     = 12

  validation {
    condition     = var.refresh_token_hours >= 1 && var.refresh_token_hours <= 87600 && floor(var.refresh_token_hours) == var.refresh_token_hours
    error_message = "Refresh tokens live 1 to 87600 whole hours (Cognito's range)."
  }
}

variable "test_client" {
  description = "Add an app client that allows ADMIN_USER_PASSWORD_AUTH, for an end-to-end suite's throwaway users. Never in production."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags of the user pool (app clients take none)."
  type        = map(string)
  default     = {}
}
