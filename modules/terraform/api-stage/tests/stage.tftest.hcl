# The deployment and stage: redeployment trigger, access logs, throttling, and the checks the
# CDKTF construct makes at synth time (modules/api-stage.ts). Mocked provider: no AWS.

mock_provider "aws" {
  # The provider checks ARNs it is given, so mocked ones must look like ARNs.
  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/apigateway/users-internal/v1/access"
    }
  }
}

variables {
  rest_api_id              = "a1b2c3d4e5"
  rest_api_name            = "users-internal"
  stage_name               = "v1"
  redeployment_fingerprint = "routes-v1"
  throttling_rate_limit    = 200
  throttling_burst_limit   = 400
  retention_in_days        = 30
  tags                     = { team = "users" }
}

run "stage_logs_every_request_as_json" {
  command = apply

  assert {
    condition     = aws_cloudwatch_log_group.access_logs.name == "/aws/apigateway/users-internal/v1/access" && aws_cloudwatch_log_group.access_logs.retention_in_days == 30
    error_message = "Access logs go to the stage's own group, with the retention asked for."
  }
  assert {
    condition     = aws_api_gateway_stage.this.access_log_settings[0].destination_arn == aws_cloudwatch_log_group.access_logs.arn
    error_message = "The stage writes access logs to its group."
  }
  assert {
    condition     = jsondecode(aws_api_gateway_stage.this.access_log_settings[0].format).userArn == "$context.identity.userArn"
    error_message = "Each access log line records the calling principal."
  }
  assert {
    condition     = aws_api_gateway_stage.this.tags["team"] == "users" && aws_cloudwatch_log_group.access_logs.tags["team"] == "users"
    error_message = "Tags reach the stage and the log group."
  }
}

run "every_method_is_throttled_with_execution_logs_off" {
  command = apply

  assert {
    condition     = aws_api_gateway_method_settings.this.method_path == "*/*" && aws_api_gateway_method_settings.this.settings[0].throttling_rate_limit == 200 && aws_api_gateway_method_settings.this.settings[0].throttling_burst_limit == 400
    error_message = "Throttling applies to every method."
  }
  assert {
    condition     = aws_api_gateway_method_settings.this.settings[0].logging_level == "OFF" && aws_api_gateway_method_settings.this.settings[0].data_trace_enabled == false
    error_message = "Execution logs (which can carry request data) stay off."
  }
}

run "deployed_with_the_first_fingerprint" {
  command = apply
}

run "a_new_fingerprint_redeploys" {
  command = apply

  variables {
    redeployment_fingerprint = "routes-v2"
  }

  assert {
    condition     = aws_api_gateway_deployment.this.triggers.redeployment == sha256("routes-v2") && aws_api_gateway_deployment.this.triggers.redeployment != run.deployed_with_the_first_fingerprint.deployment_trigger
    error_message = "A changed fingerprint must change the deployment trigger."
  }
}

run "rejects_a_stage_name_api_gateway_refuses" {
  command = plan
  variables {
    stage_name = "v1/beta"
  }
  expect_failures = [var.stage_name]
}

run "rejects_a_non_positive_rate_limit" {
  command = plan
  variables {
    throttling_rate_limit = 0
  }
  expect_failures = [var.throttling_rate_limit]
}

run "rejects_a_negative_burst_limit" {
  command = plan
  variables {
    throttling_burst_limit = -1
  }
  expect_failures = [var.throttling_burst_limit]
}

run "rejects_a_fractional_burst_limit" {
  command = plan
  variables {
    throttling_burst_limit = 1.5
  }
  expect_failures = [var.throttling_burst_limit]
}

run "rejects_a_retention_cloudwatch_does_not_accept" {
  command = plan
  variables {
    retention_in_days = 31
  }
  expect_failures = [var.retention_in_days]
}
