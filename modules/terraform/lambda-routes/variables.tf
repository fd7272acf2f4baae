variable "rest_api_id" {
  description = "The REST API the routes belong to."
  type        = string
}

variable "root_resource_id" {
  description = "The REST API's root resource (`/`)."
  type        = string
}

variable "execution_arn" {
  description = "The REST API's execution ARN, `arn:aws:execute-api:REGION:ACCOUNT:API_ID`."
  type        = string
}

variable "stage_name" {
  description = "The stage whose ARN scopes each Lambda permission."
  type        = string
}

variable "lambda_policy_budget_bytes" {
  description = "How many bytes of each function's resource-based policy this API's permissions may take (Lambda's quota is 20480 bytes per function, not adjustable). A function serving routes of several APIs has one policy for all of them: give each API a share. A function over its budget is given compact permissions where they grant API Gateway nothing more; still over, the plan fails naming it."
  type        = number
  default     = 20480

  validation {
    condition     = var.lambda_policy_budget_bytes > 0 && var.lambda_policy_budget_bytes <= 20480
    error_message = "lambda_policy_budget_bytes is a share of Lambda's 20480-byte resource-based policy quota: between 1 and 20480."
  }
}

variable "resources_per_api_quota" {
  description = "API Gateway's \"Resources per API\" quota of this account and region: 300 unless Service Quotas raised it. The route table's paths plus the root must fit."
  type        = number
  default     = 300

  validation {
    condition     = var.resources_per_api_quota >= 1
    error_message = "resources_per_api_quota is a count of resources: at least 1."
  }
}

variable "authorization" {
  description = "The authorization of every method, when the API decides (`AWS_IAM` or `NONE`); `null` when each route states its own."
  type        = string
  default     = null

  validation {
    condition     = var.authorization == null || contains(["AWS_IAM", "NONE"], coalesce(var.authorization, "NONE"))
    error_message = "The authorization must be AWS_IAM, NONE or null (each route states its own)."
  }
}

variable "authorizer_id" {
  description = "The COGNITO_USER_POOLS authorizer of routes whose authorization is `COGNITO_USER_POOLS`."
  type        = string
  default     = null
}

