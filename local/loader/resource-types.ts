/**
 * Every Terraform resource type the offline mode meets is either read (it shapes routing,
 * authorization or the functions), explicitly ignored here with the reason, or explicitly refused
 * with the reason; any other type stops start-up too, naming its address, so that nothing is
 * skipped silently.
 */

export const READ_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  "aws_api_gateway_rest_api",
  "aws_api_gateway_rest_api_policy",
  "aws_api_gateway_resource",
  "aws_api_gateway_method",
  "aws_api_gateway_integration",
  "aws_api_gateway_stage",
  "aws_api_gateway_deployment",
  "aws_api_gateway_gateway_response",
  "aws_api_gateway_method_settings",
  "aws_lambda_function",
  "aws_lambda_permission",
  "aws_iam_role",
  "aws_iam_role_policy",
  "aws_iam_role_policy_attachment",
  "aws_iam_policy",
  // The user pool's issuer and the gateway's COGNITO_USER_POOLS authorizers (load-user-pools.ts).
  "aws_cognito_user_pool",
  "aws_cognito_user_pool_client",
  "aws_api_gateway_authorizer",
  // Created in the embedded DynamoDB engine as declared; local/loader/load-tables.ts refuses what it cannot model.
  "aws_dynamodb_table",
]);

/** Types that do not change what a request gets locally, with why. */
export const IGNORED_RESOURCE_TYPES: Readonly<Record<string, string>> = {
  aws_cloudwatch_log_group: "logs are printed to the terminal locally",
  aws_api_gateway_account: "region-wide CloudWatch logging role; no effect on requests",
  aws_api_gateway_method_response: "proxy integrations pass the function's response through",
  aws_api_gateway_integration_response: "proxy integrations pass the function's response through",
};

export function isIgnoredResourceType(type: string): boolean {
  return Object.hasOwn(IGNORED_RESOURCE_TYPES, type);
}

/**
 * Types that change what a request gets in AWS but that the offline mode cannot model: start-up
 * stops, naming the address and the reason.
 *
 * AWS WAF runs before every other check of API Gateway (resource policy, IAM, authorizers; "Use
 * AWS WAF to protect your REST APIs in API Gateway"). Its `AWSManagedRulesAmazonIpReputationList`
 * is Amazon's threat intelligence, which no local copy has, and its rate-based rules count per
 * source IP over windows of minutes across AWS's fleet. Ignoring a web ACL would serve requests
 * AWS blocks and approximating it would guess: neither is honest, so the offline mode refuses it.
 * The stack's own checks are the same with or without the web ACL: start offline without SIA_WAF.
 */
const REFUSED_RESOURCE_TYPES: Readonly<Record<string, string>> = {
  aws_wafv2_web_acl:
    "AWS WAF rules (the AWS-managed IP reputation list, per-IP rate limits over minutes) cannot be evaluated offline; start the offline mode without SIA_WAF (the web ACL changes nothing else)",
  aws_wafv2_web_acl_association:
    "an AWS WAF web ACL in front of an API stage cannot be evaluated offline; start the offline mode without SIA_WAF (the web ACL changes nothing else)",
};

/** Why the offline mode refuses this type, or undefined when it does not. */
export function refusalOf(type: string): string | undefined {
  return Object.hasOwn(REFUSED_RESOURCE_TYPES, type) ? REFUSED_RESOURCE_TYPES[type] : undefined;
}
