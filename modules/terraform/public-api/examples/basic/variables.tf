variable "region" {
  description = "AWS region of everything below."
  type        = string
  default     = "eu-west-1"
}

variable "function_zip" {
  description = "A prebuilt deployment zip with `index.mjs` exporting `handler` at its root (see README.md)."
  type        = string
  default     = "handler.zip"
}
