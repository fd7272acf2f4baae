/**
 * What the offline mode serves, as the loader reads it from the synthesized Terraform: plain
 * data with every `${…}` reference already resolved, so the gateway and runner never see HCL.
 */

import type { NamedPolicy } from "./auth/iam-policy.js";

export interface RoleModel {
  readonly address: string;
  readonly name: string;
  readonly arn: string;
  /** `AROA…`, the role's unique id: API Gateway's `caller` is `<uniqueId>:<session>`. */
  readonly uniqueId: string;
  readonly accountId: string;
  /** Inline and attached identity policies. */
  readonly policies: readonly NamedPolicy[];
  /** `permissions_boundary`: limits what the identity policies can allow. */
  readonly permissionsBoundary?: NamedPolicy;
  /** `tags` merged over the aws provider's `default_tags` (what `aws:PrincipalTag/KEY` reads). */
  readonly tags: Readonly<Record<string, string>>;
}

export interface FunctionModel {
  readonly address: string;
  readonly name: string;
  readonly arn: string;
  readonly invokeArn: string;
  /** Absolute path of the zip. */
  readonly zipPath: string;
  /** `file.export`, e.g. `index.handler`. */
  readonly handler: string;
  readonly runtime: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly roleArn: string;
  readonly logGroupName: string;
}

/** Authorization of a method; anything else stops start-up. */
export type MethodAuthorization = "NONE" | "AWS_IAM" | "COGNITO_USER_POOLS";

/** An `aws_cognito_user_pool_client`. */
export interface UserPoolClientModel {
  readonly address: string;
  /** The client id: `aud` of its ID tokens, `client_id` of its access tokens. */
  readonly id: string;
  readonly name: string;
  /** Lifetimes of its ID and access tokens (`*_token_validity` in `token_validity_units`). */
  readonly idTokenSeconds: number;
  readonly accessTokenSeconds: number;
}

/** An `aws_cognito_user_pool`, whose tokens the offline issuer mints. */
export interface UserPoolModel {
  readonly address: string;
  /** `<region>_<id>`. */
  readonly id: string;
  readonly arn: string;
  readonly name: string;
  /** `https://cognito-idp.<region>.amazonaws.com/<pool id>`: the `iss` of its tokens. */
  readonly issuer: string;
  /** By client id. */
  readonly clients: ReadonlyMap<string, UserPoolClientModel>;
}

/** An `aws_api_gateway_authorizer` of type `COGNITO_USER_POOLS` (the only type the offline mode serves). */
export interface CognitoAuthorizerModel {
  readonly address: string;
  readonly id: string;
  /** The pools whose tokens it accepts (`provider_arns`). */
  readonly userPools: readonly UserPoolModel[];
  /** The request header the token comes in (`method.request.header.<name>`), lower-cased. */
  readonly tokenHeader: string;
  /** `identity_validation_expression`: when set, an ID token's `aud` must match it. */
  readonly audiencePattern?: RegExp;
}

export interface MethodModel {
  readonly address: string;
  readonly httpMethod: string;
  readonly authorization: MethodAuthorization;
  /** The authorizer of a `COGNITO_USER_POOLS` method. */
  readonly authorizer?: CognitoAuthorizerModel;
  /** `authorization_scopes`: when set, the method takes access tokens holding one of them. */
  readonly scopes?: readonly string[];
  /** The Lambda proxy integration's function. */
  readonly functionName: string;
}

/** A node of an API's resource tree. */
export interface ResourceModel {
  readonly id: string;
  /** `/users/{id}`. */
  readonly path: string;
  /** The last path part: `users`, `{id}`; empty for the root. */
  readonly pathPart: string;
  readonly children: ResourceModel[];
  /** By HTTP method (`ANY` included as declared). */
  readonly methods: Map<string, MethodModel>;
}

/** A customised API Gateway error response (`aws_api_gateway_gateway_response`). */
export interface GatewayResponseModel {
  readonly address: string;
  /** `MISSING_AUTHENTICATION_TOKEN`, `DEFAULT_4XX`, … */
  readonly responseType: string;
  /** Overrides the response type's status, when set. */
  readonly statusCode?: number;
  /** The `application/json` body template, when set. */
  readonly template?: string;
  /** Static response headers. */
  readonly headers: Readonly<Record<string, string>>;
}

export interface ThrottleModel {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

export interface StageModel {
  readonly address: string;
  readonly name: string;
  /** The local base URL (what `invoke_url` resolves to). */
  readonly invokeUrl: string;
  readonly variables: Readonly<Record<string, string>> | null;
  /** From `aws_api_gateway_method_settings` on `*\/*`, when set. */
  readonly throttle?: ThrottleModel;
}

export interface RestApiModel {
  readonly address: string;
  readonly id: string;
  readonly name: string;
  /** `arn:aws:execute-api:REGION:ACCOUNT:API_ID`. */
  readonly executionArn: string;
  readonly root: ResourceModel;
  readonly stages: Map<string, StageModel>;
  readonly resourcePolicy?: NamedPolicy;
  readonly gatewayResponses: Map<string, GatewayResponseModel>;
}

/** An `aws_lambda_permission` that lets API Gateway invoke a function. */
export interface LambdaPermissionModel {
  readonly address: string;
  readonly functionName: string;
  /** ArnLike pattern; undefined means any source. */
  readonly sourceArn?: string;
  readonly sourceAccount?: string;
}

/** A DynamoDB key attribute's type. */
export type KeyAttributeType = "S" | "N" | "B";

export interface SecondaryIndexModel {
  readonly name: string;
  readonly hashKey: string;
  readonly rangeKey?: string;
  readonly projectionType: "ALL" | "KEYS_ONLY" | "INCLUDE";
  readonly nonKeyAttributes: readonly string[];
}

/** An `aws_dynamodb_table`, as the embedded engine creates it. */
export interface TableModel {
  readonly address: string;
  readonly name: string;
  /** `arn:aws:dynamodb:REGION:ACCOUNT:table/NAME`. */
  readonly arn: string;
  readonly hashKey: string;
  readonly rangeKey?: string;
  /** Declared attribute definitions (key attributes of the table and its indexes). */
  readonly attributes: ReadonlyMap<string, KeyAttributeType>;
  readonly globalSecondaryIndexes: readonly SecondaryIndexModel[];
  readonly localSecondaryIndexes: readonly SecondaryIndexModel[];
}

export interface StackModel {
  readonly stackName: string;
  readonly accountId: string;
  readonly region: string;
  readonly apis: ReadonlyMap<string, RestApiModel>;
  readonly functions: ReadonlyMap<string, FunctionModel>;
  /** By role ARN. */
  readonly roles: ReadonlyMap<string, RoleModel>;
  readonly permissions: readonly LambdaPermissionModel[];
  /** Cognito user pools, by pool id. */
  readonly userPools: ReadonlyMap<string, UserPoolModel>;
  /** DynamoDB tables, by table name. */
  readonly tables: ReadonlyMap<string, TableModel>;
  /** Terraform outputs, resolved to strings. */
  readonly outputs: Readonly<Record<string, string>>;
}
