output "users_api_url" {
  description = "Base URL of the internal users API (SigV4-signed calls only)."
  value       = module.users_api.invoke_url
}

output "profile_grant_arns" {
  description = "What the profile function may invoke."
  value       = [module.users_api.route_arns["GET /users/{id}"]]
}

output "profile_role_arn" {
  description = "Role of the profile function."
  value       = module.profile.role_arn
}
