variable "name" {
  description = "The table's name."
  type        = string

  # https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.name))
    error_message = "name '${var.name}' must be 3-255 letters, digits, '_', '-' or '.'."
  }
}

variable "hash_key" {
  description = "The partition key's attribute name."
  type        = string
  default     = "id"

  validation {
    condition     = length(var.hash_key) >= 1 && length(var.hash_key) <= 255
    error_message = "hash_key must be 1-255 characters."
  }
}

variable "hash_key_type" {
  description = "The partition key's type: S (string), N (number) or B (binary)."
  type        = string
  default     = "S"

  validation {
    condition     = contains(["S", "N", "B"], var.hash_key_type)
    error_message = "hash_key_type must be S, N or B."
  }
}

variable "deletion_protection_enabled" {
  description = "Refuse DeleteTable (and `terraform destroy`) until switched off."
  type        = bool
  default     = true
}

variable "point_in_time_recovery_enabled" {
  description = "Continuous backups, restorable to any second of the last 35 days."
  type        = bool
  default     = true
}

variable "kms_key_arn" {
  description = "A customer-managed KMS key for server-side encryption; null uses the AWS-managed key `aws/dynamodb`."
  type        = string
  default     = null
}

variable "grants" {
  description = "Who may do what with the table's items, keyed by a grant name of your choice: the role's name, the exact DynamoDB actions (`GetItem`, `PutItem` …, never `*`) and, for Query/Scan, the indexes. Each grant is its own inline role policy, `dynamodb-<table name>-<grant name>`."
  type = map(object({
    role_name = string
    actions   = list(string)
    indexes   = optional(list(string), [])
  }))
  default = {}

  validation {
    condition     = alltrue([for name in keys(var.grants) : can(regex("^[A-Za-z0-9+=,.@_-]{1,80}$", name))])
    error_message = "A grant name becomes part of an IAM policy name: use 1-80 letters, digits or '+=,.@_-'."
  }

  # Item actions only: functions read and write items, Terraform owns the table.
  validation {
    condition = alltrue(flatten([for grant in values(var.grants) : [for action in grant.actions : contains(
      ["GetItem", "BatchGetItem", "Query", "Scan", "ConditionCheckItem", "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "DescribeTable"], action
    )]]))
    error_message = "A grant names an action that is not a grantable item action (GetItem, BatchGetItem, Query, Scan, ConditionCheckItem, PutItem, UpdateItem, DeleteItem, BatchWriteItem, DescribeTable)."
  }

  validation {
    condition     = alltrue([for grant in values(var.grants) : length(grant.actions) > 0])
    error_message = "A grant must name at least one action."
  }

  validation {
    condition     = alltrue([for grant in values(var.grants) : length(grant.indexes) == 0 || length(setintersection(grant.actions, ["Query", "Scan"])) > 0])
    error_message = "Index grants only make sense for Query or Scan."
  }
}

variable "role_policy_budget_characters" {
  description = "How many characters of each granted role's inline policies this table's grants may take (IAM: 10240 per role, all inline policies together, whitespace not counted; not adjustable). Every module's inline policies on a role count together (a `node-function`'s own, output `inline_policy_characters`; APIs' grants): give this table a share. Over it, the plan fails naming the role."
  type        = number
  default     = 10240

  validation {
    condition     = var.role_policy_budget_characters > 0 && var.role_policy_budget_characters <= 10240
    error_message = "role_policy_budget_characters is a share of IAM's 10240-character quota on a role's inline policies: between 1 and 10240."
  }
}

variable "tags" {
  description = "Tags of the table."
  type        = map(string)
  default     = {}
}
