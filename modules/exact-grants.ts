/**
 * Keeping a grant exact. A route `GET /users/{id}` is granted as `…/GET/users/*`, and IAM's `*`
 * matches across `/` ("IAM JSON policy elements: Resource", IAM User Guide: it "can expand to
 * replace everything within a segment, including characters like a forward slash",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html),
 * so the grant would also cover `GET /users/{id}/profile` and every deeper route declared later.
 * These pure functions compute, from everything one grantee holds on one API, the narrowest
 * Deny patterns that cut that overreach off without touching any route the grantee holds.
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

/**
 * True when `deny` matches some request to `route` itself (a path whose segments are exactly the
 * route's, each parameter one non-empty segment). A deny pattern's literals are whole segments,
 * so a parameter it could pin is pinned to one of those literals; any other value is as good as
 * a placeholder. Trying those values is therefore complete.
 */
export function denyHitsRoute(deny: RouteShape, route: RouteShape): boolean {
  if (deny.method !== route.method) return false;
  const values = [...new Set(deny.segments.filter((s) => s !== "*")), "\u0000"];
  const params = route.segments.flatMap((s, i) => (s === "*" ? [i] : []));
  const total = values.length ** params.length;
  for (let n = 0; n < total; n++) {
    const segments = [...route.segments];
    let rest = n;
    for (const i of params) {
      segments[i] = values[rest % values.length]!;
      rest = Math.floor(rest / values.length);
    }
    if (globMatches(deny, `${route.method}/${segments.join("/")}`)) return true;
  }
  return false;
}

/** True when every ARN `inner` matches is matched by `outer` (both `*`-only patterns). */
function covers(outer: RouteShape, inner: RouteShape): boolean {
  return globMatches(outer, `${inner.method}/${inner.segments.join("/")}`);
}

/**
 * The overreach of a granted pattern is exactly the requests in which one of its `*`s swallowed
 * a `/`. Replacing that `*` by `*\/*` matches those and nothing of the route itself, so these
 * patterns (one per parameter) are the narrowest Deny that keeps the grant exact.
 */
function overreachPatterns(route: RouteShape): RouteShape[] {
  return route.segments.flatMap((segment, i) =>
    segment === "*" ? [{ method: route.method, segments: [...route.segments.slice(0, i), "*", "*", ...route.segments.slice(i + 1)] }] : [],
  );
}

/**
 * Plans the Deny for one grantee's routes on one API.
 * @param granted every route the grantee holds on the API.
 * @param declared every route the API declares (to still deny the declared ones a broad
 *   pattern would have cut off, when that pattern would also hit a granted route).
 */
export function planExactness(granted: readonly RouteShape[], declared: readonly RouteShape[]): ExactnessPlan {
  const grantedKeys = new Set(granted.map(key));
  const hitsGranted = (deny: RouteShape) => granted.some((route) => denyHitsRoute(deny, route));
  const denies: RouteShape[] = [];
  const inexact: Array<{ route: RouteShape; reason: string }> = [];
  for (const route of granted) {
    for (const pattern of overreachPatterns(route)) {
      const blocked = granted.filter((other) => denyHitsRoute(pattern, other));
      if (blocked.length === 0) {
        denies.push(pattern);
        continue;
      }
      // The broad pattern would deny a route the grantee holds: deny what is deeper than every
      // held route, then the declared routes it would have cut off one by one, and say that
      // undeclared (future) ones at the held depths stay reachable.
      let deeper: RouteShape = { method: pattern.method, segments: [...pattern.segments, "*"] };
      while (hitsGranted(deeper)) deeper = { method: deeper.method, segments: [...deeper.segments, "*"] };
      denies.push(deeper);
      for (const other of declared) {
        if (grantedKeys.has(key(other)) || !denyHitsRoute(pattern, other)) continue;
        if (hitsGranted(other)) {
          inexact.push({ route, reason: `it also covers ${describe(other)}, which IAM cannot deny without denying a granted route` });
        } else {
          denies.push(other);
        }
      }
      inexact.push({
        route,
        reason: `routes declared later under ${describe(pattern)} would be covered too: a Deny of that pattern would also deny ${blocked.map(describe).join(", ")}`,
      });
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
