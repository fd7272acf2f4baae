resource "aws_dynamodb_table" "this" {
  name         = var.name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = var.hash_key

  attribute {
    name = var.hash_key
    type = var.hash_key_type
  }

  deletion_protection_enabled = var.deletion_protection_enabled

  point_in_time_recovery {
    enabled = var.point_in_time_recovery_enabled
  }

  # enabled = true means a KMS key (aws/dynamodb unless one is given) rather than the AWS-owned default.
  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  tags = var.tags
}

# One inline policy per grant, naming exact actions on the table (and the indexes a Query or Scan
# grant names), never dynamodb:*.
resource "aws_iam_role_policy" "grant" {
  for_each = var.grants

  name = "dynamodb-${var.name}-${each.key}"
  role = each.value.role_name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = [for action in distinct(each.value.actions) : "dynamodb:${action}"]
      Resource = concat([aws_dynamodb_table.this.arn], [for index in each.value.indexes : "${aws_dynamodb_table.this.arn}/index/${index}"])
    }]
  })
}
