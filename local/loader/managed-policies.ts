/**
 * AWS-managed policies the offline mode knows. A role attachment of one of these either adds
 * the documented `execute-api` statements, or is known to grant nothing on execute-api; an
 * attachment of any other AWS-managed policy stops start-up, because guessing could hide a grant.
 */

/** Policies whose documents matter for execute-api:Invoke (as published by AWS). */
export const MANAGED_POLICIES_WITH_EXECUTE_API: Readonly<Record<string, object>> = {
  "arn:aws:iam::aws:policy/AmazonAPIGatewayInvokeFullAccess": {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: ["execute-api:Invoke", "execute-api:ManageConnections"], Resource: "arn:aws:execute-api:*:*:*" }],
  },
  "arn:aws:iam::aws:policy/AdministratorAccess": {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
  },
};

/** Policies that grant nothing on execute-api (logging, tracing, networking for Lambda). */
export const MANAGED_POLICIES_WITHOUT_EXECUTE_API: ReadonlySet<string> = new Set([
  "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs",
  "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
  "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
  "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess",
  "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
  "arn:aws:iam::aws:policy/CloudWatchLambdaInsightsExecutionRolePolicy",
]);
