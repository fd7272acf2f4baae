variable "name" {
  description = "The web ACL's name (also its CloudWatch metric prefix)."
  type        = string
}

variable "stage_arns" {
  description = "The API Gateway stages the web ACL protects, keyed by a name of your choice (e.g. `internal = module.users_api.stage_arn`); each gets an association."
  type        = map(string)

  validation {
    condition     = length(var.stage_arns) > 0
    error_message = "Give the web ACL at least one stage to protect."
  }
}

variable "rate_limit_per_ip" {
  description = "Requests one source IP may send per evaluation window before WAF blocks it."
  type        = number
  default     = 2000

  # https://docs.aws.amazon.com/waf/latest/APIReference/API_RateBasedStatement.html
  validation {
    condition     = var.rate_limit_per_ip >= 10 && var.rate_limit_per_ip <= 2000000000 && floor(var.rate_limit_per_ip) == var.rate_limit_per_ip
    error_message = "rate_limit_per_ip ${var.rate_limit_per_ip} must be a whole number from 10 to 2000000000 (WAF's bounds)."
  }
}

variable "evaluation_window_sec" {
  description = "The window the rate is counted over, in seconds."
  type        = number
  default     = 300

  validation {
    condition     = contains([60, 120, 300, 600], var.evaluation_window_sec)
    error_message = "evaluation_window_sec ${var.evaluation_window_sec} must be one of 60, 120, 300, 600."
  }
}

variable "tags" {
  description = "Tags of the web ACL."
  type        = map(string)
  default     = {}
}
