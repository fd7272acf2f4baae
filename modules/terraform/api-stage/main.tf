resource "aws_api_gateway_deployment" "this" {
  rest_api_id = var.rest_api_id

  triggers = {
    redeployment = sha256(var.redeployment_fingerprint)
  }

  # A new deployment is live before the old one goes, so the stage never points at nothing.
  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_cloudwatch_log_group" "access_logs" {
  name              = "/aws/apigateway/${var.rest_api_name}/${var.stage_name}/access"
  retention_in_days = var.retention_in_days

  tags = var.tags
}

resource "aws_api_gateway_stage" "this" {
  rest_api_id   = var.rest_api_id
  deployment_id = aws_api_gateway_deployment.this.id
  stage_name    = var.stage_name

  # X-Ray active tracing: the stage starts (or continues) each request's trace.
  xray_tracing_enabled = true

  # One JSON object per request; userArn records which principal called, userSub which signed-in
  # user (public API), traceId ties a public request to the internal calls it made.
  # https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-variables-for-access-logging.html
  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access_logs.arn
    format = jsonencode({
      requestId          = "$context.requestId"
      requestTime        = "$context.requestTimeEpoch"
      sourceIp           = "$context.identity.sourceIp"
      caller             = "$context.identity.caller"
      userArn            = "$context.identity.userArn"
      userSub            = "$context.authorizer.claims.sub"
      httpMethod         = "$context.httpMethod"
      resourcePath       = "$context.resourcePath"
      status             = "$context.status"
      responseLength     = "$context.responseLength"
      integrationLatency = "$context.integrationLatency"
      errorType          = "$context.error.responseType"
      traceId            = "$context.xrayTraceId"
    })
  }

  tags = var.tags
}

resource "aws_api_gateway_method_settings" "this" {
  rest_api_id = var.rest_api_id
  stage_name  = aws_api_gateway_stage.this.stage_name
  method_path = "*/*"

  settings {
    metrics_enabled        = true
    throttling_rate_limit  = var.throttling_rate_limit
    throttling_burst_limit = var.throttling_burst_limit
    # Execution logs can carry request data; access logs are enough to audit callers.
    logging_level      = "OFF"
    data_trace_enabled = false
  }
}
