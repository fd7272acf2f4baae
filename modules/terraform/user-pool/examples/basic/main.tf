# A user pool whose signed-in users may call one public route; anyone may call /health.

module "users" {
  source = "../../"

  name = "example-users"
  tags = { example = "user-pool-basic" }
}

output "user_pool_id" {
  description = "Give this to the sign-in code (with the client id)."
  value       = module.users.user_pool_id
}

output "public_client_id" {
  description = "The app client a browser or app signs in with (SRP)."
  value       = module.users.public_client_id
}

output "authorizer_inputs" {
  description = "What public-api takes to put routes behind this pool."
  value       = { user_pool_arn = module.users.user_pool_arn, authorizer_client_ids = module.users.client_ids }
}
