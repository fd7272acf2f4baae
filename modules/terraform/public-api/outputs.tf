output "rest_api_id" {
  description = "The REST API's id."
  value       = aws_api_gateway_rest_api.this.id
}

output "execution_arn" {
  description = "`arn:aws:execute-api:REGION:ACCOUNT:API_ID`."
  value       = aws_api_gateway_rest_api.this.execution_arn
}

output "invoke_url" {
  description = "The stage's base URL."
  value       = module.stage.invoke_url
}

output "stage_name" {
  description = "The stage name."
  value       = module.stage.stage_name
}

output "route_arns" {
  description = "The execute-api ARN of each route, by route key (`GET /users/{id}/profile`)."
  value       = module.routes.route_arns
}

output "stage_arn" {
  description = "The stage's ARN: give it to `api-web-acl` to put a WAF web ACL in front."
  value       = module.stage.stage_arn
}
