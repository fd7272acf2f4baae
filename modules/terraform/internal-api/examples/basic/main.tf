# An internal users API that only IAM-signed callers of this account can reach, and a caller
# role granted exactly GET /users/{id}.

module "users" {
  source = "../../../node-function"

  function_name    = "example-users"
  filename         = var.function_zip
  source_code_hash = filebase64sha256(var.function_zip)
}

# Any role can be granted routes: here a plain one, as an existing estate has them.
resource "aws_iam_role" "reader" {
  name = "example-users-reader"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

module "users_api" {
  source = "../../"

  name        = "example-users-internal"
  description = "Every method is AWS_IAM"
  routes = [
    { method = "GET", path = "/users/{id}", function = module.users },
    { method = "POST", path = "/users", function = module.users },
  ]
  grants = {
    reader = { role_name = aws_iam_role.reader.name, routes = ["GET /users/{id}"] }
  }
  tags = { example = "internal-api-basic" }
}
