# One function from a zip you built, with its own role and its own log group.

module "hello" {
  source = "../../"

  function_name    = "example-hello"
  description      = "Says hello"
  filename         = var.function_zip
  source_code_hash = filebase64sha256(var.function_zip)
  memory_size      = 256
  timeout          = 10
  environment      = { GREETING = "hello" }
  tags             = { example = "node-function-basic" }
}
