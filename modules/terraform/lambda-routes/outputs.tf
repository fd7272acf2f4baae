output "route_arns" {
  description = "The execute-api ARN of each route, by route key (`GET /users/{id}`): what a grant allows and what each Lambda permission names."
  value       = local.route_arns
}

output "stage_arn" {
  description = "`arn:aws:execute-api:REGION:ACCOUNT:API_ID/STAGE`: what every route ARN (and an exactness Deny pattern) starts with."
  value       = local.stage_arn
}

output "placeholder_arns" {
  description = "`execution_arn`, `stage_arn` and `route_arns` with a placeholder execution ARN of the same length, known at plan even for a new API: what the calling modules measure policy sizes on, never what a policy grants."
  value = {
    execution_arn = local.placeholder_execution_arn
    stage_arn     = "${local.placeholder_execution_arn}/${var.stage_name}"
    route_arns    = { for key, suffix in local.route_arn_suffixes : key => "${local.placeholder_execution_arn}${suffix}" }
  }
}

output "fingerprint" {
  description = "Each route's method, path, authorization and integration, as JSON: a deployment must be redeployed when it changes."
  value = jsonencode([
    for key, route in local.routes : {
      route         = key
      authorization = aws_api_gateway_method.route[key].authorization
      scopes        = aws_api_gateway_method.route[key].authorization_scopes
      integration   = { type = aws_api_gateway_integration.route[key].type, uri = aws_api_gateway_integration.route[key].uri }
    }
  ])
}

output "method_authorizations" {
  description = "Each method's authorization, by route key."
  value       = { for key, method in aws_api_gateway_method.route : key => method.authorization }
}

output "authorizer_ids" {
  description = "Each method's authorizer id (null for methods without one), by route key."
  value       = { for key, method in aws_api_gateway_method.route : key => method.authorizer_id }
}

output "lambda_policy_bytes" {
  description = "The bound, in bytes, of what each function's resource-based policy holds from this API's permissions (compact forms applied), by function name; the plan fails when one is over `lambda_policy_budget_bytes`."
  value       = local.policy_bytes

  precondition {
    condition = length(local.over_budget) == 0
    error_message = join(" ", [for name in local.over_budget : format(
      "Function '%s': its resource-based policy from this API (%d aws_lambda_permission statements, %d routes) would be %d bytes, over lambda_policy_budget_bytes = %d by %d (the \"Lambda function resource-based policy size\" quota is 20480 bytes, not adjustable: Lambda quotas, https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html). Fix: serve fewer routes from this function (give a group of routes its own function), or serve all of the API's routes, or all of one method's, from it so that one permission can cover them.",
      name, length(local.permission_suffixes[name]), length(local.served[name]), local.policy_bytes[name], var.lambda_policy_budget_bytes, local.policy_bytes[name] - var.lambda_policy_budget_bytes,
    )])
  }
}

output "compact_source_arns" {
  description = "The source ARN of each compact permission (a function's whole stage, or one method of it), keyed `<function> every method` or `<function> <METHOD>`; empty while every function's exact permissions fit."
  value       = { for key, permission in aws_lambda_permission.compact : key => permission.source_arn }
}
