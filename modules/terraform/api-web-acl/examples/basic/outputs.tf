output "web_acl_arn" {
  description = "The web ACL in front of the users API's stage."
  value       = module.web_acl.web_acl_arn
}
