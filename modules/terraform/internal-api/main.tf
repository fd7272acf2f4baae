resource "aws_api_gateway_rest_api" "this" {
  name        = var.name
  description = var.description

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  tags = var.tags
}

locals {
  # Read from the API's own execution ARN, so no data source (and no AWS call at plan time) is needed.
  owning_account = element(split(":", aws_api_gateway_rest_api.this.execution_arn), 4)
  every_method   = "${aws_api_gateway_rest_api.this.execution_arn}/*"
}

# Denies principals of other accounts (and outside the organization, when set); never allows `*`.
# https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html
resource "aws_api_gateway_rest_api_policy" "this" {
  rest_api_id = aws_api_gateway_rest_api.this.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [{
        Sid       = "DenyPrincipalsOfOtherAccounts"
        Effect    = "Deny"
        Principal = "*"
        Action    = "execute-api:Invoke"
        Resource  = local.every_method
        Condition = { StringNotEquals = { "aws:PrincipalAccount" = concat([local.owning_account], var.allowed_account_ids) } }
      }],
      var.organization_id == null ? [] : [{
        Sid       = "DenyPrincipalsOutsideOrganization"
        Effect    = "Deny"
        Principal = "*"
        Action    = "execute-api:Invoke"
        Resource  = local.every_method
        Condition = { StringNotEquals = { "aws:PrincipalOrgID" = var.organization_id } }
      }],
      # Cross-account calls need the resource policy to allow them too; the caller's own
      # identity policy still has to grant each route.
      length(var.allowed_account_ids) == 0 ? [] : [{
        Sid       = "AllowListedAccounts"
        Effect    = "Allow"
        Principal = { AWS = [for account in var.allowed_account_ids : "arn:aws:iam::${account}:root"] }
        Action    = "execute-api:Invoke"
        Resource  = local.every_method
      }],
    )
  })
}

module "routes" {
  source = "../lambda-routes"

  rest_api_id      = aws_api_gateway_rest_api.this.id
  root_resource_id = aws_api_gateway_rest_api.this.root_resource_id
  execution_arn    = aws_api_gateway_rest_api.this.execution_arn
  stage_name       = var.stage_name
  routes           = var.routes
  authorization    = "AWS_IAM"
}

module "stage" {
  source = "../api-stage"

  rest_api_id   = aws_api_gateway_rest_api.this.id
  rest_api_name = aws_api_gateway_rest_api.this.name
  stage_name    = var.stage_name
  redeployment_fingerprint = jsonencode({
    routes          = module.routes.fingerprint
    resource_policy = aws_api_gateway_rest_api_policy.this.policy
  })
  throttling_rate_limit  = var.throttling_rate_limit
  throttling_burst_limit = var.throttling_burst_limit
  retention_in_days      = var.retention_in_days
  tags                   = var.tags

  # The deployment must see every method, integration and the resource policy.
  depends_on = [module.routes, aws_api_gateway_rest_api_policy.this]
}

# One inline policy per grant, named after the API and the grant, so that two grants for one
# role are two policies and re-applying changes nothing.
resource "aws_iam_role_policy" "grant" {
  for_each = var.grants

  name = "invoke-${aws_api_gateway_rest_api.this.id}-${each.key}"
  role = each.value.role_name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [for route in distinct(each.value.routes) : {
      Effect   = "Allow"
      Action   = "execute-api:Invoke"
      Resource = module.routes.route_arns[route]
    }]
  })
}
