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
