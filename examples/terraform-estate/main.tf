# An existing Terraform estate adopting the exported modules: an internal users API that only
# IAM-signed callers can reach, and one caller (profile) granted exactly GET /users/{id}.

module "users" {
  source = "../../dist/terraform-modules/node-function"

  function_name    = "${var.name_prefix}-users"
  description      = "Internal users service"
  filename         = var.users_function_zip
  source_code_hash = filebase64sha256(var.users_function_zip)
}

module "users_api" {
  source = "../../dist/terraform-modules/internal-api"

  name        = "${var.name_prefix}-users-internal"
  description = "Internal users service: every method is AWS_IAM"
  routes = {
    "GET /users/{id}" = { function_name = module.users.function_name, function_invoke_arn = module.users.invoke_arn }
    "POST /users"     = { function_name = module.users.function_name, function_invoke_arn = module.users.invoke_arn }
  }
  grants = {
    # The profile function may read users, and nothing else.
    profile = { role_name = module.profile.role_name, routes = ["GET /users/{id}"] }
  }
}

module "profile" {
  source = "../../dist/terraform-modules/node-function"

  function_name    = "${var.name_prefix}-profile"
  description      = "Reads users over SigV4"
  filename         = var.profile_function_zip
  source_code_hash = filebase64sha256(var.profile_function_zip)
  environment = {
    USERS_API_URL = module.users_api.invoke_url
  }
}
