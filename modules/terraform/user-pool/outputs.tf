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
  value       = aws_cognito_user_pool_client.public.id
}

output "test_client_id" {
  description = "The end-to-end test client's id, or null without `test_client`."
  value       = one(aws_cognito_user_pool_client.e2e_test[*].id)
}

output "client_ids" {
  description = "Every client whose ID tokens the public API should accept (public-api's `authorizer_client_ids`)."
  value       = concat([aws_cognito_user_pool_client.public.id], aws_cognito_user_pool_client.e2e_test[*].id)
}
