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

/** The permissions grouped by the function they name, so a request reads only its function's. */
export function permissionsByFunction(permissions: readonly LambdaPermissionModel[]): Map<string, LambdaPermissionModel[]> {
  const byFunction = new Map<string, LambdaPermissionModel[]>();
  for (const permission of permissions) {
    const list = byFunction.get(permission.functionName) ?? [];
    list.push(permission);
    byFunction.set(permission.functionName, list);
  }
  return byFunction;
}
