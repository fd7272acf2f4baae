import type { FunctionModel } from "../model.js";

/** Credentials a function's role session gets, as Lambda puts them in its environment. */
export interface SessionCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
}

/**
 * The environment of one instance: the function's own variables, then what Lambda reserves
 * (region, names, credentials), which a function cannot override. Nothing is inherited from the
 * gateway's environment except PATH, so the developer's own AWS credentials never leak in.
 */
export function lambdaEnvironment(
  fn: FunctionModel,
  credentials: SessionCredentials,
  region: string,
  taskRoot: string,
  awsEndpointUrl?: string,
): NodeJS.ProcessEnv {
  return {
    ...fn.environment,
    // Every AWS SDK call goes to the local AWS endpoint: DynamoDB is emulated there, every other
    // service answers "not emulated offline", so nothing reaches real AWS.
    ...(awsEndpointUrl !== undefined ? { AWS_ENDPOINT_URL: awsEndpointUrl, AWS_ENDPOINT_URL_DYNAMODB: awsEndpointUrl } : {}),
    // The functions declare nodejs22.x and run on the local Node; start-up already says so once.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    TZ: ":UTC",
    LANG: "en_US.UTF-8",
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: fn.logGroupName,
    AWS_LAMBDA_LOG_STREAM_NAME: `local/[$LATEST]${process.pid}`,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
    LAMBDA_TASK_ROOT: taskRoot,
    LAMBDA_RUNTIME_DIR: taskRoot,
    _HANDLER: fn.handler,
  };
}
