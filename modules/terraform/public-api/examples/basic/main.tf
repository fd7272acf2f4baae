# A public API in front of one function: open, throttled, quiet about what is behind it.

module "profile" {
  source = "../../../node-function"

  function_name    = "example-profile"
  filename         = var.function_zip
  source_code_hash = filebase64sha256(var.function_zip)
}

module "public_api" {
  source = "../../"

  name        = "example-public"
  description = "Public entry point"
  routes = [
    { method = "GET", path = "/users/{id}/profile", function = module.profile, authorization = "NONE" },
  ]
  throttling_rate_limit  = 50
  throttling_burst_limit = 100
  tags                   = { example = "public-api-basic" }
}
