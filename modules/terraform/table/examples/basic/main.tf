# A users table and one function role that may read and create items, nothing else.

resource "aws_iam_role" "users" {
  name = "example-users-role"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

module "users_table" {
  source = "../../"

  name = "example-users"
  grants = {
    users-function = { role_name = aws_iam_role.users.name, actions = ["GetItem", "PutItem"] }
  }
  tags = { example = "table-basic" }
}

output "table_name" {
  value = module.users_table.name
}
