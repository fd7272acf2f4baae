output "name" {
  description = "The table's name (give it to the functions that use it through their environment)."
  value       = aws_dynamodb_table.this.name
}

output "arn" {
  description = "The table's ARN."
  value       = aws_dynamodb_table.this.arn
}
