locals {
  # Routes by key (`GET /users/{id}`), with the path's segments (none for `/`).
  routes = {
    for route in var.routes : "${route.method} ${route.path}" => merge(route, {
      segments = route.path == "/" ? [] : split("/", trimprefix(route.path, "/"))
    })
  }

  # The one place this module set builds an execute-api ARN: a {param} segment is * in it.
  # https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html
  stage_arn = "${var.execution_arn}/${var.stage_name}"
  route_arns = {
    for key, route in local.routes :
    key => "${local.stage_arn}/${route.method}/${join("/", [for segment in route.segments : startswith(segment, "{") ? "*" : segment])}"
  }

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

resource "aws_lambda_permission" "route" {
  for_each = local.routes

  # A function may serve several routes, and statement ids must be unique per function:
  # Terraform appends a unique suffix to the prefix.
  statement_id_prefix = "AllowApiGatewayInvoke-"
  function_name       = each.value.function.function_name
  principal           = "apigateway.amazonaws.com"
  action              = "lambda:InvokeFunction"
  source_arn          = local.route_arns[each.key]
}
