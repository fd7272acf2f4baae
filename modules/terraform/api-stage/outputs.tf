output "stage_name" {
  description = "The stage name."
  value       = aws_api_gateway_stage.this.stage_name
}

output "invoke_url" {
  description = "The stage's base URL, `https://{id}.execute-api.{region}.amazonaws.com/{stage}`."
  value       = aws_api_gateway_stage.this.invoke_url
}

output "access_log_group_name" {
  description = "The log group the stage writes access logs to."
  value       = aws_cloudwatch_log_group.access_logs.name
}

output "deployment_trigger" {
  description = "The deployment's redeployment trigger (a hash of `redeployment_fingerprint`)."
  value       = aws_api_gateway_deployment.this.triggers.redeployment
}

output "stage_arn" {
  description = "The stage's ARN (what a WAF web ACL is associated with)."
  value       = aws_api_gateway_stage.this.arn
}
