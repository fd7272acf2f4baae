import { parsePolicyDocument } from "../auth/iam-policy.js";
import { roleUniqueId } from "../loader/identities.js";
import type { RoleModel } from "../model.js";

/** Another AWS account's id, for cross-account tests (AWS's documentation example). */
export const DEFAULT_OTHER_ACCOUNT_ID = "444455556666";
export const OTHER_ACCOUNT_ROLE_NAME = "other-account-caller";

/**
 * A role in another account whose identity policy allows `execute-api:Invoke` everywhere, so
 * that whether its calls get through is decided by the API's resource policy alone, as in AWS.
 */
export function otherAccountRole(accountId: string = DEFAULT_OTHER_ACCOUNT_ID): RoleModel {
  const arn = `arn:aws:iam::${accountId}:role/${OTHER_ACCOUNT_ROLE_NAME}`;
  return {
    address: "(offline mode: role of another account)",
    name: OTHER_ACCOUNT_ROLE_NAME,
    arn,
    uniqueId: roleUniqueId(arn),
    accountId,
    tags: {},
    policies: [
      {
        source: `${OTHER_ACCOUNT_ROLE_NAME} invoke-any-api`,
        document: parsePolicyDocument({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "execute-api:Invoke", Resource: "arn:aws:execute-api:*:*:*" }] }, "identity"),
      },
    ],
  };
}
