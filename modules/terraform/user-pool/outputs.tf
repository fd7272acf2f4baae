output "user_pool_id" {
  description = "The pool's id, `<region>_<id>`: the last segment of its tokens' `iss`."
  value       = aws_cognito_user_pool.this.id
}

output "user_pool_arn" {
  description = "The pool's ARN: what a COGNITO_USER_POOLS authorizer (public-api's `user_pool_arn`) names."
  value       = aws_cognito_user_pool.this.arn
}

output "public_client_id" {
  description = "The public app client's id: `aud` of its ID tokens."
  value       = aws_cognito_user_pool_client.this["public"].id
}

output "test_client_id" {
  description = "The end-to-end test client's id, or null without `test_client`."
  value       = try(aws_cognito_user_pool_client.this["e2e-test"].id, null)
}

output "client_ids" {
  description = "Every client whose ID tokens the public API should accept (public-api's `authorizer_client_ids`)."
  value       = [for key in ["public", "e2e-test"] : aws_cognito_user_pool_client.this[key].id if contains(keys(local.clients), key)]
}
