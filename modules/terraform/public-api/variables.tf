variable "name" {
  description = "The REST API's name."
  type        = string
}

variable "routes" {
  description = "The route table: each route's `method`, `path` (`/users/{id}/profile`, at most 5 segments), `function` (`function_name`, `invoke_arn`; a `node-function` module fits as is) and `authorization`, written out: `NONE` (anyone) or `COGNITO_USER_POOLS` (a signed-in user of `user_pool_arn`; with `scopes`, access tokens holding one of them, else ID tokens)."
  type = list(object({
    method = string
    path   = string
    function = object({
      function_name = string
      invoke_arn    = string
    })
    authorization = string
    scopes        = optional(list(string))
  }))

  validation {
    condition     = alltrue([for route in var.routes : contains(["NONE", "COGNITO_USER_POOLS"], route.authorization)])
    error_message = "Each route's authorization is NONE or COGNITO_USER_POOLS: ${join(", ", [for route in var.routes : "${route.method} ${route.path} has '${route.authorization}'" if !contains(["NONE", "COGNITO_USER_POOLS"], route.authorization)])}."
  }

  validation {
    condition     = alltrue([for route in var.routes : route.authorization != "COGNITO_USER_POOLS" || var.user_pool_arn != null])
    error_message = "COGNITO_USER_POOLS routes need user_pool_arn."
  }

  # API Gateway matches the client restriction against `aud`, which access tokens lack.
  validation {
    condition     = alltrue([for route in var.routes : route.scopes == null || length(var.authorizer_client_ids) == 0])
    error_message = "Routes with scopes take access tokens (no 'aud'), which authorizer_client_ids (matched against 'aud') would refuse: drop one of them."
  }
}

variable "user_pool_arn" {
  description = "The Cognito user pool whose tokens COGNITO_USER_POOLS routes accept (`arn:aws:cognito-idp:REGION:ACCOUNT:userpool/ID`)."
  type        = string
  default     = null

  validation {
    condition     = var.user_pool_arn == null || can(regex("^arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:[0-9]{12}:userpool/[\\w-]+_[0-9a-zA-Z]+$", coalesce(var.user_pool_arn, "x")))
    error_message = "user_pool_arn must be a user pool ARN, arn:aws:cognito-idp:REGION:ACCOUNT:userpool/ID."
  }
}

variable "authorizer_client_ids" {
  description = "Accept ID tokens of these app clients only (the authorizer's `identity_validation_expression`, matched against `aud`); empty accepts every client of the pool."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.authorizer_client_ids : can(regex("^[\\w+]+$", id))])
    error_message = "An app client id is letters, digits, '_' or '+'."
  }
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

variable "lambda_policy_budget_bytes" {
  description = "How many bytes of each function's resource-based policy this API's Lambda permissions may take (Lambda's quota: 20480 per function, not adjustable). A function serving routes of several APIs has one policy for all of them: give each API a share. Over its budget, a function gets compact permissions where they grant API Gateway nothing more; still over, the plan fails naming it (see `lambda-routes`)."
  type        = number
  default     = 20480
}

variable "resources_per_api_quota" {
  description = "API Gateway's \"Resources per API\" quota of this account and region: 300 unless Service Quotas raised it. The routes' paths plus the root must fit."
  type        = number
  default     = 300
}

variable "tags" {
  description = "Tags of every taggable resource: the REST API, its stage and its access log group."
  type        = map(string)
  default     = {}
}
