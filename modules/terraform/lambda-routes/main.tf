locals {
  # Routes by key (`GET /users/{id}`), with the path's segments (none for `/`).
  routes = {
    for route in var.routes : "${route.method} ${route.path}" => merge(route, {
      segments = route.path == "/" ? [] : split("/", trimprefix(route.path, "/"))
    })
  }

  # Each route's execute-api ARN: a {param} segment is * in it (internal-api builds its Deny ARNs
  # from the same rule for the grants it adds).
  # https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html
  # What follows the execution ARN is kept apart: the policy size bound below measures it at plan,
  # when the ARN of a new API is not known yet.
  stage_arn = "${var.execution_arn}/${var.stage_name}"
  route_arn_suffixes = {
    for key, route in local.routes :
    key => "/${var.stage_name}/${route.method}/${join("/", [for segment in route.segments : startswith(segment, "{") ? "*" : segment])}"
  }
  route_arns = { for key, suffix in local.route_arn_suffixes : key => "${var.execution_arn}${suffix}" }

  # Every resource path the routes need (`users`, `users/{id}`), grouped by depth, so that each
  # level's parent is a resource of the level above.
  resource_paths = distinct(flatten([
    for route in values(local.routes) : [for depth in range(1, length(route.segments) + 1) : join("/", slice(route.segments, 0, depth))]
  ]))
  levels = [
    for depth in range(1, 6) : {
      for path in local.resource_paths : path => {
        parent    = join("/", slice(split("/", path), 0, depth - 1))
        path_part = element(split("/", path), depth - 1)
      } if length(split("/", path)) == depth
    }
  ]
  resource_ids = merge(
    { "" = var.root_resource_id },
    { for path, resource in aws_api_gateway_resource.level_1 : path => resource.id },
    { for path, resource in aws_api_gateway_resource.level_2 : path => resource.id },
    { for path, resource in aws_api_gateway_resource.level_3 : path => resource.id },
    { for path, resource in aws_api_gateway_resource.level_4 : path => resource.id },
    { for path, resource in aws_api_gateway_resource.level_5 : path => resource.id },
  )
}

resource "aws_api_gateway_resource" "level_1" {
  for_each = local.levels[0]

  rest_api_id = var.rest_api_id
  parent_id   = var.root_resource_id
  path_part   = each.value.path_part
}

resource "aws_api_gateway_resource" "level_2" {
  for_each = local.levels[1]

  rest_api_id = var.rest_api_id
  parent_id   = aws_api_gateway_resource.level_1[each.value.parent].id
  path_part   = each.value.path_part
}

resource "aws_api_gateway_resource" "level_3" {
  for_each = local.levels[2]

  rest_api_id = var.rest_api_id
  parent_id   = aws_api_gateway_resource.level_2[each.value.parent].id
  path_part   = each.value.path_part
}

resource "aws_api_gateway_resource" "level_4" {
  for_each = local.levels[3]

  rest_api_id = var.rest_api_id
  parent_id   = aws_api_gateway_resource.level_3[each.value.parent].id
  path_part   = each.value.path_part
}

resource "aws_api_gateway_resource" "level_5" {
  for_each = local.levels[4]

  rest_api_id = var.rest_api_id
  parent_id   = aws_api_gateway_resource.level_4[each.value.parent].id
  path_part   = each.value.path_part
}

resource "aws_api_gateway_method" "route" {
  for_each = local.routes

  rest_api_id   = var.rest_api_id
  resource_id   = local.resource_ids[join("/", each.value.segments)]
  http_method   = each.value.method
  authorization = coalesce(var.authorization, each.value.authorization)
  # A signed-in route: the API's COGNITO_USER_POOLS authorizer, and with scopes, access tokens.
  authorizer_id        = coalesce(var.authorization, each.value.authorization) == "COGNITO_USER_POOLS" ? var.authorizer_id : null
  authorization_scopes = each.value.scopes
}

resource "aws_api_gateway_integration" "route" {
  for_each = local.routes

  rest_api_id             = var.rest_api_id
  resource_id             = aws_api_gateway_method.route[each.key].resource_id
  http_method             = aws_api_gateway_method.route[each.key].http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = each.value.function.invoke_arn
}

# Lambda caps a function's resource-based policy (every aws_lambda_permission on it) at 20 KB,
# about 60 route permissions ("Lambda quotas",
# https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html). As the construct does
# (modules/function-permissions.ts), a function whose exact permissions would pass its budget is
# given the compact forms that grant API Gateway nothing more: the whole stage when it serves every
# route of this API, else `…/STAGE/METHOD/*` for each method all of whose routes (two or more) it
# serves. A pattern also matches undeclared paths, but API Gateway invokes a function only from a
# method's integration, and every method of this API is in the route table. What is still over
# then fails the plan (output `lambda_policy_bytes`), never widened further.
#
# The provider's region and partition, read from its own configuration (no AWS call). `region`
# is the attribute provider 6 keeps; `aws_region`'s `name` and `id` are deprecated there.
data "aws_service" "execute_api" {
  service_id = "execute-api"
}

locals {
  # The policy Lambda would store, bounded in bytes as FunctionPermissions.policyBytes() bounds it:
  # each statement's JSON with a 26-character unique suffix on its Sid, the function's ARN and the
  # source ARN, in the envelope, comma-separated. Account ids are 12 characters, REST API ids 10;
  # paths, stage and function names are ASCII (checked above), so characters are bytes.
  arn_of_length = length("arn:::::") + length(data.aws_service.execute_api.partition) + length(data.aws_service.execute_api.region) + 12
  statement_bytes = length(jsonencode({
    Sid       = "AllowApiGatewayInvoke-${format("%026d", 0)}"
    Effect    = "Allow"
    Principal = { Service = "apigateway.amazonaws.com" }
    Action    = "lambda:InvokeFunction"
    Resource  = ""
    Condition = { ArnLike = { "AWS:SourceArn" = "" } }
  }))
  envelope_bytes = length(jsonencode({ Version = "2012-10-17", Id = "default", Statement = [] }))
  # The execution ARN of a new API is known only after apply; this one has its length (this
  # region and partition, a 12-digit account, a 10-character API id) and is known at plan.
  placeholder_execution_arn = "arn:${data.aws_service.execute_api.partition}:execute-api:${data.aws_service.execute_api.region}:${format("%012d", 0)}:${format("%010d", 0)}"
  execution_arn_bytes       = length(local.placeholder_execution_arn)

  # Each function's routes here, by function name (what Lambda keys a policy by).
  served = {
    for name in distinct([for route in var.routes : route.function.function_name]) :
    name => [for key, route in local.routes : key if route.function.function_name == name]
  }
  function_arn_bytes = { for name in keys(local.served) : name => local.arn_of_length + length("lambda") + length("function:${name}") }
  # The bytes one permission adds to its function's policy, by what follows the execution ARN.
  permission_bytes = { for name in keys(local.served) : name => local.statement_bytes + local.function_arn_bytes[name] + local.execution_arn_bytes }
  exact_policy_bytes = {
    for name, keys in local.served :
    name => local.envelope_bytes + sum([for key in keys : local.permission_bytes[name] + length(local.route_arn_suffixes[key])]) + length(keys) - 1
  }

  method_routes = { for method in distinct([for route in var.routes : route.method]) : method => [for key, route in local.routes : key if route.method == method] }
  # The compact forms, keyed by function and method (`users GET`, `users every method`): stable
  # while the form holds, so adding a route under it does not replace the permission.
  compact_permissions = merge([
    for name, keys in local.served : (
      local.exact_policy_bytes[name] <= var.lambda_policy_budget_bytes || length(keys) < 2 ? {} :
      length(keys) == length(local.routes) ? { "${name} every method" = { function = name, routes = keys, arn_suffix = "/${var.stage_name}/*/*" } } :
      {
        for method, of_method in local.method_routes : "${name} ${method}" => { function = name, routes = of_method, arn_suffix = "/${var.stage_name}/${method}/*" }
        if length(of_method) >= 2 && alltrue([for key in of_method : local.routes[key].function.function_name == name])
      }
    )
  ]...)
  compact_arns      = { for key, form in local.compact_permissions : key => "${var.execution_arn}${form.arn_suffix}" }
  compacted         = toset(flatten([for form in values(local.compact_permissions) : form.routes]))
  exact_permissions = { for key, route in local.routes : key => route if !contains(local.compacted, key) }

  # What each function's policy holds from this API once compacted: the ARN suffix of each permission.
  permission_suffixes = {
    for name, keys in local.served : name => concat(
      [for key in keys : local.route_arn_suffixes[key] if !contains(local.compacted, key)],
      [for form in values(local.compact_permissions) : form.arn_suffix if form.function == name],
    )
  }
  policy_bytes = {
    for name, suffixes in local.permission_suffixes :
    name => local.envelope_bytes + sum([for suffix in suffixes : local.permission_bytes[name] + length(suffix)]) + length(suffixes) - 1
  }
  over_budget = [for name, bytes in local.policy_bytes : name if bytes > var.lambda_policy_budget_bytes]
}

resource "aws_lambda_permission" "route" {
  for_each = local.exact_permissions

  # A function may serve several routes, and statement ids must be unique per function:
  # Terraform appends a unique suffix to the prefix.
  statement_id_prefix = "AllowApiGatewayInvoke-"
  function_name       = each.value.function.function_name
  principal           = "apigateway.amazonaws.com"
  action              = "lambda:InvokeFunction"
  source_arn          = local.route_arns[each.key]
}

resource "aws_lambda_permission" "compact" {
  for_each = local.compact_permissions

  statement_id_prefix = "AllowApiGatewayInvoke-"
  function_name       = each.value.function
  principal           = "apigateway.amazonaws.com"
  action              = "lambda:InvokeFunction"
  source_arn          = local.compact_arns[each.key]
}
