import type { APIGatewayProxyEvent } from "aws-lambda";

/** A minimal REST (v1) proxy event for handler tests. */
export function proxyEvent(init: {
  method: string;
  resource: string;
  pathParameters?: Record<string, string>;
  body?: string | null;
  userArn?: string;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
}): APIGatewayProxyEvent {
  const path = init.resource.replace(/\{(\w+)\}/g, (_, name: string) => init.pathParameters?.[name] ?? "");
  return {
    httpMethod: init.method,
    resource: init.resource,
    path,
    pathParameters: init.pathParameters ?? null,
    body: init.body ?? null,
    isBase64Encoded: false,
    headers: init.headers ?? {},
    multiValueHeaders: init.multiValueHeaders ?? {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: {
      identity: { userArn: init.userArn ?? null },
    } as unknown as APIGatewayProxyEvent["requestContext"],
  };
}
