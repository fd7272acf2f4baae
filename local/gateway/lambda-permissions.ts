import { arnMatchCompiled, compileWildcard } from "../auth/iam-wildcard.js";
import type { LambdaPermissionModel } from "../model.js";

/** A permission with its `source_arn` compiled once (iam-wildcard.ts), for the per-request check. */
interface CompiledPermission {
  readonly functionName: string;
  readonly sourceArnPattern: string | undefined;
  readonly sourceAccount: string | undefined;
}

function compilePermission(permission: LambdaPermissionModel): CompiledPermission {
  return {
    functionName: permission.functionName,
    sourceArnPattern: permission.sourceArn === undefined ? undefined : compileWildcard(permission.sourceArn),
    sourceAccount: permission.sourceAccount,
  };
}

function anyMayInvoke(permissions: readonly CompiledPermission[], functionName: string, requestArn: string, apiAccountId: string): boolean {
  return permissions.some(
    (p) =>
      p.functionName === functionName &&
      (p.sourceArnPattern === undefined || arnMatchCompiled(p.sourceArnPattern, requestArn)) &&
      (p.sourceAccount === undefined || p.sourceAccount === apiAccountId),
  );
}

/**
 * Whether the function's resource policy lets API Gateway invoke it for this request: some
 * permission names the function and its `source_arn` (ArnLike) matches the request's ARN.
 * Without one API Gateway answers 500, so a wrong permission fails locally too.
 */
export function apiGatewayMayInvoke(
  permissions: readonly LambdaPermissionModel[],
  functionName: string,
  requestArn: string,
  apiAccountId: string,
): boolean {
  return anyMayInvoke(permissions.map(compilePermission), functionName, requestArn, apiAccountId);
}

/**
 * The stack's Lambda permissions, indexed so that a request reads few of them however big the
 * stack: a route's own permission (its `source_arn` is the route's ARN, `*` for each parameter)
 * is found by that ARN; only when it is absent or does not match are the function's other
 * permissions read. The answer is always that of {@link apiGatewayMayInvoke} over all of them.
 */
export class LambdaPermissionIndex {
  private readonly byFunction = new Map<string, CompiledPermission[]>();
  private readonly bySourceArn = new Map<string, CompiledPermission[]>();

  constructor(permissions: readonly LambdaPermissionModel[]) {
    for (const permission of permissions) {
      const compiled = compilePermission(permission);
      append(this.byFunction, permission.functionName, compiled);
      if (permission.sourceArn !== undefined) append(this.bySourceArn, `${permission.functionName} ${permission.sourceArn}`, compiled);
    }
  }

  /** @param routeArn the matched route's ARN with `*` for its parameters, `…/STAGE/METHOD/users/*`. */
  mayInvoke(functionName: string, requestArn: string, apiAccountId: string, routeArn: string): boolean {
    const own = this.bySourceArn.get(`${functionName} ${routeArn}`) ?? [];
    return anyMayInvoke(own, functionName, requestArn, apiAccountId) || anyMayInvoke(this.byFunction.get(functionName) ?? [], functionName, requestArn, apiAccountId);
  }
}

function append<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
