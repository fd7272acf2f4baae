import { randomBytes, randomUUID } from "node:crypto";
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { authorizeAnonymousRequest, authorizeIamRequest, requestArn, routeArn, type ApiContext, type RequestTarget } from "../auth/authorize.js";
import { rawHeaderPairs, receivedRequestFromNode } from "../auth/received-request.js";
import type { CallerPrincipal } from "../auth/caller-principal.js";
import type { NamedPolicy } from "../auth/iam-policy.js";
import type { KnownCredentials } from "../auth/sigv4-verifier.js";
import type { RestApiModel, RoleModel, StackModel } from "../model.js";
import { readBody, sourceIpOf } from "../node-http.js";
import { LAMBDA_SYNC_PAYLOAD_LIMIT_BYTES, type InvokeContext, type InvokeOutcome } from "../runner/lambda-instance.js";
import type { JSONWebKeySet } from "jose";
import { formatAccessLog } from "./access-log.js";
import { authorizeCognitoRequest } from "./cognito-authorizer.js";
import {
  type GatewayError,
  integrationFailure,
  integrationTimeout,
  invalidLambdaPermissions,
  lambdaRequestTooLarge,
  missingAuthenticationToken,
  requestTooLarge,
  throttled,
} from "../auth/api-gateway-errors.js";
import { renderGatewayError, type HttpAnswer } from "./gateway-responses.js";
import { LambdaPermissionIndex } from "./lambda-permissions.js";
import { parseLocalTarget } from "../local-urls.js";
import { buildProxyEvent } from "./proxy-event.js";
import { proxyResultToAnswer } from "./proxy-response.js";
import { lookupRoute } from "./route-lookup.js";
import { StageThrottle } from "./stage-throttle.js";
import { lambdaTraceHeader, traceIdFor } from "./trace-header.js";
import { ISSUER_BASE_PATH } from "../issuer/local-issuer.js";

/** What the access log shows for a client that hung up before its answer (nginx's 499): it got nothing. */
const CLIENT_CLOSED_REQUEST = 499;

/** API Gateway's payload limit. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** API Gateway's default integration timeout: past it the caller gets 504 while the function may run on. */
export const INTEGRATION_TIMEOUT_MS = 29_000;

/** Runs a function (the LambdaRunner, or a fake in tests). */
export interface FunctionInvoker {
  invoke(functionName: string, event: unknown, context: InvokeContext): Promise<InvokeOutcome>;
}

export interface GatewayOptions {
  readonly model: StackModel;
  readonly invoker: FunctionInvoker;
  /** The verifier's credential lookup (the local STS). */
  readonly lookupCredentials: (accessKeyId: string) => KnownCredentials | undefined;
  /** Every role a caller may hold, by ARN: the stack's and the other account's. */
  readonly roles: ReadonlyMap<string, RoleModel>;
  /** The user pools' published keys (the local issuer); without it, every token is refused. */
  readonly issuer?: { jwks(poolId: string): JSONWebKeySet | undefined };
  /** One line per request; omitted means no access log. */
  readonly accessLog?: (line: string) => void;
  /** Diagnostics for the developer (malformed proxy responses). */
  readonly warn?: (line: string) => void;
  /** Apply each stage's throttling. @default true */
  readonly throttling?: boolean;
  /** @default 10 MB */
  readonly maxBodyBytes?: number;
  /** @default 29 s */
  readonly integrationTimeoutMs?: number;
  /** Largest proxy event a function is invoked with. @default Lambda's 6 MB (6291556 bytes) */
  readonly maxEventBytes?: number;
  /** The verifier's clock. @default the system clock */
  readonly now?: () => Date;
}

/** What one request produced, for the access log. */
interface Outcome {
  readonly answer: HttpAnswer;
  readonly principal: string;
  readonly reason?: string;
  readonly traceId?: string;
}

const plainJson = (statusCode: number, body: unknown, errorType?: string): HttpAnswer => ({
  statusCode,
  headers: { "content-type": "application/json", ...(errorType ? { "x-amzn-ErrorType": errorType } : {}) },
  body: JSON.stringify(body),
});

/**
 * The gateway: route lookup -> authorization -> Lambda permission -> proxy integration -> response,
 * each step answered as API Gateway answers it. It only wires the boxes; each lives in its module.
 */
