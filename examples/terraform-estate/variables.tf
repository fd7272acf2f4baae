variable "region" {
  description = "AWS region of everything below."
  type        = string
  default     = "eu-west-1"
}

variable "name_prefix" {
  description = "Prefix of every function, role and API name."
  type        = string
  default     = "estate"
}

variable "users_function_zip" {
  description = "Deployment zip of the users service (index.mjs exporting handler); `npm run synth` builds one."
  type        = string
  default     = "../../.build/functions/sia-users.zip"
}

variable "profile_function_zip" {
  description = "Deployment zip of the profile caller; `npm run synth` builds one."
  type        = string
  default     = "../../.build/functions/sia-profile.zip"
}
