/**
 * Keeping a grant exact. A route `GET /users/{id}` is granted as `…/GET/users/*`, and IAM's `*`
 * matches across `/` ("IAM JSON policy elements: Resource", IAM User Guide: it "can expand to
 * replace everything within a segment, including characters like a forward slash",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html),
 * so the grant would also cover `GET /users/{id}/profile` and every deeper route declared later.
 * These pure functions compute, from everything one grantee holds on one API, the narrowest
 * Deny patterns that cut that overreach off without touching any route the grantee holds.
 * Why per grantee and API, not a Deny with `NotResource` listing the granted ARNs: those ARNs
 * carry the very `*` that over-matches, so `NotResource` would exempt the overreach itself (and a
 * `NotResource` Deny reaches every other API too). The Deny is rebuilt from all of the grantee's
 * grants whenever one is added, so a later grant is never blocked by an earlier Deny.
 */

/** A route shape as it stands in an execute-api ARN: method and ARN path (`users/*`). */
export interface RouteShape {
  readonly method: string;
  /** Segments of the ARN path; `*` for a path parameter. Empty for `/`. */
  readonly segments: readonly string[];
}

/** The Deny patterns for one grantee on one API, and what IAM cannot keep exact. */
export interface ExactnessPlan {
  /** ARN path patterns (method + segments, `*` may span `/`) to deny. */
  readonly denies: readonly RouteShape[];
  /** Granted routes whose overreach could not be cut off entirely, with why. */
  readonly inexact: ReadonlyArray<{ readonly route: RouteShape; readonly reason: string }>;
}

const key = (shape: RouteShape) => `${shape.method} ${shape.segments.join("/")}`;

