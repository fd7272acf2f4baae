/**
 * The route table: the one place a route is declared. Everything an API builds for a route
 * (resource, method, integration, permission, grant ARN, docs) is derived from a `Route`.
 */

/** HTTP methods a route may use. `ANY` is left out on purpose: a grant must name one method. */
export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Something that can be the Lambda proxy integration of a route (a `NodeFunction`). */
export interface RouteTarget {
  /** The function's `invoke_arn`, used as the integration URI. */
  readonly invokeArn: string;
  /** The function's name, used by the `aws_lambda_permission`. */
  readonly functionName: string;
  /** The construct path, so that errors and the deployment trigger can name the function. */
  readonly node: { readonly path: string };
}

/** One row of a route table. */
export interface Route {
  /** The HTTP method, e.g. `GET`. */
  readonly method: HttpMethod;
  /** The resource path, e.g. `/users/{id}`: literal segments and `{param}` segments. */
  readonly path: string;
  /** The function that serves the route through a Lambda proxy integration. */
  readonly function: RouteTarget;
}

/** A validated route with what is derived from its path. */
export interface ResolvedRoute extends Route {
  /** `METHOD /path`, for messages. */
  readonly key: string;
  /** The path's segments (`["users", "{id}"]`); empty for `/`. */
  readonly segments: readonly string[];
  /** The path as it stands in an execute-api ARN: each `{param}` becomes `*`, no leading slash. */
  readonly arnPath: string;
}

export const LITERAL_SEGMENT = /^[A-Za-z0-9._~-]+$/;
export const PARAM_SEGMENT = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

/** Thrown at synth time for a route table that API Gateway would reject or that is ambiguous. */
export class RouteTableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RouteTableError";
  }
}

/** Splits a path into segments, or says why it is not a valid resource path. */
export function pathSegments(path: string): string[] | string {
  if (typeof path !== "string" || !path.startsWith("/")) return "must start with '/'";
  if (path === "/") return [];
  if (path.endsWith("/")) return "must not end with '/'";
  const segments = path.slice(1).split("/");
  const seen = new Set<string>();
  for (const segment of segments) {
    if (segment === "") return "has an empty segment ('//')";
    const param = PARAM_SEGMENT.exec(segment);
    if (param) {
      if (seen.has(param[1]!)) return `repeats the path parameter {${param[1]}}`;
      seen.add(param[1]!);
    } else if (!LITERAL_SEGMENT.test(segment)) {
      return `has an invalid segment '${segment}' (use letters, digits, '.', '_', '~', '-' or a {param}; greedy {param+} is not supported)`;
    }
  }
  return segments;
}

/** A path parameter segment becomes `*` in an execute-api ARN. */
export function arnPathOf(segments: readonly string[]): string {
  return segments.map((s) => (PARAM_SEGMENT.test(s) ? "*" : s)).join("/");
}

/**
 * Validates a route table and derives each route's segments and ARN path.
 * @param owner names the construct in error messages, e.g. "InternalApi 'users'".
 */
export function resolveRoutes(routes: readonly Route[], owner: string): ResolvedRoute[] {
  if (!Array.isArray(routes) || routes.length === 0) {
    throw new RouteTableError(`${owner} has no routes: declare at least one { method, path, function }.`);
  }
  const keys = new Set<string>();
  // A parent path may have only one parameter child: API Gateway rejects /a/{x} beside /a/{y}.
  const paramAt = new Map<string, string>();
  return routes.map((route) => {
    const label = `${String(route?.method)} ${String(route?.path)}`;
    if (!HTTP_METHODS.includes(route?.method)) {
      throw new RouteTableError(
        `route ${label} in ${owner} has an unknown method '${String(route?.method)}' (use one of ${HTTP_METHODS.join(", ")}).`,
      );
    }
    const segments = pathSegments(route.path);
    if (typeof segments === "string") {
      throw new RouteTableError(`route ${label} in ${owner} has a malformed path: it ${segments}.`);
    }
    if (!route.function) {
      throw new RouteTableError(`route ${label} in ${owner} has no function.`);
    }
    const key = `${route.method} ${route.path}`;
    if (keys.has(key)) throw new RouteTableError(`route ${key} is declared twice in ${owner}.`);
    keys.add(key);
    segments.forEach((segment, i) => {
      if (!PARAM_SEGMENT.test(segment)) return;
      const parent = "/" + segments.slice(0, i).join("/");
      const other = paramAt.get(parent);
      if (other !== undefined && other !== segment) {
        throw new RouteTableError(
          `route ${key} in ${owner} uses ${segment} where another route uses ${other} under '${parent}': API Gateway allows one parameter name per level.`,
        );
      }
      paramAt.set(parent, segment);
    });
    return { ...route, key, segments, arnPath: arnPathOf(segments) };
  });
}