export class Gateway {
  private readonly throttles = new Map<string, StageThrottle>();
  private readonly identityPolicies: (roleArn: string) => readonly NamedPolicy[];
  private readonly permissionsBoundary: (roleArn: string) => NamedPolicy | undefined;
  /** The Lambda permissions, indexed so that a request reads its route's own first. */
  private readonly permissions: LambdaPermissionIndex;
  private readonly now: () => Date;

  constructor(private readonly options: GatewayOptions) {
    this.now = options.now ?? (() => new Date());
    this.identityPolicies = (roleArn) => options.roles.get(roleArn)?.policies ?? [];
    this.permissionsBoundary = (roleArn) => options.roles.get(roleArn)?.permissionsBoundary;
    this.permissions = new LambdaPermissionIndex(options.model.permissions);
    if (options.throttling !== false) {
      for (const api of options.model.apis.values()) {
        for (const stage of api.stages.values()) {
          if (stage.throttle) this.throttles.set(`${api.id}/${stage.name}`, new StageThrottle(stage.throttle));
        }
      }
    }
  }

  /**
   * The node `request` listener. Never throws; a gateway bug answers 500 and is reported. A client
   * that hangs up before its answer is logged as 499 (nginx's "client closed request"): it got
   * nothing, and nothing went wrong here.
   */
  readonly listener = (req: IncomingMessage, res: ServerResponse): void => {
    const started = performance.now();
    const requestId = randomUUID();
    const path = (req.url ?? "/").split("?")[0]!;
    let clientClosed = false;
    res.once("close", () => (clientClosed = !res.writableFinished));
    this.handle(req, requestId)
      .catch((error: unknown): Outcome => {
        if (clientClosed || req.destroyed) return { answer: plainJson(CLIENT_CLOSED_REQUEST, { message: "client closed request" }), principal: "-", reason: "the client hung up while sending its request" };
        this.options.warn?.(`gateway error on ${req.method} ${path}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
        return { answer: plainJson(500, { message: "Internal server error" }, "InternalServerErrorException"), principal: "-" };
      })
      .then((outcome) => {
        let { statusCode } = outcome.answer;
        let reason = outcome.reason;
        if (clientClosed || res.destroyed) {
          if (statusCode !== CLIENT_CLOSED_REQUEST) reason = `the client hung up before its answer (${statusCode}${reason ? `: ${reason}` : ""})`;
          statusCode = CLIENT_CLOSED_REQUEST;
        } else {
          this.write(res, outcome.answer, requestId);
        }
        this.options.accessLog?.(
          formatAccessLog({ method: req.method ?? "?", path, status: statusCode, principal: outcome.principal, latencyMs: performance.now() - started, traceId: outcome.traceId, reason }),
        );
      });
  };

  /**
   * node's `clientError`: bytes its HTTP parser refused. Answers what node answers by default
   * (431 for oversized headers, else 400) and logs it as that. A connection reset or closed
   * mid-message is no malformed request: an idle keep-alive socket closing, or a client whose
   * request the listener already logs as 499.
   */
  readonly clientErrorListener = (error: NodeJS.ErrnoException, socket: Duplex): void => {
    if (error.code === "ECONNRESET" || error.code === "HPE_INVALID_EOF_STATE" || !socket.writable) {
      socket.destroy();
      return;
    }
    const statusCode = error.code === "HPE_HEADER_OVERFLOW" ? 431 : 400;
    socket.end(`HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () => socket.destroy());
    const reason = `malformed HTTP request (${error.code ?? error.message})`;
    this.options.accessLog?.(formatAccessLog({ method: "-", path: "-", status: statusCode, principal: "-", latencyMs: 0, reason }));
  };

  private write(res: ServerResponse, answer: HttpAnswer, requestId: string): void {
    if (res.headersSent || res.destroyed) return;
    const headers = {
      ...answer.headers,
      "x-amzn-RequestId": requestId,
      "x-amz-apigw-id": randomBytes(12).toString("base64url").slice(0, 16),
      "content-length": String(Buffer.byteLength(answer.body)),
    };
    try {
      res.writeHead(answer.statusCode, headers);
    } catch {
      // A header node refuses (validated earlier, but never crash on it): answer 502 instead.
      const fallback = plainJson(502, { message: "Internal server error" }, "InternalServerErrorException");
      res.writeHead(502, { ...fallback.headers, "x-amzn-RequestId": requestId, "content-length": String(Buffer.byteLength(fallback.body)) });
      res.end(fallback.body);
      return;
    }
    res.end(answer.body);
  }

  private async handle(req: IncomingMessage, requestId: string): Promise<Outcome> {
    const rawTarget = req.url ?? "/";
    const rawPath = rawTarget.split("?")[0]!;
    if (rawPath.startsWith(`${ISSUER_BASE_PATH}/`)) {
      req.resume();
      return { answer: this.issuerDocument(req.method ?? "GET", rawPath), principal: "-" };
    }
    const target = parseLocalTarget(rawPath);
    if (!target) {
      req.resume();
      if (rawPath === "/" && req.method === "GET") return { answer: plainJson(200, this.index()), principal: "-" };
      return { answer: plainJson(404, { message: `Not Found: the offline mode serves APIs under /restapis/API_ID/STAGE (GET / lists them)` }), principal: "-" };
    }
    const api = this.options.model.apis.get(target.apiId);
    if (!api) {
      req.resume();
      return { answer: plainJson(404, { message: `Not Found: no REST API '${target.apiId}' in this stack (GET / lists them)` }), principal: "-" };
    }
    const stage = target.stage === undefined ? undefined : api.stages.get(target.stage);
    if (!stage) {
      req.resume();
      // AWS answers a stage that does not exist like this, before any gateway response applies.
      return { answer: plainJson(403, { message: "Forbidden" }, "ForbiddenException"), principal: "-" };
    }
    // Every request of a stage belongs to a trace: the caller's (an internal hop) or a new one.
    const headers = rawHeaderPairs(req);
    const traceId = traceIdFor(headers, this.now());
    const fail = (error: GatewayError, principal = "-", reason?: string): Outcome => ({
      answer: renderGatewayError(api, error, requestId),
      principal,
      reason,
      traceId,
    });

    const read = await readBody(req, this.options.maxBodyBytes ?? MAX_BODY_BYTES);
    if ("tooLarge" in read) {
      req.resume();
      return fail(requestTooLarge());
    }
    if (this.throttles.get(`${api.id}/${stage.name}`)?.tryTake() === false) return fail(throttled());

    const request = receivedRequestFromNode(req, read.body, headers);
    const match = lookupRoute(api.root, target.rawPath, request.method);
    if (!match) return fail(missingAuthenticationToken());

    const apiContext: ApiContext = {
      region: this.options.model.region,
      accountId: this.options.model.accountId,
      apiId: api.id,
      stage: stage.name,
      resourcePolicy: api.resourcePolicy,
    };
    const sourceIp = sourceIpOf(req);
    const requestTarget: RequestTarget = {
      method: request.method,
      resourcePath: target.rawPath,
      sourceIp,
      ...(req.headers["user-agent"] !== undefined ? { userAgent: req.headers["user-agent"] } : {}),
      ...(req.headers.referer !== undefined ? { referer: req.headers.referer } : {}),
    };
    let caller: { principal: CallerPrincipal; accessKeyId: string } | undefined;
    let principal = "anonymous";
    let claims: Record<string, string> | undefined;
    if (match.method.authorization === "AWS_IAM") {
      const result = await authorizeIamRequest(request, requestTarget, apiContext, {
        now: this.now,
        lookupCredentials: this.options.lookupCredentials,
        identityPolicies: this.identityPolicies,
        permissionsBoundary: this.permissionsBoundary,
      });
      if (!result.ok) return fail(result.error, "-", result.reason);
      if (result.principal !== "anonymous" && result.accessKeyId !== undefined) {
        caller = { principal: result.principal, accessKeyId: result.accessKeyId };
        principal = result.principal.arn;
      }
    } else {
      if (match.method.authorization === "COGNITO_USER_POOLS" && match.method.authorizer) {
        const verdict = await authorizeCognitoRequest(request.headers, { authorizer: match.method.authorizer, scopes: match.method.scopes }, (pool) => this.options.issuer?.jwks(pool.id), this.now());
        if (!verdict.ok) return fail(verdict.error, "-", verdict.reason);
        claims = verdict.claims;
        principal = `cognito:${verdict.sub}`;
      }
      if (api.resourcePolicy) {
        const result = authorizeAnonymousRequest(requestTarget, apiContext, this.now());
        if (!result.ok) return fail(result.error, principal, result.reason);
      }
    }

    const arn = requestArn(apiContext, requestTarget);
    const functionName = match.method.functionName;
    if (!this.permissions.mayInvoke(functionName, arn, this.options.model.accountId, routeArn(apiContext, request.method, match.resource.path))) {
      return fail(invalidLambdaPermissions(), principal, `no aws_lambda_permission lets API Gateway invoke ${functionName} for ${arn}`);
    }

    const event = buildProxyEvent({
      request,
      pathBelowStage: target.rawPath,
      match,
      api,
      stage,
      accountId: this.options.model.accountId,
      requestId,
      receivedAt: this.now(),
      sourceIp,
      caller,
      authorizerClaims: claims,
      traceHeader: `Root=${traceId}`,
    });
    const eventBytes = Buffer.byteLength(JSON.stringify(event));
    if (eventBytes > (this.options.maxEventBytes ?? LAMBDA_SYNC_PAYLOAD_LIMIT_BYTES)) {
      return fail(lambdaRequestTooLarge(), principal, `the proxy event for ${functionName} is ${eventBytes} bytes, over Lambda's synchronous payload limit`);
    }
    const outcome = await this.invokeWithin(functionName, event, lambdaTraceHeader(traceId), this.options.integrationTimeoutMs ?? INTEGRATION_TIMEOUT_MS);
    return { ...this.integrationAnswer(api, outcome, functionName, principal, requestId), traceId };
  }

  private invokeWithin(functionName: string, event: unknown, traceHeader: string, timeoutMs: number): Promise<InvokeOutcome> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<InvokeOutcome>((resolve) => {
      timer = setTimeout(() => resolve({ kind: "timeout" }), timeoutMs);
    });
    const invoked = this.options.invoker.invoke(functionName, event, { awsRequestId: randomUUID(), traceHeader });
    return Promise.race([invoked, timedOut]).finally(() => clearTimeout(timer));
  }

  private integrationAnswer(api: RestApiModel, outcome: InvokeOutcome, functionName: string, principal: string, requestId: string): Outcome {
    const fail = (error: GatewayError, reason: string): Outcome => ({ answer: renderGatewayError(api, error, requestId), principal, reason });
    switch (outcome.kind) {
      case "timeout":
        return fail(integrationTimeout(), `${functionName} timed out`);
      case "crash":
        return fail(integrationFailure(), `${functionName}: ${outcome.detail}`);
      case "error":
        return fail(integrationFailure(), `${functionName} failed: ${outcome.errorType}: ${outcome.errorMessage}`);
      case "result": {
        const answer = proxyResultToAnswer(outcome.payload);
        if ("malformed" in answer) return fail(integrationFailure(), `${functionName}: malformed Lambda proxy response (${answer.malformed})`);
        return { answer, principal };
      }
    }
  }

  /** `GET /cognito-idp/<pool id>/.well-known/jwks.json`: a user pool's published keys, as Cognito serves them. */
  private issuerDocument(method: string, rawPath: string): HttpAnswer {
    const poolId = /^\/cognito-idp\/([\w-]+)\/\.well-known\/jwks\.json$/.exec(rawPath)?.[1];
    const jwks = poolId === undefined ? undefined : this.options.issuer?.jwks(poolId);
    if (method !== "GET" || !jwks) return plainJson(404, { message: "Not Found: the local issuer serves GET /cognito-idp/<pool id>/.well-known/jwks.json for the stack's user pools" });
    return plainJson(200, jwks);
  }

  /** `GET /`: what this gateway serves. */
  private index(): unknown {
    return {
      stack: this.options.model.stackName,
      apis: [...this.options.model.apis.values()].map((api) => ({
        id: api.id,
        name: api.name,
        stages: Object.fromEntries([...api.stages.values()].map((s) => [s.name, s.invokeUrl])),
      })),
    };
  }
}
