import type { MethodModel, ResourceModel } from "../model.js";

/** The method a request reached and what its path filled in. */
export interface RouteMatch {
  readonly resource: ResourceModel;
  readonly method: MethodModel;
  /** Decoded `{param}` values; null when the resource has none (as in the proxy event). */
  readonly pathParameters: Record<string, string> | null;
}

/** Percent-decodes one path segment; a malformed escape is kept as sent rather than failing. */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Finds the resource and method for a path below the stage, as API Gateway does: a literal child
 * wins over a `{param}` child, and an unknown path or method is no match (the caller then answers
 * "Missing Authentication Token").
 */
export function lookupRoute(root: ResourceModel, rawPath: string, httpMethod: string): RouteMatch | undefined {
  const segments = rawPath === "/" ? [] : rawPath.replace(/^\//, "").split("/").map(decodeSegment);
  const parameters: Record<string, string> = {};
  const walk = (node: ResourceModel, index: number): ResourceModel | undefined => {
    if (index === segments.length) return node;
    const segment = segments[index]!;
    if (segment === "") return undefined;
    const literal = node.children.find((c) => c.pathPart === segment);
    const found = literal && walk(literal, index + 1);
    if (found) return found;
    for (const child of node.children) {
      const name = /^\{(.+)\}$/.exec(child.pathPart)?.[1];
      if (!name) continue;
      const below = walk(child, index + 1);
      if (below) {
        parameters[name] = segment;
        return below;
      }
    }
    return undefined;
  };
  const resource = walk(root, 0);
  const method = resource?.methods.get(httpMethod.toUpperCase()) ?? resource?.methods.get("ANY");
  if (!resource || !method) return undefined;
  return { resource, method, pathParameters: Object.keys(parameters).length > 0 ? parameters : null };
}
