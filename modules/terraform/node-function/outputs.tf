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
