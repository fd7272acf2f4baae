import type { APIGatewayProxyEvent } from "aws-lambda";
import type { ReceivedRequest } from "../auth/received-request.js";
import type { CallerPrincipal } from "../auth/caller-principal.js";
import type { RestApiModel, StageModel } from "../model.js";
import type { RouteMatch } from "./route-lookup.js";
import { decodeSegment } from "./route-lookup.js";

/** What the gateway knows about one request beyond its bytes. */
export interface ProxyEventInput {
  readonly request: ReceivedRequest;
  /** Path below the stage, as received (percent-encoded). */
  readonly pathBelowStage: string;
  readonly match: RouteMatch;
  readonly api: RestApiModel;
  readonly stage: StageModel;
  /** The API's account. */
  readonly accountId: string;
  readonly requestId: string;
  readonly receivedAt: Date;
  readonly sourceIp: string;
  /** The verified caller of an AWS_IAM method, with the access key it signed with. */
  readonly caller?: { readonly principal: CallerPrincipal; readonly accessKeyId: string };
  /** The verified token's claims, on a COGNITO_USER_POOLS method. */
  readonly authorizerClaims?: Readonly<Record<string, string>>;
  /** The `X-Amzn-Trace-Id` API Gateway passes to the integration (replacing the client's). */
  readonly traceHeader?: string;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `26/Nov/2026:14:16:59 +0000`, the format of `requestContext.requestTime`. */
export function requestTimeOf(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

/** Last value wins in the single-value map; every value in the multi-value map; null when empty. */
function maps(pairs: ReadonlyArray<readonly [string, string]>): [Record<string, string> | null, Record<string, string[]> | null] {
  if (pairs.length === 0) return [null, null];
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of pairs) {
    single[name] = value;
    (multi[name] ??= []).push(value);
  }
  return [single, multi];
}

function queryPairs(rawQuery: string): Array<[string, string]> {
  if (rawQuery === "") return [];
  return rawQuery
    .split("&")
    .filter((part) => part !== "")
    .map((part) => {
      const eq = part.indexOf("=");
      const name = eq < 0 ? part : part.slice(0, eq);
      const value = eq < 0 ? "" : part.slice(eq + 1);
      return [decodeSegment(name.replace(/\+/g, " ")), decodeSegment(value.replace(/\+/g, " "))];
    });
}

/**
 * A REST API (v1) Lambda proxy event, as API Gateway builds it: `path` without the stage,
 * `requestContext.path` with it, `null` for empty maps, and `identity` filled for IAM callers.
 */
export function buildProxyEvent(input: ProxyEventInput): APIGatewayProxyEvent {
  const { request, match, api, stage, caller } = input;
  const received = input.traceHeader === undefined ? request.headers : [...request.headers.filter(([name]) => name.toLowerCase() !== "x-amzn-trace-id"), ["X-Amzn-Trace-Id", input.traceHeader] as const];
  const [headers, multiValueHeaders] = maps(received);
  const [queryStringParameters, multiValueQueryStringParameters] = maps(queryPairs(request.rawQuery));
  const path = input.pathBelowStage.split("/").map(decodeSegment).join("/");
  const userAgent = request.headers.findLast(([name]) => name.toLowerCase() === "user-agent")?.[1] ?? null;
  const host = request.headers.findLast(([name]) => name.toLowerCase() === "host")?.[1] ?? "127.0.0.1";
  const userId = caller?.principal.userId ?? null;
  return {
    resource: match.resource.path,
    path,
    httpMethod: request.method,
    headers: headers ?? {},
    multiValueHeaders: multiValueHeaders ?? {},
    queryStringParameters,
    multiValueQueryStringParameters,
    pathParameters: match.pathParameters,
    stageVariables: stage.variables,
    requestContext: {
      resourceId: match.resource.id,
      resourcePath: match.resource.path,
      httpMethod: request.method,
      extendedRequestId: input.requestId.replace(/-/g, "").slice(0, 16),
      requestTime: requestTimeOf(input.receivedAt),
      path: `/${stage.name}${path === "/" ? "/" : path}`,
      accountId: input.accountId,
      protocol: "HTTP/1.1",
      stage: stage.name,
      domainPrefix: api.id,
      requestTimeEpoch: input.receivedAt.getTime(),
      requestId: input.requestId,
      identity: {
        cognitoIdentityPoolId: null,
        accountId: caller?.principal.accountId ?? null,
        cognitoIdentityId: null,
        caller: userId,
        sourceIp: input.sourceIp,
        principalOrgId: caller?.principal.orgId ?? null,
        accessKey: caller?.accessKeyId ?? null,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: caller?.principal.arn ?? null,
        userAgent,
        user: userId,
        apiKey: null,
        apiKeyId: null,
        clientCert: null,
      },
      domainName: host,
      apiId: api.id,
      // A user pool authorizer delivers the token's claims, all strings; other methods have none.
      authorizer: input.authorizerClaims ? { claims: { ...input.authorizerClaims } } : null,
    },
    body: request.body.length === 0 ? null : request.body.toString("utf8"),
    isBase64Encoded: false,
  } as APIGatewayProxyEvent;
}
