variable "name" {
  description = "The REST API's name."
  type        = string
}

variable "routes" {
  description = "The route table: each route's `method`, `path` (`/users/{id}/profile`, at most 5 segments) and `function` (`function_name`, `invoke_arn`; a `node-function` module fits as is). Methods are open to the internet (authorization `NONE`)."
  type = list(object({
    method = string
    path   = string
    function = object({
      function_name = string
      invoke_arn    = string
    })
  }))
}

variable "stage_name" {
  description = "The stage name."
  type        = string
  default     = "v1"
}

variable "description" {
  description = "A description shown in the console."
  type        = string
  default     = null
}

variable "throttling_rate_limit" {
  description = "Steady-state requests per second of every method."
  type        = number
  default     = 100
}

variable "throttling_burst_limit" {
  description = "Burst size of every method."
  type        = number
  default     = 200
}

variable "retention_in_days" {
  description = "Days to keep access logs."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags of every taggable resource: the REST API, its stage and its access log group."
  type        = map(string)
  default     = {}
}
