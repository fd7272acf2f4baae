output "name" {
  description = "The table's name (give it to the functions that use it through their environment)."
  value       = aws_dynamodb_table.this.name
}

output "arn" {
  description = "The table's ARN."
  value       = aws_dynamodb_table.this.arn
}

output "grant_policy_names" {
  description = "The inline policy each grant attached to its role, by grant name."
  value       = { for name, policy in aws_iam_role_policy.grant : name => policy.name }
}
