/**
 * Every Terraform resource type the offline mode meets is either read (it shapes routing,
 * authorization or the functions) or explicitly ignored here with the reason; any other type
 * stops start-up, naming its address, so that nothing is skipped silently.
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
