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

# The provider's region and partition, read from its own configuration (no AWS call).
data "aws_service" "dynamodb" {
  service_id = "dynamodb"
}

locals {
  # Each grant's policy, rendered with the table's ARN (`applied`) and with a placeholder ARN of
  # the same length (`sized`), known at plan: IAM counts all inline policies of a role together.
  table_arns = {
    applied = aws_dynamodb_table.this.arn
    sized   = "arn:${data.aws_service.dynamodb.partition}:dynamodb:${data.aws_service.dynamodb.region}:${format("%012d", 0)}:table/${var.name}"
  }
  grant_policies = {
    for variant, table_arn in local.table_arns : variant => {
      for name, grant in var.grants : name => jsonencode({
        Version = "2012-10-17"
        Statement = [{
          Effect   = "Allow"
          Action   = [for action in distinct(grant.actions) : "dynamodb:${action}"]
          Resource = concat([table_arn], [for index in grant.indexes : "${table_arn}/index/${index}"])
        }]
      })
    }
  }
  role_grant_characters = {
    for role in distinct([for grant in values(var.grants) : grant.role_name]) :
    role => sum([for name, grant in var.grants : length(local.grant_policies.sized[name]) if grant.role_name == role])
  }
}

# One inline policy per grant, naming exact actions on the table (and the indexes a Query or Scan
# grant names), never dynamodb:*.
resource "aws_iam_role_policy" "grant" {
  for_each = var.grants

  name   = "dynamodb-${var.name}-${each.key}"
  role   = each.value.role_name
  policy = local.grant_policies.applied[each.key]

  lifecycle {
    # "IAM and AWS STS quotas": https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
    precondition {
      condition     = local.role_grant_characters[each.value.role_name] <= var.role_policy_budget_characters
      error_message = "Table '${var.name}': the grants to role ${each.value.role_name} (${join(", ", [for name, grant in var.grants : name if grant.role_name == each.value.role_name])}) would be ${local.role_grant_characters[each.value.role_name]} characters of inline policy, over role_policy_budget_characters = ${var.role_policy_budget_characters} by ${local.role_grant_characters[each.value.role_name] - var.role_policy_budget_characters} (the \"IAM role policy size (all inline policies of a role)\" quota is 10240 characters, not adjustable: IAM and AWS STS quotas, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). Fix: grant this role fewer indexes, or split the caller into functions, each with its own role."
    }
  }
}
