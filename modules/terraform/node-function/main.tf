resource "aws_lambda_function" "this" {
  function_name = var.function_name
  description   = var.description
  role          = aws_iam_role.this.arn

  filename         = var.filename
  source_code_hash = var.source_code_hash
  handler          = "index.handler"
  runtime          = "nodejs22.x"
  architectures    = ["arm64"]
  memory_size      = var.memory_size
  timeout          = var.timeout

  dynamic "environment" {
    for_each = length(var.environment) > 0 ? [var.environment] : []
    content {
      variables = environment.value
    }
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.this.name
  }

  # X-Ray active tracing: Lambda records each invocation and passes the trace on.
  tracing_config {
    mode = "Active"
  }

  tags = var.tags

  # The group exists, with its retention, before the function can write to it; Lambda would
  # otherwise create one that keeps logs forever.
  depends_on = [aws_cloudwatch_log_group.this]
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${var.function_name}"
  retention_in_days = var.retention_in_days

  tags = var.tags
}

resource "aws_iam_role" "this" {
  name = "${var.function_name}-role"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })

  tags = var.tags
}

# The provider's region and partition, read from its own configuration (no AWS call).
data "aws_service" "logs" {
  service_id = "logs"
}

locals {
  # The role's own policies, rendered with the log group's ARN (`applied`) and with a placeholder
  # ARN of the same length (`sized`), known at plan: IAM counts all inline policies of a role
  # together, and grants from other modules must leave room for these.
  log_group_arns = {
    applied = aws_cloudwatch_log_group.this.arn
    sized   = "arn:${data.aws_service.logs.partition}:logs:${data.aws_service.logs.region}:${format("%012d", 0)}:log-group:${aws_cloudwatch_log_group.this.name}"
  }
  own_policies = {
    for variant, log_group_arn in local.log_group_arns : variant => {
      # The role may write to its own log group and nothing else; grants add what it may call.
      write_own_logs = jsonencode({
        Version = "2012-10-17"
        Statement = [{
          Sid      = "WriteOwnLogGroupOnly"
          Effect   = "Allow"
          Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
          Resource = "${log_group_arn}:*"
        }]
      })
      # Active tracing needs exactly these two actions; X-Ray has no resource-level permissions
      # for them, so the resource is "*".
      # https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html
      write_traces = jsonencode({
        Version = "2012-10-17"
        Statement = [{
          Sid      = "WriteTraces"
          Effect   = "Allow"
          Action   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
          Resource = "*"
        }]
      })
    }
  }
}

resource "aws_iam_role_policy" "write_own_logs" {
  name   = "write-own-logs"
  role   = aws_iam_role.this.name
  policy = local.own_policies.applied.write_own_logs
}

resource "aws_iam_role_policy" "write_traces" {
  name   = "write-traces"
  role   = aws_iam_role.this.name
  policy = local.own_policies.applied.write_traces
}
