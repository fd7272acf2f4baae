output "function_name" {
  description = "The function's name."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "The function's ARN."
  value       = aws_lambda_function.this.arn
}

output "invoke_arn" {
  description = "The ARN API Gateway integrations use."
  value       = aws_lambda_function.this.invoke_arn
}

output "role_name" {
  description = "The execution role's name (give it to an internal-api's `grants`)."
  value       = aws_iam_role.this.name
}

output "role_arn" {
  description = "The execution role's ARN."
  value       = aws_iam_role.this.arn
}

output "log_group_name" {
  description = "The function's log group."
  value       = aws_cloudwatch_log_group.this.name
}

output "inline_policy_characters" {
  description = "The characters of the role's own inline policies (logs, traces), as IAM counts them, known at plan: IAM allows 10240 for all inline policies of a role together, so the grants other modules add to `role_name` (an internal-api's `role_policy_budget_characters`) must fit in the rest."
  value       = sum([for policy in values(local.own_policies.sized) : length(policy)])
}
