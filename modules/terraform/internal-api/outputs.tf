output "rest_api_id" {
  description = "The REST API's id."
  value       = aws_api_gateway_rest_api.this.id
}

output "execution_arn" {
  description = "`arn:aws:execute-api:REGION:ACCOUNT:API_ID`."
  value       = aws_api_gateway_rest_api.this.execution_arn
}

output "invoke_url" {
  description = "The stage's base URL; callers sign requests to it with SigV4."
  value       = module.stage.invoke_url
}

output "stage_name" {
  description = "The stage name."
  value       = module.stage.stage_name
}

output "account_id" {
  description = "The id of the account that owns the API (read from its execution ARN)."
  value       = local.owning_account
}

output "route_arns" {
  description = "The execute-api ARN of each route, by route key (`GET /users/{id}`): what a grant allows."
  value       = module.routes.route_arns
}

output "grant_policy_names" {
  description = "The inline policy each grant attached to its role, by grant name."
  value       = { for name, policy in aws_iam_role_policy.grant : name => policy.name }
}

output "deployment_trigger" {
  description = "The deployment's redeployment trigger: it changes when routes, integrations or the resource policy change."
  value       = module.stage.deployment_trigger
}

output "stage_arn" {
  description = "The stage's ARN: give it to `api-web-acl` to put a WAF web ACL in front."
  value       = module.stage.stage_arn
}
