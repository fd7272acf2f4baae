# An internal API behind a WAF web ACL: floods from one address are blocked before they spend
# the stage's throttle, and so are addresses on AWS's IP reputation list.

module "users" {
  source = "../../../node-function"

  function_name    = "example-waf-users"
  filename         = var.function_zip
  source_code_hash = filebase64sha256(var.function_zip)
}

module "users_api" {
  source = "../../../internal-api"

  name   = "example-waf-users-internal"
  routes = [{ method = "GET", path = "/users/{id}", function = module.users }]
}

module "web_acl" {
  source = "../../"

  name              = "example-waf-apis"
  stage_arns        = { users = module.users_api.stage_arn }
  rate_limit_per_ip = 1000
  tags              = { example = "api-web-acl-basic" }
}
