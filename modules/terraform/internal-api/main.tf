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

  # The policies below are rendered twice: with the API's ARNs (`applied`), and with placeholder
  # ARNs of the same length (`sized`), known at plan even before the API exists, which the AWS
  # size quotas are checked on. IAM does not count whitespace and jsonencode writes none outside
  # strings, so a length here is IAM's count or more (ARNs and names hold no whitespace).
  arns = {
    applied = {
      account      = local.owning_account
      every_method = "${aws_api_gateway_rest_api.this.execution_arn}/*"
      stage        = module.routes.stage_arn
      routes       = module.routes.route_arns
    }
    sized = {
      account      = format("%012d", 0)
      every_method = "${module.routes.placeholder_arns.execution_arn}/*"
      stage        = module.routes.placeholder_arns.stage_arn
      routes       = module.routes.placeholder_arns.route_arns
    }
  }

  # Denies principals of other accounts (and outside the organization, when set); never allows `*`.
  # https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html
  resource_policies = {
    for variant, arns in local.arns : variant => jsonencode({
      Version = "2012-10-17"
      Statement = concat(
        [{
          Sid       = "DenyPrincipalsOfOtherAccounts"
          Effect    = "Deny"
          Principal = "*"
          Action    = "execute-api:Invoke"
          Resource  = arns.every_method
          Condition = { StringNotEquals = { "aws:PrincipalAccount" = concat([arns.account], var.allowed_account_ids) } }
        }],
        var.organization_id == null ? [] : [{
          Sid       = "DenyPrincipalsOutsideOrganization"
          Effect    = "Deny"
          Principal = "*"
          Action    = "execute-api:Invoke"
          Resource  = arns.every_method
          Condition = { StringNotEquals = { "aws:PrincipalOrgID" = var.organization_id } }
        }],
        # Roles of allowed accounts, each allowed exactly the routes granted to it (their own
        # account must still allow them); nothing is allowed to an account as a whole.
        flatten([for role_arn, keys in local.cross_account_held : concat(
          [for key in keys : { Effect = "Allow", Principal = { AWS = role_arn }, Action = "execute-api:Invoke", Resource = arns.routes[key] }],
          length(local.exactness_denies[role_arn]) == 0 ? [] : [{ Effect = "Deny", Principal = { AWS = role_arn }, Action = "execute-api:Invoke", Resource = [for deny in local.exactness_denies[role_arn] : "${arns.stage}/${deny}"] }],
        )]),
      )
    })
  }
}

resource "aws_api_gateway_rest_api_policy" "this" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  policy      = local.resource_policies.applied

  lifecycle {
    precondition {
      condition     = alltrue([for role_arn in keys(local.cross_account_held) : length(local.inexact[role_arn]) == 0])
      error_message = "A cross-account grant cannot be kept exact: a Deny would also deny a route the same role holds (${join("; ", [for role_arn in keys(local.cross_account_held) : "${role_arn}: ${join(", ", local.inexact[role_arn])}" if length(local.inexact[role_arn]) > 0])}). Grant those routes to separate roles."
    }
    # "Quotas for configuring and running a REST API in API Gateway":
    # https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html
    precondition {
      condition     = length(local.resource_policies.sized) <= var.resource_policy_length_quota
      error_message = "InternalApi '${var.name}': its resource policy would be ${length(local.resource_policies.sized)} characters, over the \"API Gateway resource policy length\" quota of ${var.resource_policy_length_quota} by ${length(local.resource_policies.sized) - var.resource_policy_length_quota} (Quotas for configuring and running a REST API in API Gateway, https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html). Fix: allow fewer other accounts, or grant other accounts' roles fewer routes (each cross-account grant is a statement here) (adjustable: or ask for a higher quota in Service Quotas and set resource_policy_length_quota)."
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
  authorization    = "AWS_IAM"

  lambda_policy_budget_bytes = var.lambda_policy_budget_bytes
  resources_per_api_quota    = var.resources_per_api_quota
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
  # The Deny patterns after the stage ARN, without patterns another one already covers.
  exactness_denies = {
    for holder, candidates in local.deny_candidates : holder => [
      for deny in candidates : deny
      if !anytrue([for other in candidates : other != deny && can(regex(local.regex_of[other], deny))])
    ]
  }
}

locals {
  grant_policies = {
    for variant, arns in local.arns : variant => {
      for name, grant in var.grants : name => jsonencode({
        Version = "2012-10-17"
        Statement = concat(
          [for route in distinct(grant.routes) : {
            Effect   = "Allow"
            Action   = "execute-api:Invoke"
            Resource = arns.routes[route]
          }],
          # The same Deny in each policy of one role: it covers every route the role holds here.
          length(local.exactness_denies[grant.role_name]) == 0 ? [] : [{
            Effect   = "Deny"
            Action   = "execute-api:Invoke"
            Resource = [for deny in local.exactness_denies[grant.role_name] : "${arns.stage}/${deny}"]
          }],
        )
      })
    }
  }
  # IAM counts all inline policies of a role together; these are the ones this API adds.
  role_grant_characters = {
    for role in keys(local.role_held) : role => sum([for name, grant in var.grants : length(local.grant_policies.sized[name]) if grant.role_name == role])
  }
}

# One inline policy per grant, named after the API and the grant, so that two grants for one
# role are two policies and re-applying changes nothing.
resource "aws_iam_role_policy" "grant" {
  for_each = var.grants

  name   = "invoke-${aws_api_gateway_rest_api.this.id}-${each.key}"
  role   = each.value.role_name
  policy = local.grant_policies.applied[each.key]

  lifecycle {
    precondition {
      condition     = length(local.inexact[each.value.role_name]) == 0
      error_message = "The grants to ${each.value.role_name} cannot be kept exact: a Deny of ${join(", ", local.inexact[each.value.role_name])} would also deny a route it holds. Grant those routes to separate roles (the CDKTF construct handles this case with narrower Denies and a synth warning)."
    }
    # "IAM and AWS STS quotas": https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
    precondition {
      condition     = local.role_grant_characters[each.value.role_name] <= var.role_policy_budget_characters
      error_message = "InternalApi '${var.name}': the grants to role ${each.value.role_name} (${join(", ", [for name, grant in var.grants : name if grant.role_name == each.value.role_name])}) would be ${local.role_grant_characters[each.value.role_name]} characters of inline policy, over role_policy_budget_characters = ${var.role_policy_budget_characters} by ${local.role_grant_characters[each.value.role_name] - var.role_policy_budget_characters} (the \"IAM role policy size (all inline policies of a role)\" quota is 10240 characters, not adjustable: IAM and AWS STS quotas, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). Fix: grant this role fewer routes: split the caller into functions, each with its own role and the routes it calls."
    }
  }
}
