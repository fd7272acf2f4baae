output "function_arn" {
  description = "The function's ARN."
  value       = module.hello.function_arn
}

output "role_name" {
  description = "The function's role: give it to an internal API's `grants`."
  value       = module.hello.role_name
}
