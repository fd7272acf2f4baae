output "web_acl_arn" {
  description = "The web ACL's ARN."
  value       = aws_wafv2_web_acl.this.arn
}

output "associated_stage_arns" {
  description = "The stages the web ACL protects, by the keys of `stage_arns`."
  value       = { for key, association in aws_wafv2_web_acl_association.this : key => association.resource_arn }
}
