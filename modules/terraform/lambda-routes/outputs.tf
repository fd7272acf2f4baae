output "route_arns" {
  description = "The execute-api ARN of each route, by route key (`GET /users/{id}`): what a grant allows and what each Lambda permission names."
  value       = local.route_arns
}

output "stage_arn" {
  description = "`arn:aws:execute-api:REGION:ACCOUNT:API_ID/STAGE`: what every route ARN (and an exactness Deny pattern) starts with."
  value       = local.stage_arn
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
