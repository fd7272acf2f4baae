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