/** IAM's `*` (any run of characters, `/` included) over the text `METHOD/ARN_PATH`. */
function globMatches(pattern: RouteShape, text: string): boolean {
  const source = `${pattern.method}/${pattern.segments.join("/")}`
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${source}$`).test(text);
}

const matchesRequest = (pattern: RouteShape, method: string, segments: readonly string[]) =>
  globMatches(pattern, `${method}/${segments.join("/")}`);

/** A value no literal segment can take (route validation allows none of its characters). */
const FRESH = "\u0000";

/**
 * Which declared route API Gateway sends a request path to: the resource tree is walked with a
 * literal child before the `{param}` child at each level (as the offline gateway's route lookup
 * does), then the method is looked up on the resource found. So `/users/me` never reaches
 * `/users/{id}` when `/users/me` is declared, and a Deny of `users/me` cannot hit `{id}`'s requests.
 */
export class DeclaredRoutes {
  private readonly byKey: Set<string>;
  /** Every resource (prefix of a declared path) as `seg/seg`, for the walk. */
  private readonly resources = new Set<string>();

  constructor(readonly routes: readonly RouteShape[]) {
    this.byKey = new Set(routes.map(key));
    for (const route of routes) {
      for (let i = 0; i <= route.segments.length; i++) this.resources.add(route.segments.slice(0, i).join("/"));
    }
  }

  /** The declared route a request reaches, if any. */
  routeOf(method: string, segments: readonly string[]): RouteShape | undefined {
    const resource = this.walk(segments, 0, []);
    if (resource === undefined) return undefined;
    const route = { method, segments: resource };
    return this.byKey.has(key(route)) ? route : undefined;
  }

  private walk(segments: readonly string[], index: number, prefix: string[]): string[] | undefined {
    if (index === segments.length) return prefix;
    for (const child of [segments[index]!, "*"]) {
      const next = [...prefix, child];
      if (!this.resources.has(next.join("/"))) continue;
      const found = this.walk(segments, index + 1, next);
      if (found) return found;
    }
    return undefined;
  }
}

/**
 * True when `deny` matches some request that reaches `route` (a path with exactly the route's
 * segments, each parameter one non-empty segment that API Gateway sends to this route and not to a
 * literal sibling). A deny pattern's literals are whole segments, so a parameter it could pin is
 * pinned to one of those literals; any other value is as good as a fresh one. Trying those values
 * is therefore complete.
 */
export function denyHitsRoute(deny: RouteShape, route: RouteShape, declared = new DeclaredRoutes([route])): boolean {
  if (deny.method !== route.method) return false;
  const values = [...new Set(deny.segments.filter((s) => s !== "*")), FRESH];
  const params = route.segments.flatMap((s, i) => (s === "*" ? [i] : []));
  const total = values.length ** params.length;
  for (let n = 0; n < total; n++) {
    const segments = [...route.segments];
    let rest = n;
    for (const i of params) {
      segments[i] = values[rest % values.length]!;
      rest = Math.floor(rest / values.length);
    }
    if (!matchesRequest(deny, route.method, segments)) continue;
    const reached = declared.routeOf(route.method, segments);
    if (reached !== undefined && key(reached) === key(route)) return true;
  }
  return false;
}

/** True when every ARN `inner` matches is matched by `outer` (both `*`-only patterns). */
function covers(outer: RouteShape, inner: RouteShape): boolean {
  return globMatches(outer, `${inner.method}/${inner.segments.join("/")}`);
}

/**
 * The deeper overreach of a granted pattern is the requests in which one of its `*`s swallowed
 * a `/`. Replacing the `*` at `index` by `extra + 1` stars (`*\/*` for one) matches the requests in
 * which that `*` swallowed at least `extra` slashes, and nothing of the route itself.
 */
function widened(route: RouteShape, index: number, extra: number): RouteShape {
  const stars = Array.from({ length: extra + 1 }, () => "*");
  return { method: route.method, segments: [...route.segments.slice(0, index), ...stars, ...route.segments.slice(index + 1)] };
}

/**
 * Plans the Deny for one grantee's routes on one API. A grant's `*` reaches further than its
 * route in two ways: deeper paths (the `*` swallows a `/`), and literal siblings of a parameter
 * (`users/*` matches the ARN of a declared `GET /users/me`). Both are denied where a Deny can do so
 * without hitting a request to a route the grantee holds; what is left is reported.
 * @param granted every route the grantee holds on the API.
 * @param declared every route the API declares.
 */
export function planExactness(granted: readonly RouteShape[], declared: readonly RouteShape[]): ExactnessPlan {
  const table = new DeclaredRoutes([...declared, ...granted]);
  const grantedKeys = new Set(granted.map(key));
  const hitsGranted = (deny: RouteShape) => granted.some((route) => denyHitsRoute(deny, route, table));
  const denies: RouteShape[] = [];
  const inexact: Array<{ route: RouteShape; reason: string }> = [];

  // Deeper paths, one Deny per parameter: the narrowest that keeps the grant exact.
  for (const route of granted) {
    route.segments.forEach((segment, index) => {
      if (segment !== "*") return;
      const pattern = widened(route, index, 1);
      const blocked = granted.filter((other) => denyHitsRoute(pattern, other, table));
      if (blocked.length === 0) {
        denies.push(pattern);
        return;
      }
      // It would deny a route the grantee holds: deny only what is deeper than every held route;
      // declared routes in between are handled below, undeclared (future) ones stay reachable.
      let extra = 2;
      while (hitsGranted(widened(route, index, extra))) extra++;
      denies.push(widened(route, index, extra));
      inexact.push({
        route,
        reason: `routes declared later under ${describe(pattern)} would be covered too: a Deny of that pattern would also deny ${blocked.map(describe).join(", ")}`,
      });
    });
  }

  // Declared routes a grant still reaches: literal siblings, and deeper ones the Deny above left.
  for (const other of declared) {
    if (grantedKeys.has(key(other))) continue;
    const request = other.segments.map((s) => (s === "*" ? FRESH : s));
    const reachers = granted.filter((route) => matchesRequest(route, other.method, request));
    if (reachers.length === 0 || denies.some((deny) => matchesRequest(deny, other.method, request))) continue;
    if (!hitsGranted(other)) {
      denies.push(other);
      continue;
    }
    for (const route of reachers) {
      inexact.push({ route, reason: `it also covers ${describe(other)}, which IAM cannot deny without denying a granted route` });
    }
  }

  // Drop duplicates and patterns another deny already covers.
  const unique = [...new Map(denies.map((d) => [key(d), d])).values()];
  const minimal = unique.filter((d, i) => !unique.some((other, j) => j !== i && covers(other, d) && !(covers(d, other) && j > i)));
  return { denies: minimal, inexact };
}

/** `GET /users/{…}/profile`-style text of a shape, for messages. */
export function describe(shape: RouteShape): string {
  return `${shape.method} /${shape.segments.map((s) => (s === "*" ? "{…}" : s)).join("/")}`;
}
