import { randomUUID } from "node:crypto";
import { request as httpRequest, Agent, type IncomingMessage, type ServerResponse } from "node:http";
import type { CallerPrincipal } from "../auth/caller-principal.js";
import { evaluate } from "../auth/iam-evaluator.js";
import { receivedRequestFromNode } from "../auth/received-request.js";
import { parseAuthorizationHeader } from "../auth/sigv4-authorization-header.js";
import { type KnownCredentials, verifySigV4 } from "../auth/sigv4-verifier.js";
import type { RoleModel, TableModel } from "../model.js";
import { readBody, sourceIpOf } from "../node-http.js";
import { formatAwsCallLog, type AwsCallLogEntry } from "./aws-call-log.js";
import { mapDynamoDbCall, type DynamoDbCheck } from "./dynamodb-iam-mapping.js";
import {
  DYNAMODB_CONTENT_TYPE,
  dynamoDbAccessDenied,
  dynamoDbAuthenticationError,
  dynamoDbClientError,
  notEmulatedOffline,
  type DynamoDbError,
} from "./dynamodb-errors.js";

/** DynamoDB's request size limit is 16 MB; past it the endpoint refuses without reading more. */
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

export interface AwsEndpointOptions {
  readonly region: string;
  readonly accountId: string;
  /** The stack's tables, by name (their key schemas fill `dynamodb:LeadingKeys`). */
  readonly tables: ReadonlyMap<string, TableModel>;
  /** The embedded engine (dynalite) the allowed calls are forwarded to. */
  readonly engineUrl: string;
  /** The local STS's credential lookup, the same the gateway's verifier uses. */
  readonly lookupCredentials: (accessKeyId: string) => KnownCredentials | undefined;
  /** Every role a caller may hold, by ARN: its identity policies and permissions boundary. */
  readonly roles: ReadonlyMap<string, RoleModel>;
  /** One line per call; omitted means no access log. */
  readonly accessLog?: (line: string) => void;
  /** Diagnostics (an endpoint bug). */
  readonly warn?: (line: string) => void;
  /** The verifier's clock. @default the system clock */
  readonly now?: () => Date;
}

/** What one call produced, for the access log (the listener adds the latency). */
type CallOutcome = Omit<AwsCallLogEntry, "latencyMs">;

/**
 * The signing service a request names: its SigV4 credential scope, else the `X-Amz-Target`
 * prefix (e.g. `DynamoDB_20120810`), else `unknown`. Only used to route and to name the service
 * in errors; the verifier checks the scope itself.
 */
function serviceOf(req: IncomingMessage): string {
  const authorization = req.headers.authorization;
  if (typeof authorization === "string") {
    const parsed = parseAuthorizationHeader(authorization, true);
    if (parsed.ok) return parsed.value.scopeService;
  }
  const target = req.headers["x-amz-target"];
  if (typeof target === "string" && target.startsWith("DynamoDB_")) return "dynamodb";
  return "unknown";
}

/**
 * The local AWS endpoint functions call through the AWS SDK (`AWS_ENDPOINT_URL`,
 * `AWS_ENDPOINT_URL_DYNAMODB`): DynamoDB calls are SigV4-verified against the caller role's
 * local credentials, mapped to IAM (action, table or index ARN, DynamoDB condition keys),
 * evaluated with the same evaluator as execute-api, and only then forwarded to the engine;
 * every other service answers "not emulated offline: <service>".
 */
export class AwsEndpoint {
  private readonly now: () => Date;
  // Keep-alive to the engine: one connection set for all calls, as the SDK keeps its own.
  private readonly agent = new Agent({ keepAlive: true });
  private readonly engine: URL;

  constructor(private readonly options: AwsEndpointOptions) {
    this.now = options.now ?? (() => new Date());
    this.engine = new URL(options.engineUrl);
  }

