import { createRequire } from "node:module";

/*
 * The AWS provider classes the constructs create, each from its own file
 * (`@cdktf/provider-aws/lib/<resource>`, never the barrel), loaded with `require`, not `import`:
 * Node's ESM loader scans every CommonJS file it imports for its export names, and these files
 * are ~2.5 MB (mostly inline source maps); under tsx each import also takes a round trip to its
 * loader thread. `require` skips both: ~100 ms of every synth (bench/README.md, "Synth").
 */
const load = createRequire(import.meta.url);

export const { ApiGatewayAccount } = load("@cdktf/provider-aws/lib/api-gateway-account") as typeof import("@cdktf/provider-aws/lib/api-gateway-account");
export type ApiGatewayAccount = import("@cdktf/provider-aws/lib/api-gateway-account").ApiGatewayAccount;
export const { ApiGatewayAuthorizer } = load("@cdktf/provider-aws/lib/api-gateway-authorizer") as typeof import("@cdktf/provider-aws/lib/api-gateway-authorizer");
export type ApiGatewayAuthorizer = import("@cdktf/provider-aws/lib/api-gateway-authorizer").ApiGatewayAuthorizer;
export const { ApiGatewayDeployment } = load("@cdktf/provider-aws/lib/api-gateway-deployment") as typeof import("@cdktf/provider-aws/lib/api-gateway-deployment");
export type ApiGatewayDeployment = import("@cdktf/provider-aws/lib/api-gateway-deployment").ApiGatewayDeployment;
export const { ApiGatewayGatewayResponse } = load("@cdktf/provider-aws/lib/api-gateway-gateway-response") as typeof import("@cdktf/provider-aws/lib/api-gateway-gateway-response");
export type ApiGatewayGatewayResponse = import("@cdktf/provider-aws/lib/api-gateway-gateway-response").ApiGatewayGatewayResponse;
export const { ApiGatewayIntegration } = load("@cdktf/provider-aws/lib/api-gateway-integration") as typeof import("@cdktf/provider-aws/lib/api-gateway-integration");
export type ApiGatewayIntegration = import("@cdktf/provider-aws/lib/api-gateway-integration").ApiGatewayIntegration;
export const { ApiGatewayMethod } = load("@cdktf/provider-aws/lib/api-gateway-method") as typeof import("@cdktf/provider-aws/lib/api-gateway-method");
export type ApiGatewayMethod = import("@cdktf/provider-aws/lib/api-gateway-method").ApiGatewayMethod;
export const { ApiGatewayMethodSettings } = load("@cdktf/provider-aws/lib/api-gateway-method-settings") as typeof import("@cdktf/provider-aws/lib/api-gateway-method-settings");
export type ApiGatewayMethodSettings = import("@cdktf/provider-aws/lib/api-gateway-method-settings").ApiGatewayMethodSettings;
export const { ApiGatewayResource } = load("@cdktf/provider-aws/lib/api-gateway-resource") as typeof import("@cdktf/provider-aws/lib/api-gateway-resource");
export type ApiGatewayResource = import("@cdktf/provider-aws/lib/api-gateway-resource").ApiGatewayResource;
export const { ApiGatewayRestApi } = load("@cdktf/provider-aws/lib/api-gateway-rest-api") as typeof import("@cdktf/provider-aws/lib/api-gateway-rest-api");
export type ApiGatewayRestApi = import("@cdktf/provider-aws/lib/api-gateway-rest-api").ApiGatewayRestApi;
export const { ApiGatewayRestApiPolicy } = load("@cdktf/provider-aws/lib/api-gateway-rest-api-policy") as typeof import("@cdktf/provider-aws/lib/api-gateway-rest-api-policy");
export type ApiGatewayRestApiPolicy = import("@cdktf/provider-aws/lib/api-gateway-rest-api-policy").ApiGatewayRestApiPolicy;
export const { ApiGatewayStage } = load("@cdktf/provider-aws/lib/api-gateway-stage") as typeof import("@cdktf/provider-aws/lib/api-gateway-stage");
export type ApiGatewayStage = import("@cdktf/provider-aws/lib/api-gateway-stage").ApiGatewayStage;
export const { CloudwatchLogGroup } = load("@cdktf/provider-aws/lib/cloudwatch-log-group") as typeof import("@cdktf/provider-aws/lib/cloudwatch-log-group");
export type CloudwatchLogGroup = import("@cdktf/provider-aws/lib/cloudwatch-log-group").CloudwatchLogGroup;
export const { CognitoUserPool } = load("@cdktf/provider-aws/lib/cognito-user-pool") as typeof import("@cdktf/provider-aws/lib/cognito-user-pool");
export type CognitoUserPool = import("@cdktf/provider-aws/lib/cognito-user-pool").CognitoUserPool;
export const { CognitoUserPoolClient } = load("@cdktf/provider-aws/lib/cognito-user-pool-client") as typeof import("@cdktf/provider-aws/lib/cognito-user-pool-client");
export type CognitoUserPoolClient = import("@cdktf/provider-aws/lib/cognito-user-pool-client").CognitoUserPoolClient;
export const { DataAwsCallerIdentity } = load("@cdktf/provider-aws/lib/data-aws-caller-identity") as typeof import("@cdktf/provider-aws/lib/data-aws-caller-identity");
export type DataAwsCallerIdentity = import("@cdktf/provider-aws/lib/data-aws-caller-identity").DataAwsCallerIdentity;
export const { DynamodbTable } = load("@cdktf/provider-aws/lib/dynamodb-table") as typeof import("@cdktf/provider-aws/lib/dynamodb-table");
export type DynamodbTable = import("@cdktf/provider-aws/lib/dynamodb-table").DynamodbTable;
export const { IamRole } = load("@cdktf/provider-aws/lib/iam-role") as typeof import("@cdktf/provider-aws/lib/iam-role");
export type IamRole = import("@cdktf/provider-aws/lib/iam-role").IamRole;
export const { IamRolePolicy } = load("@cdktf/provider-aws/lib/iam-role-policy") as typeof import("@cdktf/provider-aws/lib/iam-role-policy");
export type IamRolePolicy = import("@cdktf/provider-aws/lib/iam-role-policy").IamRolePolicy;
export const { IamRolePolicyAttachment } = load("@cdktf/provider-aws/lib/iam-role-policy-attachment") as typeof import("@cdktf/provider-aws/lib/iam-role-policy-attachment");
export type IamRolePolicyAttachment = import("@cdktf/provider-aws/lib/iam-role-policy-attachment").IamRolePolicyAttachment;
export const { LambdaFunction } = load("@cdktf/provider-aws/lib/lambda-function") as typeof import("@cdktf/provider-aws/lib/lambda-function");
export type LambdaFunction = import("@cdktf/provider-aws/lib/lambda-function").LambdaFunction;
export const { LambdaPermission } = load("@cdktf/provider-aws/lib/lambda-permission") as typeof import("@cdktf/provider-aws/lib/lambda-permission");
export type LambdaPermission = import("@cdktf/provider-aws/lib/lambda-permission").LambdaPermission;
export const { AwsProvider } = load("@cdktf/provider-aws/lib/provider") as typeof import("@cdktf/provider-aws/lib/provider");
export type AwsProvider = import("@cdktf/provider-aws/lib/provider").AwsProvider;

/** The web ACL's classes (~830 KB, a quarter of the rest): loaded when one is constructed, as it is opt-in. */
export function wafClasses() {
  return {
    Wafv2WebAcl: (load("@cdktf/provider-aws/lib/wafv2-web-acl") as typeof import("@cdktf/provider-aws/lib/wafv2-web-acl")).Wafv2WebAcl,
    Wafv2WebAclAssociation: (load("@cdktf/provider-aws/lib/wafv2-web-acl-association") as typeof import("@cdktf/provider-aws/lib/wafv2-web-acl-association"))
      .Wafv2WebAclAssociation,
  };
}
