# The AWS quotas a route table can break, checked at plan as the CDKTF construct checks them at
# synth (modules/function-permissions.ts, modules/lambda-routes.ts). Mocked provider: no AWS.

mock_provider "aws" {
  # The size bound counts the region and partition of every ARN.
  mock_data "aws_service" {
    defaults = { region = "eu-west-1", partition = "aws" }
  }
}

variables {
  rest_api_id      = "a1b2c3d4e5"
  root_resource_id = "r00t000001"
  execution_arn    = "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5"
  stage_name       = "v1"
  authorization    = "AWS_IAM"
  # One function serving 70 routes: about 23 KB of exact permissions, over Lambda's 20 KB.
  routes = [for i in range(70) : { method = "GET", path = "/items${i}/{id}", function = { function_name = "big", invoke_arn = "arn:big" } }]
}

run "gives_a_function_serving_every_route_one_permission_for_the_stage" {
  command = apply

  assert {
    condition     = keys(aws_lambda_permission.compact) == ["big every method"] && length(aws_lambda_permission.route) == 0
    error_message = "A function serving every route of the API, over the quota exactly, gets one permission for the stage and no per-route ones."
  }
  assert {
    condition     = aws_lambda_permission.compact["big every method"].source_arn == "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/v1/*/*"
    error_message = "The stage form names every method and path of this API's stage, nothing of another stage or API."
  }
  assert {
    condition     = output.lambda_policy_bytes["big"] < 20480
    error_message = "Compacted, the policy is within the quota."
  }
}

run "keeps_the_compact_permission_when_a_route_is_added" {
  command = apply
  variables {
    routes = [for i in range(71) : { method = "GET", path = "/items${i}/{id}", function = { function_name = "big", invoke_arn = "arn:big" } }]
  }

  assert {
    condition     = keys(aws_lambda_permission.compact) == ["big every method"] && aws_lambda_permission.compact["big every method"].source_arn == run.gives_a_function_serving_every_route_one_permission_for_the_stage.compact_source_arns["big every method"]
    error_message = "Adding a route under a compact form keeps its key and source ARN: nothing is replaced."
  }
}

run "compacts_only_the_methods_all_of_whose_routes_the_function_serves" {
  command = apply
  variables {
    routes = concat(
      [for i in range(70) : { method = "GET", path = "/items${i}/{id}", function = { function_name = "big", invoke_arn = "arn:big" } }],
      [for i in range(2) : { method = "DELETE", path = "/items${i}/{id}", function = { function_name = "big", invoke_arn = "arn:big" } }],
      [
        { method = "PUT", path = "/items0/{id}", function = { function_name = "big", invoke_arn = "arn:big" } },
        { method = "PUT", path = "/items1/{id}", function = { function_name = "small", invoke_arn = "arn:small" } },
      ],
    )
  }

  assert {
    condition     = keys(aws_lambda_permission.compact) == ["big DELETE", "big GET"]
    error_message = "GET and DELETE are served by big alone; PUT is shared with small, so big's PUT stays exact."
  }
  assert {
    condition     = aws_lambda_permission.compact["big GET"].source_arn == "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/v1/GET/*"
    error_message = "A method form names that method of this stage only."
  }
  assert {
    condition     = keys(aws_lambda_permission.route) == ["PUT /items0/{id}", "PUT /items1/{id}"]
    error_message = "Routes no compact form covers keep their exact permission, whichever function serves them."
  }
}

run "keeps_exact_permissions_for_a_function_within_its_budget" {
  command = apply
  variables {
    routes = [for i in range(50) : { method = "GET", path = "/items${i}/{id}", function = { function_name = "big", invoke_arn = "arn:big" } }]
  }

  assert {
    condition     = length(aws_lambda_permission.route) == 50 && length(aws_lambda_permission.compact) == 0
    error_message = "50 exact permissions fit in 20 KB: each route keeps its own."
  }
}

run "compacts_within_a_smaller_budget" {
  command = apply
  variables {
    lambda_policy_budget_bytes = 2048
    routes                     = [for i in range(10) : { method = "GET", path = "/items${i}/{id}", function = { function_name = "big", invoke_arn = "arn:big" } }]
  }

  assert {
    condition     = keys(aws_lambda_permission.compact) == ["big every method"]
    error_message = "A function given a share of its policy (it serves other APIs too) compacts when its share would be passed."
  }
}

run "fails_the_plan_when_a_function_stays_over_the_quota_after_compacting" {
  command = plan
  variables {
    # big serves 69 of the 70 GET routes: no form grants it nothing more, so it stays exact and over.
    routes = concat(
      [for i in range(69) : { method = "GET", path = "/items${i}/{id}", function = { function_name = "big", invoke_arn = "arn:big" } }],
      [{ method = "GET", path = "/other", function = { function_name = "small", invoke_arn = "arn:small" } }],
    )
  }
  expect_failures = [output.lambda_policy_bytes]
}

run "rejects_a_budget_over_the_quota" {
  command = plan
  variables {
    lambda_policy_budget_bytes = 20481
  }
  expect_failures = [var.lambda_policy_budget_bytes]
}

run "rejects_more_resources_than_the_api_quota" {
  command = plan
  variables {
    # 300 paths plus the root: 301 resources.
    routes = [for i in range(300) : { method = "GET", path = "/r${i}", function = { function_name = "small", invoke_arn = "arn:small" } }]
  }
  expect_failures = [var.routes]
}

run "counts_the_root_among_the_resources_under_a_set_quota" {
  command = plan
  variables {
    # Four paths plus the root: five resources, as many as this quota allows.
    resources_per_api_quota = 5
    routes                  = [for i in range(4) : { method = "GET", path = "/r${i}", function = { function_name = "small", invoke_arn = "arn:small" } }]
  }
}

run "rejects_one_resource_more_than_a_set_quota" {
  command = plan
  variables {
    resources_per_api_quota = 4
    routes                  = [for i in range(4) : { method = "GET", path = "/r${i}", function = { function_name = "small", invoke_arn = "arn:small" } }]
  }
  expect_failures = [var.routes]
}
