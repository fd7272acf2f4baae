variable "rest_api_id" {
  description = "The REST API to deploy."
  type        = string
}

variable "rest_api_name" {
  description = "The REST API's name; names the access log group `/aws/apigateway/<name>/<stage>/access`."
  type        = string
}

variable "stage_name" {
  description = "The stage name, e.g. `v1`."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,128}$", var.stage_name))
    error_message = "The stage name '${var.stage_name}' must be 1-128 letters, digits, '-' or '_'."
  }
}

variable "redeployment_fingerprint" {
  description = "What, when it changes, must redeploy the API (routes, integrations, resource policy), as a string; it is hashed into the deployment's trigger."
  type        = string
}

variable "throttling_rate_limit" {
  description = "Steady-state requests per second of every method."
  type        = number

  validation {
    condition     = var.throttling_rate_limit > 0
    error_message = "throttling_rate_limit must be positive."
  }
}

variable "throttling_burst_limit" {
  description = "Burst size of every method."
  type        = number

  validation {
    condition     = var.throttling_burst_limit > 0 && floor(var.throttling_burst_limit) == var.throttling_burst_limit
    error_message = "throttling_burst_limit must be a positive integer."
  }
}

variable "retention_in_days" {
  description = "Days to keep access logs."
  type        = number

  # https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.retention_in_days)
    error_message = "retention_in_days ${var.retention_in_days} is not one CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)."
  }
}

variable "tags" {
  description = "Tags of the stage and the access log group."
  type        = map(string)
  default     = {}
}