variable "routes" {
  description = "The route table: each route's HTTP method, resource path (`/users/{id}`, at most 5 segments), the function serving it (`function_name`, `invoke_arn`; a `node-function` module fits as is), and, when `authorization` is null, its own `authorization` (`NONE` or `COGNITO_USER_POOLS`) and optional `scopes`."
  type = list(object({
    method = string
    path   = string
    function = object({
      function_name = string
      invoke_arn    = string
    })
    authorization = optional(string)
    scopes        = optional(list(string))
  }))

  # Either the API decides for every route, or every route states its own: never a mix, never a default.
  validation {
    condition     = alltrue([for route in var.routes : (var.authorization == null) == (route.authorization != null)])
    error_message = "With authorization set, routes state none; with authorization null, every route states NONE or COGNITO_USER_POOLS (${join(", ", [for route in var.routes : "${route.method} ${route.path}" if(var.authorization == null) != (route.authorization != null)])})."
  }

  validation {
    condition     = alltrue([for route in var.routes : route.authorization == null || contains(["NONE", "COGNITO_USER_POOLS"], coalesce(route.authorization, "NONE"))])
    error_message = "A route's own authorization is NONE or COGNITO_USER_POOLS."
  }

  validation {
    condition     = alltrue([for route in var.routes : route.scopes == null || (coalesce(route.authorization, "NONE") == "COGNITO_USER_POOLS" && try(length(route.scopes), 0) > 0)])
    error_message = "Scopes belong to COGNITO_USER_POOLS routes, and name at least one scope."
  }

  # The paths plus the root: API Gateway lists the root among an API's resources. (The count is
  # written out here: a validation may not read locals derived from the variable it validates.)
  # https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html
  validation {
    condition     = length(distinct(flatten([for route in var.routes : [for depth in range(1, length(split("/", route.path))) : join("/", slice(split("/", route.path), 1, depth + 1))] if route.path != "/"]))) + 1 <= var.resources_per_api_quota
    error_message = "The route table (${length(var.routes)} routes) needs resources for ${length(distinct(flatten([for route in var.routes : [for depth in range(1, length(split("/", route.path))) : join("/", slice(split("/", route.path), 1, depth + 1))] if route.path != "/"])))} paths plus the root, over the \"API Gateway resources per API\" quota of ${var.resources_per_api_quota} by ${length(distinct(flatten([for route in var.routes : [for depth in range(1, length(split("/", route.path))) : join("/", slice(split("/", route.path), 1, depth + 1))] if route.path != "/"]))) + 1 - var.resources_per_api_quota} (Quotas for configuring and running a REST API in API Gateway, https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html). Fix: split the routes over several APIs (one per service or path prefix) (adjustable: or ask for a higher quota in Service Quotas and set resources_per_api_quota)."
  }

  validation {
    condition     = length(var.routes) > 0
    error_message = "Declare at least one route: { method, path, function }."
  }

  # ANY is left out on purpose: a grant must name one method.
  validation {
    condition     = alltrue([for route in var.routes : contains(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"], route.method)])
    error_message = "Unknown method in ${join(", ", [for route in var.routes : "${route.method} ${route.path}" if !contains(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"], route.method)])}: use one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS."
  }

  validation {
    condition     = alltrue([for route in var.routes : can(regex("^(/|(/([A-Za-z0-9._~-]+|\\{[A-Za-z_][A-Za-z0-9_]*\\}))+)$", route.path))])
    error_message = "Malformed path in ${join(", ", [for route in var.routes : "${route.method} ${route.path}" if !can(regex("^(/|(/([A-Za-z0-9._~-]+|\\{[A-Za-z_][A-Za-z0-9_]*\\}))+)$", route.path))])}: a path starts with '/', has no empty segment and no trailing '/', and each segment is letters, digits, '.', '_', '~', '-' or a {param} (greedy {param+} is not supported)."
  }

  # The resource tree is built level by level (main.tf); deeper paths need another level there.
  validation {
    condition     = alltrue([for route in var.routes : length(split("/", route.path)) - 1 <= 5])
    error_message = "A route path may have at most 5 segments: ${join(", ", [for route in var.routes : route.path if length(split("/", route.path)) - 1 > 5])}."
  }

  validation {
    condition     = length(distinct([for route in var.routes : "${route.method} ${route.path}"])) == length(var.routes)
    error_message = "Routes declared twice: ${join(", ", distinct([for i, route in var.routes : "${route.method} ${route.path}" if contains([for earlier in slice(var.routes, 0, i) : "${earlier.method} ${earlier.path}"], "${route.method} ${route.path}")]))}."
  }

  validation {
    condition = alltrue([
      for route in var.routes : length(distinct(regexall("\\{[^}/]*\\}", route.path))) == length(regexall("\\{[^}/]*\\}", route.path))
    ])
    error_message = "A path repeats a path parameter: ${join(", ", [for route in var.routes : route.path if length(distinct(regexall("\\{[^}/]*\\}", route.path))) != length(regexall("\\{[^}/]*\\}", route.path))])}."
  }

  # API Gateway rejects /a/{x} beside /a/{y}: one parameter name per level.
  validation {
    condition = alltrue([
      for parent, names in {
        for pair in flatten([
          for route in var.routes : [
            for i, segment in split("/", route.path) : { parent = join("/", slice(split("/", route.path), 0, i)), name = segment }
            if startswith(segment, "{")
          ]
        ]) : pair.parent => pair.name...
      } : length(distinct(names)) == 1
    ])
    error_message = "Two parameter names on one level: API Gateway allows one parameter name per level (${join("; ", [
      for parent, names in {
        for pair in flatten([
          for route in var.routes : [
            for i, segment in split("/", route.path) : { parent = join("/", slice(split("/", route.path), 0, i)), name = segment }
            if startswith(segment, "{")
          ]
        ]) : pair.parent => pair.name...
      } : "'${parent == "" ? "/" : parent}' has ${join(" and ", distinct(names))}" if length(distinct(names)) > 1
    ])})."
  }
}
