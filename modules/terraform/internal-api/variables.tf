variable "name" {
  description = "The REST API's name."
  type        = string
}

variable "routes" {
  description = "The route table: each route's `method`, `path` (`/users/{id}`, at most 5 segments) and `function` (`function_name`, `invoke_arn`; a `node-function` module fits as is). Every method is `AWS_IAM`, and no input changes that."
  type = list(object({
    method = string
    path   = string
    function = object({
      function_name = string
      invoke_arn    = string
    })
  }))
}

variable "grants" {
  description = "Who may call which routes, keyed by a grant name of your choice: the role's name and the route keys (`GET /users/{id}`) it may invoke. Each grant is its own inline role policy, `invoke-<api id>-<grant name>`."
  type = map(object({
    role_name = string
    routes    = list(string)
  }))
  default = {}

  validation {
    condition     = alltrue([for name in keys(var.grants) : can(regex("^[A-Za-z0-9+=,.@_-]{1,100}$", name))])
    error_message = "A grant name becomes part of an IAM policy name: use 1-100 letters, digits or '+=,.@_-'."
  }

  validation {
    condition     = alltrue(flatten([for grant in values(var.grants) : [for route in grant.routes : contains([for r in var.routes : "${r.method} ${r.path}"], route)]]))
    error_message = "A grant names a route that is not declared: ${join(", ", distinct(flatten([for grant in values(var.grants) : [for route in grant.routes : route if !contains([for r in var.routes : "${r.method} ${r.path}"], route)]])))} (declared: ${join(", ", [for r in var.routes : "${r.method} ${r.path}"])})."
  }

  validation {
    condition     = alltrue([for grant in values(var.grants) : length(grant.routes) > 0])
    error_message = "A grant must name at least one route."
  }
}

variable "cross_account_grants" {
  description = "Roles of `allowed_account_ids` that may call routes, keyed by a grant name of your choice: the role's ARN and the route keys it may invoke. Each role gets an Allow naming it on exactly those routes (and the exactness Deny) in the resource policy; its own account must still allow it in an identity policy."
  type = map(object({
    role_arn = string
    routes   = list(string)
  }))
  default = {}

  validation {
    condition     = alltrue([for grant in values(var.cross_account_grants) : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$", grant.role_arn))])
    error_message = "Each cross-account grant names a role by its ARN (arn:aws:iam::ACCOUNT:role/NAME)."
  }

  validation {
    condition     = alltrue([for grant in values(var.cross_account_grants) : contains(var.allowed_account_ids, try(split(":", grant.role_arn)[4], ""))])
    error_message = "A cross-account grant names a role of an account that is not in allowed_account_ids: ${join(", ", [for grant in values(var.cross_account_grants) : grant.role_arn if !contains(var.allowed_account_ids, try(split(":", grant.role_arn)[4], ""))])}."
  }

  validation {
    condition     = alltrue(flatten([for grant in values(var.cross_account_grants) : [for route in grant.routes : contains([for r in var.routes : "${r.method} ${r.path}"], route)]]))
    error_message = "A cross-account grant names a route that is not declared (declared: ${join(", ", [for r in var.routes : "${r.method} ${r.path}"])})."
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

variable "allowed_account_ids" {
  description = "Other AWS accounts exempt from the resource policy's Deny of other accounts; their roles still need a `cross_account_grants` entry per route (nothing is allowed to an account as a whole)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for account in var.allowed_account_ids : can(regex("^[0-9]{12}$", account))])
    error_message = "Each allowed account must be a 12-digit account id."
  }
}

variable "organization_id" {
  description = "When set, principals outside this AWS Organization are denied as well."
  type        = string
  default     = null

  validation {
    condition     = var.organization_id == null || can(regex("^o-[a-z0-9]{10,32}$", var.organization_id))
    error_message = "organization_id must be an organization id (o-xxxxxxxxxx)."
  }
}

variable "throttling_rate_limit" {
  description = "Steady-state requests per second of every method."
  type        = number
  default     = 200
}

variable "throttling_burst_limit" {
  description = "Burst size of every method."
  type        = number
  default     = 400
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

variable "resource_policy_length_quota" {
  description = "API Gateway's \"Resource policy length\" quota of this account and region, in characters: 8192 unless Service Quotas raised it. The plan fails when the resource policy (measured with an execution ARN of its applied length) would pass it."
  type        = number
  default     = 8192
}

variable "role_policy_budget_characters" {
  description = "How many characters of each granted role's inline policies this API's grants may take (IAM: 10240 per role, all inline policies together, whitespace not counted; not adjustable). Every module's inline policies on a role count together (its `node-function`'s own, output `inline_policy_characters`; other APIs' and tables' grants): give this API a share. Over it, the plan fails naming the role."
  type        = number
  default     = 10240

  validation {
    condition     = var.role_policy_budget_characters > 0 && var.role_policy_budget_characters <= 10240
    error_message = "role_policy_budget_characters is a share of IAM's 10240-character quota on a role's inline policies: between 1 and 10240."
  }
}

variable "tags" {
  description = "Tags of every taggable resource: the REST API, its stage and its access log group."
  type        = map(string)
  default     = {}
}
