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
      # Roles of allowed accounts, each allowed exactly the routes granted to it (their own
      # account must still allow them); nothing is allowed to an account as a whole.
      flatten([for role_arn, keys in local.cross_account_held : concat(
        [for key in keys : { Effect = "Allow", Principal = { AWS = role_arn }, Action = "execute-api:Invoke", Resource = module.routes.route_arns[key] }],
        length(local.exactness_denies[role_arn]) == 0 ? [] : [{ Effect = "Deny", Principal = { AWS = role_arn }, Action = "execute-api:Invoke", Resource = local.exactness_denies[role_arn] }],
      )]),
    )
  })

  lifecycle {
    precondition {
      condition     = alltrue([for role_arn in keys(local.cross_account_held) : length(local.inexact[role_arn]) == 0])
      error_message = "A cross-account grant cannot be kept exact: a Deny would also deny a route the same role holds (${join("; ", [for role_arn in keys(local.cross_account_held) : "${role_arn}: ${join(", ", local.inexact[role_arn])}" if length(local.inexact[role_arn]) > 0])}). Grant those routes to separate roles."
    }
  }
}

module "routes" {
  source = "../lambda-routes"

  rest_api_id      = aws_api_gateway_rest_api.this.id
  root_resource_id = aws_api_gateway_rest_api.this.root_resource_id
  execution_arn    = aws_api_gateway_rest_api.this.execution_arn
  stage_name       = var.stage_name
  routes           = var.routes

  lambda_policy_budget_bytes = var.lambda_policy_budget_bytes
  resources_per_api_quota    = var.resources_per_api_quota
  authorization              = "AWS_IAM"
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

# Exact grants, as the CDKTF construct makes them (modules/exact-grants.ts): a {param} is * in the
# ARN and IAM's * also matches "/" and literal siblings, so `GET/users/*` would also reach
# `GET /users/{id}/profile` or a declared `GET /users/me`. Each holder (a role name, or a role ARN
# of another account) gets a Deny of those, computed over every route it holds here.
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
locals {
  # Each route as `METHOD/arn/path` ({param} as *), and a request to it whose parameters take a
  # value no literal segment can ("{}").
  route_shapes = {
    for route in var.routes : "${route.method} ${route.path}" => {
      method   = route.method
      segments = [for segment in compact(split("/", route.path)) : startswith(segment, "{") ? "*" : segment]
    }
  }
  route_patterns = { for key, shape in local.route_shapes : key => "${shape.method}/${join("/", shape.segments)}" }
  route_requests = { for key, shape in local.route_shapes : key => "${shape.method}/${join("/", [for segment in shape.segments : segment == "*" ? "{}" : segment])}" }

  # Routes held, by holder, over all of its grants.
  role_held = {
    for role in distinct([for grant in values(var.grants) : grant.role_name]) :
    role => distinct(flatten([for grant in values(var.grants) : grant.routes if grant.role_name == role]))
  }
  cross_account_held = {
    for role_arn in distinct([for grant in values(var.cross_account_grants) : grant.role_arn]) :
    role_arn => distinct(flatten([for grant in values(var.cross_account_grants) : grant.routes if grant.role_arn == role_arn]))
  }
  held = merge(local.role_held, local.cross_account_held)

  # One level deeper than each parameter: the * at that segment replaced by */*.
  deeper = {
    for holder, keys in local.held : holder => distinct(flatten([
      for key in keys : [
        for i, segment in local.route_shapes[key].segments :
        "${local.route_shapes[key].method}/${join("/", concat(slice(local.route_shapes[key].segments, 0, i), ["*", "*"], slice(local.route_shapes[key].segments, i + 1, length(local.route_shapes[key].segments))))}"
        if segment == "*"
      ]
    ]))
  }
  # IAM's wildcard as a regular expression, for every pattern the checks below match with.
  regex_of = {
    for pattern in distinct(concat(values(local.route_patterns), flatten(values(local.deeper)))) :
    pattern => "^${replace(replace(pattern, ".", "\\."), "*", ".*")}$"
  }
  # Declared routes (in declaration order) a held pattern reaches, literal siblings and deeper
  # routes, that no deeper Deny covers.
  reached = {
    for holder, keys in local.held : holder => [
      for route in var.routes : local.route_patterns["${route.method} ${route.path}"]
      if !contains(keys, "${route.method} ${route.path}")
      && anytrue([for key in keys : can(regex(local.regex_of[local.route_patterns[key]], local.route_requests["${route.method} ${route.path}"]))])
      && !anytrue([for deny in local.deeper[holder] : can(regex(local.regex_of[deny], local.route_requests["${route.method} ${route.path}"]))])
    ]
  }
  deny_candidates = { for holder, keys in local.held : holder => concat(local.deeper[holder], local.reached[holder]) }
  # A Deny that would also match a request to a held route: IAM cannot keep these grants exact.
  inexact = {
    for holder, keys in local.held : holder => [
      for deny in local.deny_candidates[holder] : deny
      if anytrue([for key in keys : can(regex(local.regex_of[deny], local.route_requests[key]))])
    ]
  }
  # The Deny ARNs, without patterns another one already covers.
  exactness_denies = {
    for holder, candidates in local.deny_candidates : holder => [
      for deny in candidates : "${module.routes.stage_arn}/${deny}"
      if !anytrue([for other in candidates : other != deny && can(regex(local.regex_of[other], deny))])
    ]
  }
}

# One inline policy per grant, named after the API and the grant, so that two grants for one
# role are two policies and re-applying changes nothing.
resource "aws_iam_role_policy" "grant" {
  for_each = var.grants

  name = "invoke-${aws_api_gateway_rest_api.this.id}-${each.key}"
  role = each.value.role_name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [for route in distinct(each.value.routes) : {
        Effect   = "Allow"
        Action   = "execute-api:Invoke"
        Resource = module.routes.route_arns[route]
      }],
      # The same Deny in each policy of one role: it covers every route the role holds here.
      length(local.exactness_denies[each.value.role_name]) == 0 ? [] : [{
        Effect   = "Deny"
        Action   = "execute-api:Invoke"
        Resource = local.exactness_denies[each.value.role_name]
      }],
    )
  })

  lifecycle {
    precondition {
      condition     = length(local.inexact[each.value.role_name]) == 0
      error_message = "The grants to ${each.value.role_name} cannot be kept exact: a Deny of ${join(", ", local.inexact[each.value.role_name])} would also deny a route it holds. Grant those routes to separate roles (the CDKTF construct handles this case with narrower Denies and a synth warning)."
    }
  }
}
