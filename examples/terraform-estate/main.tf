# An existing Terraform estate adopting the committed modules: an internal users API that only
# IAM-signed callers can reach, one caller (profile) granted exactly GET /users/{id}, and the
# users table, which only the users function may read and write (GetItem, PutItem).
# From another repository, source them as
# git::https://github.com/example-org/secure-internal-apis//modules/terraform/<module>?ref=v0.2.0

module "users" {
  source = "../../modules/terraform/node-function"

  function_name    = "${var.name_prefix}-users"
  description      = "Internal users service"
  filename         = var.users_function_zip
  source_code_hash = filebase64sha256(var.users_function_zip)
  environment = {
    USERS_TABLE_NAME = module.users_table.name
  }
}

module "users_table" {
  source = "../../modules/terraform/table"

  name = "${var.name_prefix}-users"
  grants = {
    # Exactly what the users function's code calls: GetItem to read, a conditional PutItem to create.
    users = { role_name = module.users.role_name, actions = ["GetItem", "PutItem"] }
  }
}

module "users_api" {
  source = "../../modules/terraform/internal-api"

  name        = "${var.name_prefix}-users-internal"
  description = "Internal users service: every method is AWS_IAM"
  routes = [
    { method = "GET", path = "/users/{id}", function = module.users },
    { method = "POST", path = "/users", function = module.users },
  ]
  grants = {
    # The profile function may read users, and nothing else.
    profile = { role_name = module.profile.role_name, routes = ["GET /users/{id}"] }
  }
}

module "profile" {
  source = "../../modules/terraform/node-function"

  function_name    = "${var.name_prefix}-profile"
  description      = "Reads users over SigV4"
  filename         = var.profile_function_zip
  source_code_hash = filebase64sha256(var.profile_function_zip)
  environment = {
    USERS_API_URL = module.users_api.invoke_url
  }
}
