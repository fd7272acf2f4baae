import { arnMatch } from "../auth/iam-wildcard.js";
import type { LambdaPermissionModel } from "../model.js";

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
  return permissions.some(
    (p) =>
      p.functionName === functionName &&
      (p.sourceArn === undefined || arnMatch(p.sourceArn, requestArn)) &&
      (p.sourceAccount === undefined || p.sourceAccount === apiAccountId),
  );
}

/**
 * The stack's Lambda permissions, indexed so that a request reads few of them however big the
 * stack: a route's own permission (its `source_arn` is the route's ARN, `*` for each parameter)
 * is found by that ARN; only when it is absent or does not match are the function's other
 * permissions read. The answer is always that of {@link apiGatewayMayInvoke} over all of them.
 */
export class LambdaPermissionIndex {
  private readonly byFunction = new Map<string, LambdaPermissionModel[]>();
  private readonly bySourceArn = new Map<string, LambdaPermissionModel[]>();

  constructor(permissions: readonly LambdaPermissionModel[]) {
    for (const permission of permissions) {
      append(this.byFunction, permission.functionName, permission);
      if (permission.sourceArn !== undefined) append(this.bySourceArn, `${permission.functionName} ${permission.sourceArn}`, permission);
    }
  }

  /** @param routeArn the matched route's ARN with `*` for its parameters, `…/STAGE/METHOD/users/*`. */
  mayInvoke(functionName: string, requestArn: string, apiAccountId: string, routeArn: string): boolean {
    const own = this.bySourceArn.get(`${functionName} ${routeArn}`) ?? [];
    return apiGatewayMayInvoke(own, functionName, requestArn, apiAccountId) || apiGatewayMayInvoke(this.byFunction.get(functionName) ?? [], functionName, requestArn, apiAccountId);
  }
}

function append<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
