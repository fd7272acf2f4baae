# WAF runs before API Gateway's resource policies, IAM and authorizers, so these rules stop an
# unauthenticated flood before it spends the stage's throttle. "Use AWS WAF to protect your REST
# APIs in API Gateway":
# https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-aws-waf.html
resource "aws_wafv2_web_acl" "this" {
  name        = var.name
  description = "Rate limit per source IP and AWS IP reputation list, before API Gateway's own checks"
  scope       = "REGIONAL"

  default_action {
    allow {}
  }

  rule {
    name     = "rate-limit-per-ip"
    priority = 0

    action {
      block {}
    }

    statement {
      rate_based_statement {
        limit                 = var.rate_limit_per_ip
        aggregate_key_type    = "IP"
        evaluation_window_sec = var.evaluation_window_sec
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      sampled_requests_enabled   = true
      metric_name                = "${var.name}-rate-limit-per-ip"
    }
  }

  # Addresses Amazon threat intelligence flags (bots, reconnaissance, DDoS sources).
  rule {
    name     = "aws-ip-reputation-list"
    priority = 1

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesAmazonIpReputationList"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      sampled_requests_enabled   = true
      metric_name                = "${var.name}-aws-ip-reputation-list"
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    sampled_requests_enabled   = true
    metric_name                = var.name
  }

  tags = var.tags
}

resource "aws_wafv2_web_acl_association" "this" {
  for_each = var.stage_arns

  resource_arn = each.value
  web_acl_arn  = aws_wafv2_web_acl.this.arn
}
