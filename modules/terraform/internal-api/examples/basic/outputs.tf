output "invoke_url" {
  description = "Base URL of the internal API (SigV4-signed calls only)."
  value       = module.users_api.invoke_url
}

output "reader_grant_arns" {
  description = "What the reader role may invoke."
  value       = [module.users_api.route_arns["GET /users/{id}"]]
}