  /** The node `request` listener. Never throws; an endpoint bug answers 500 and is reported. */
  readonly listener = (req: IncomingMessage, res: ServerResponse): void => {
    const started = performance.now();
    const requestId = randomUUID();
    this.handle(req, res, requestId)
      .catch((error: unknown): CallOutcome => {
        if (!req.destroyed) this.options.warn?.(`aws endpoint error: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
        this.writeError(res, { statusCode: 500, errorType: "InternalServerError", body: { __type: "com.amazon.coral.service#InternalServerError", message: "Internal server error" } }, requestId);
        return { service: "-", action: "-", tables: [], principal: "-", decision: "Error", status: 500 };
      })
      .then((outcome) => {
        this.options.accessLog?.(formatAwsCallLog({ ...outcome, latencyMs: performance.now() - started }));
      });
  };

  /** Closes the keep-alive connections to the engine. */
  close(): void {
    this.agent.destroy();
  }

  private async handle(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<CallOutcome> {
    const service = serviceOf(req);
    if (service !== "dynamodb") {
      req.resume();
      this.writeError(res, notEmulatedOffline(service), requestId);
      return { service, action: "-", tables: [], principal: "-", decision: "Error", status: 501, reason: "not emulated offline" };
    }
    const fail = (error: DynamoDbError, action: string, principal: string, reason: string, tables: readonly string[] = []): CallOutcome => {
      this.writeError(res, error, requestId);
      return { service, action, tables, principal, decision: error.errorType === "AccessDeniedException" ? "Deny" : "Error", status: error.statusCode, reason };
    };

    const read = await readBody(req, MAX_REQUEST_BYTES);
    if ("tooLarge" in read) {
      req.resume();
      return fail(dynamoDbClientError("ValidationException", `the request is larger than ${MAX_REQUEST_BYTES} bytes`), "-", "-", "request too large");
    }
    const body = read.body;
    const target = req.headers["x-amz-target"];
    const operation = typeof target === "string" ? target : undefined;
    const action = operation?.split(".").pop() ?? "-";

    const receivedAt = this.now();
    const verified = await verifySigV4(receivedRequestFromNode(req, body), { region: this.options.region, service: "dynamodb", now: receivedAt, lookup: this.options.lookupCredentials });
    if (!verified.ok) return fail(dynamoDbAuthenticationError(verified.error), action, "-", verified.reason);
    const principal = verified.credentials.principal;

    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      return fail(dynamoDbClientError("SerializationException", "the request body is not valid JSON"), action, principal.arn, "body is not JSON");
    }
    const mapped = mapDynamoDbCall(operation, parsed, {
      region: this.options.region,
      accountId: this.options.accountId,
      keysOf: (name) => this.options.tables.get(name),
    });
    if (!mapped.ok) return fail(dynamoDbClientError(mapped.errorType, mapped.message), mapped.operation, principal.arn, mapped.message);
    const tables = [...new Set(mapped.checks.map((c) => c.tableName))];

    const sourceIp = sourceIpOf(req);
    const userAgent = typeof req.headers["user-agent"] === "string" ? req.headers["user-agent"] : undefined;
    for (const check of mapped.checks) {
      const denial = this.authorize(principal, check, { requestTime: receivedAt, sourceIp, userAgent });
      if (denial !== undefined) return fail(denial.error, mapped.operation, principal.arn, denial.reason, tables);
    }
    await this.forward(req, body, res, requestId);
    return { service, action: mapped.operation, tables, principal: principal.arn, decision: "Allow", status: res.statusCode };
  }

  /** Undefined when allowed; else DynamoDB's AccessDeniedException and the log-safe reason. */
  private authorize(principal: CallerPrincipal, check: DynamoDbCheck, facts: { requestTime: Date; sourceIp: string; userAgent: string | undefined }): { error: DynamoDbError; reason: string } | undefined {
    const role = this.options.roles.get(principal.roleArn);
    const evaluation = evaluate({
      action: check.action,
      resource: check.resource,
      resourceAccountId: this.options.accountId,
      principal,
      identityPolicies: role?.policies ?? [],
      permissionsBoundary: role?.permissionsBoundary,
      requestTime: facts.requestTime,
      region: this.options.region,
      sourceIp: facts.sourceIp,
      ...(facts.userAgent !== undefined ? { userAgent: facts.userAgent } : {}),
      serviceKeys: check.context,
    });
    if (evaluation.decision === "Allow") return undefined;
    // DynamoDB tables in this stack have no resource policies, so another account is never allowed.
    const why = evaluation.decision === "ExplicitDeny" ? "explicit-deny" : principal.accountId === this.options.accountId ? "no-identity-allow" : "no-resource-allow";
    return { error: dynamoDbAccessDenied(principal.arn, check.action, check.resource, why), reason: evaluation.reason };
  }

  /** Sends the verified call, bytes unchanged, to the engine and streams its answer back. */
  private forward(req: IncomingMessage, body: Buffer, res: ServerResponse, requestId: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const upstream = httpRequest(
        {
          host: this.engine.hostname,
          port: this.engine.port,
          method: req.method,
          path: "/",
          agent: this.agent,
          headers: {
            "content-type": req.headers["content-type"] ?? DYNAMODB_CONTENT_TYPE,
            "x-amz-target": req.headers["x-amz-target"],
            // dynalite wants a signature-shaped header; the real one was verified above.
            authorization: req.headers.authorization,
            "x-amz-date": req.headers["x-amz-date"],
            "content-length": String(body.length),
          },
        },
        (answer) => {
          const headers = { ...answer.headers, "x-amzn-requestid": requestId };
          res.writeHead(answer.statusCode ?? 502, headers);
          answer.pipe(res);
          answer.on("end", resolve);
          answer.on("error", reject);
        },
      );
      upstream.on("error", reject);
      upstream.end(body);
    });
  }

  private writeError(res: ServerResponse, error: DynamoDbError, requestId: string): void {
    if (res.headersSent || res.destroyed) return;
    const body = JSON.stringify(error.body);
    res.writeHead(error.statusCode, {
      "content-type": DYNAMODB_CONTENT_TYPE,
      "x-amzn-requestid": requestId,
      "x-amzn-errortype": error.errorType,
      "content-length": String(Buffer.byteLength(body)),
    });
    res.end(body);
  }
}
