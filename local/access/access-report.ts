/**
 * Who can call what: every principal of the stack (see principals.ts) against every route of
 * every API, decided by the offline mode's own evaluator on the route's request ARN, so the
 * report says what the gateway would answer. Pure: a loaded stack in, plain data out.
 */
import { apiArn, INVOKE_ACTION, requestArn, routeArn, type ApiContext } from "../auth/authorize.js";
import { evaluate, type Evaluation } from "../auth/iam-evaluator.js";
import type { MethodAuthorization, ResourceModel, RestApiModel, StackModel, StageModel } from "../model.js";
import { accessFindings, type Finding } from "./findings.js";
import { accessPrincipals, type AccessPrincipal, type PrincipalKind } from "./principals.js";

/** One route of one API stage, as the report evaluates it. */
export interface AccessRoute {
  /** The API's label: its name, plus `(stage)` when it has several stages. */
  readonly api: string;
  readonly apiId: string;
  readonly stage: string;
  /** `GET /users/{id}`. */
  readonly route: string;
  readonly method: string;
  readonly path: string;
  readonly authorization: MethodAuthorization;
  /** For a `COGNITO_USER_POOLS` method: the ARNs of the pools whose tokens it accepts. */
  readonly userPoolArns: readonly string[];
  /** The ARN an exact grant of the route names: each `{param}` as `*`. */
  readonly grantArn: string;
  /** The ARN of a request to the route (each `{param}` kept as written, a value no literal can take). */
  readonly requestArn: string;
}

export interface AccessDecision {
  /** The principal's `id`. */
  readonly principal: string;
  readonly api: string;
  readonly route: string;
  readonly decision: "allow" | "deny";
  /** The deciding statement (policy address, index, Sid) or why nothing decided. */
  readonly reason: string;
}

/** The report's JSON (`npm run access -- --json`), exactly these four keys; documented in local/access/README.md. */
export interface AccessReport {
  readonly apis: ReadonlyArray<{ readonly name: string; readonly id: string; readonly stage: string; readonly routes: readonly string[] }>;
  readonly principals: ReadonlyArray<{ readonly id: string; readonly label: string; readonly kind: PrincipalKind; readonly description: string }>;
  readonly decisions: readonly AccessDecision[];
  readonly findings: readonly Finding[];
}

/** What findings.ts needs besides the report: the evaluations themselves. */
export interface EvaluatedCell {
  readonly principal: AccessPrincipal;
  readonly route: AccessRoute;
  readonly evaluation?: Evaluation;
  readonly decision: "allow" | "deny";
}

function methodsOf(node: ResourceModel): Array<{ path: string; method: string; authorization: MethodAuthorization; userPoolArns: string[] }> {
  const here = [...node.methods.values()].map((m) => ({
    path: node.path,
    method: m.httpMethod,
    authorization: m.authorization,
    userPoolArns: (m.authorizer?.userPools ?? []).map((pool) => pool.arn),
  }));
  return [...here, ...node.children.flatMap(methodsOf)];
}

/** Every route of every stage of every API, in a stable order. */
function accessRoutes(model: StackModel): AccessRoute[] {
  const routes: AccessRoute[] = [];
  const apis = [...model.apis.values()].sort((a, b) => a.name.localeCompare(b.name));
  for (const api of apis) {
    const stages = [...api.stages.values()].sort((a, b) => a.name.localeCompare(b.name));
    for (const stage of stages) {
      const context = apiContext(model, api, stage);
      const label = stages.length > 1 ? `${api.name} (${stage.name})` : api.name;
      const methods = methodsOf(api.root).sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
      for (const { path, method, authorization, userPoolArns } of methods) {
        routes.push({
          api: label,
          apiId: api.id,
          stage: stage.name,
          route: `${method} ${path}`,
          method,
          path,
          authorization,
          userPoolArns,
          grantArn: routeArn(context, method, path),
          requestArn: requestArn(context, { method, resourcePath: path }),
        });
      }
    }
  }
  return routes;
}

function apiContext(model: StackModel, api: RestApiModel, stage: StageModel): ApiContext {
  return { region: model.region, accountId: model.accountId, apiId: api.id, stage: stage.name, ...(api.resourcePolicy ? { resourcePolicy: api.resourcePolicy } : {}) };
}

function decide(model: StackModel, principal: AccessPrincipal, route: AccessRoute, requestTime: Date): EvaluatedCell {
  const api = model.apis.get(route.apiId)!;
  // Who gets past the method's own authorization, before any resource policy.
  const admitted =
    route.authorization === "NONE" ||
    (route.authorization === "AWS_IAM" && principal.caller !== "anonymous") ||
    (route.authorization === "COGNITO_USER_POOLS" && principal.userPoolArn !== undefined && route.userPoolArns.includes(principal.userPoolArn));
  if (!admitted) return { principal, route, decision: "deny" };
  const publicMethod = route.authorization !== "AWS_IAM";
  if (publicMethod && !api.resourcePolicy) return { principal, route, decision: "allow" };
  const context = apiContext(model, api, api.stages.get(route.stage)!);
  // A method without authorization evaluates the resource policy for an anonymous caller, whoever signs.
  const caller = publicMethod ? "anonymous" : principal.caller;
  const evaluation = evaluate({
    action: INVOKE_ACTION,
    resource: route.requestArn,
    resourceAccountId: model.accountId,
    principal: caller,
    identityPolicies: caller === "anonymous" ? [] : principal.policies,
    permissionsBoundary: caller === "anonymous" ? undefined : principal.permissionsBoundary,
    resourcePolicy: api.resourcePolicy,
    apiArn: apiArn(context),
    requestTime,
    region: model.region,
  });
  return { principal, route, evaluation, decision: evaluation.decision === "Allow" ? "allow" : "deny" };
}

function reasonOf(cell: EvaluatedCell): string {
  if (cell.evaluation) return cell.evaluation.reason;
  const { route } = cell;
  if (route.authorization === "NONE") return "the method's authorization is NONE and the API has no resource policy: anyone may call";
  if (route.authorization === "COGNITO_USER_POOLS") {
    return cell.decision === "allow"
      ? "the method's COGNITO_USER_POOLS authorizer accepts a valid token of this user pool (the API has no resource policy)"
      : "the method's authorization is COGNITO_USER_POOLS: a request without a valid token of its user pool is refused (401), whatever its AWS signature";
  }
  return "the method's authorization is AWS_IAM: an unsigned request is refused (Missing Authentication Token)";
}

/** Evaluates every principal against every route and checks the result. */
export function buildAccessReport(model: StackModel): AccessReport {
  const principals = accessPrincipals(model);
  const routes = accessRoutes(model);
  // One time for every decision: a condition on aws:CurrentTime sees the same moment throughout.
  const requestTime = new Date();
  const cells = principals.flatMap((principal) => routes.map((route) => decide(model, principal, route, requestTime)));
  const apis = new Map<string, { name: string; id: string; stage: string; routes: string[] }>();
  for (const route of routes) {
    const entry = apis.get(route.api) ?? { name: route.api, id: route.apiId, stage: route.stage, routes: [] };
    entry.routes.push(route.route);
    apis.set(route.api, entry);
  }
  return {
    apis: [...apis.values()],
    principals: principals.map(({ id, label, kind, description }) => ({ id, label, kind, description })),
    decisions: cells.map((cell) => ({ principal: cell.principal.id, api: cell.route.api, route: cell.route.route, decision: cell.decision, reason: reasonOf(cell) })),
    findings: accessFindings(model, routes, cells),
  };
}
