variable "function_name" {
  description = "The function's name; also names its role (`<name>-role`) and log group (`/aws/lambda/<name>`)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,59}$", var.function_name))
    error_message = "function_name '${var.function_name}' must be 1-59 letters, digits, '-' or '_' (its role is named '<name>-role')."
  }
}

variable "filename" {
  description = "Path of the prebuilt deployment zip: `index.mjs` at its root, exporting `handler` (the handler is `index.handler`), for Node.js 22 on arm64."
  type        = string
}

variable "source_code_hash" {
  description = "Base64 SHA-256 of the zip (`filebase64sha256(<zip>)`, or an `archive_file`'s `output_base64sha256`), so that a new zip is deployed."
  type        = string
}

variable "description" {
  description = "A one-line description shown in the console."
  type        = string
  default     = null
}

variable "environment" {
  description = "Environment variables: 4 KB together at most (Lambda's quota), measured as their JSON, as the construct does; a value known only after apply (an API's URL) is measured at apply."
  type        = map(string)
  default     = {}

  # Lambda caps all environment variables of a function at 4 KB ("Lambda quotas",
  # https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html). Their JSON is an
  # upper bound of what Lambda counts; its UTF-8 bytes come from the base64 length, since
  # length() counts characters.
  validation {
    condition     = length(base64encode(jsonencode(var.environment))) / 4 * 3 - length(regexall("=", base64encode(jsonencode(var.environment)))) <= 4096
    error_message = "NodeFunction '${var.function_name}': its environment variables (${join(", ", keys(var.environment))}) would be ${length(base64encode(jsonencode(var.environment))) / 4 * 3 - length(regexall("=", base64encode(jsonencode(var.environment))))} bytes, over the \"Lambda environment variables size\" quota of 4096 by ${length(base64encode(jsonencode(var.environment))) / 4 * 3 - length(regexall("=", base64encode(jsonencode(var.environment)))) - 4096} (Lambda quotas, https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html). Fix: pass fewer or shorter values (a configuration source the function reads at start, such as SSM Parameter Store, holds larger settings)."
  }
}

variable "memory_size" {
  description = "Memory in MB."
  type        = number
  default     = 256

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240 && floor(var.memory_size) == var.memory_size
    error_message = "memory_size ${var.memory_size} must be an integer from 128 to 10240."
  }
}

variable "timeout" {
  description = "Timeout in seconds."
  type        = number
  default     = 10

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 900 && floor(var.timeout) == var.timeout
    error_message = "timeout ${var.timeout} must be an integer from 1 to 900 seconds."
  }
}

variable "retention_in_days" {
  description = "Days to keep the function's logs."
  type        = number
  default     = 30

  # https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.retention_in_days)
    error_message = "retention_in_days ${var.retention_in_days} is not one CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)."
  }
}

variable "tags" {
  description = "Tags of every taggable resource: the function, its role and its log group."
  type        = map(string)
  default     = {}
}
