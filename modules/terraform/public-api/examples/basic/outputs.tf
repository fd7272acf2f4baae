output "invoke_url" {
  description = "Base URL of the public API."
  value       = module.public_api.invoke_url
}
