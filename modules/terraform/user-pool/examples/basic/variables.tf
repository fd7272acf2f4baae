variable "region" {
  description = "AWS region of everything below."
  type        = string
  default     = "eu-west-1"
}
