# The web ACL's rules and associations, and the checks the ApiWebAcl construct makes at synth
# time (modules/web-acl.ts). Mocked provider: no AWS.

mock_provider "aws" {
  mock_resource "aws_wafv2_web_acl" {
    defaults = {
      arn = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/apis/0a1b2c3d-0000-4000-8000-000000000000"
    }
  }
}

variables {
  name = "apis"
  stage_arns = {
    internal = "arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/stages/v1"
    public   = "arn:aws:apigateway:eu-west-1::/restapis/p1b2c3d4e5/stages/v1"
  }
}

run "blocks_floods_per_ip_and_known_bad_addresses" {
  command = apply

  assert {
    condition     = one([for rule in aws_wafv2_web_acl.this.rule : rule.statement[0].rate_based_statement[0] if rule.name == "rate-limit-per-ip"]).limit == 2000 && one([for rule in aws_wafv2_web_acl.this.rule : rule.statement[0].rate_based_statement[0] if rule.name == "rate-limit-per-ip"]).aggregate_key_type == "IP"
    error_message = "A source IP above 2000 requests per window is blocked."
  }
  assert {
    condition     = one([for rule in aws_wafv2_web_acl.this.rule : rule.statement[0].managed_rule_group_statement[0].name if rule.name == "aws-ip-reputation-list"]) == "AWSManagedRulesAmazonIpReputationList"
    error_message = "AWS's IP reputation list applies."
  }
  assert {
    condition     = aws_wafv2_web_acl.this.scope == "REGIONAL"
    error_message = "A regional REST API needs a REGIONAL web ACL."
  }
}

run "every_stage_is_associated" {
  command = apply

  assert {
    condition     = keys(aws_wafv2_web_acl_association.this) == ["internal", "public"] && aws_wafv2_web_acl_association.this["public"].resource_arn == "arn:aws:apigateway:eu-west-1::/restapis/p1b2c3d4e5/stages/v1"
    error_message = "Each stage gets its own association, keyed as given."
  }
}

run "rejects_no_stage" {
  command = plan
  variables {
    stage_arns = {}
  }
  expect_failures = [var.stage_arns]
}

run "rejects_a_rate_below_wafs_minimum" {
  command = plan
  variables {
    rate_limit_per_ip = 9
  }
  expect_failures = [var.rate_limit_per_ip]
}

run "rejects_a_fractional_rate" {
  command = plan
  variables {
    rate_limit_per_ip = 100.5
  }
  expect_failures = [var.rate_limit_per_ip]
}

run "rejects_a_window_waf_does_not_offer" {
  command = plan
  variables {
    evaluation_window_sec = 90
  }
  expect_failures = [var.evaluation_window_sec]
}
