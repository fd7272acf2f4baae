/**
 * Who the access report evaluates: every role of the stack, the principals of other accounts
 * the resource policies name or exempt, a member of the organization they require, and an
 * anonymous caller. Read from the loaded stack only.
 */
import type { CallerPrincipal } from "../auth/caller-principal.js";
import { parsePolicyDocument, type NamedPolicy } from "../auth/iam-policy.js";
import { sessionPrincipal } from "../credentials/local-credentials.js";
import { roleUniqueId } from "../loader/identities.js";
import type { StackModel } from "../model.js";

export type PrincipalKind = "function-role" | "role" | "other-account-role" | "other-account" | "organization-member" | "user-pool-user" | "anonymous";

/** One row of the report. */
export interface AccessPrincipal {
  /** The role ARN, or `anonymous`. */
  readonly id: string;
  /** A short name for tables: the role name, `account 444455556666`, `anonymous`. */
  readonly label: string;
  readonly kind: PrincipalKind;
  /** What the principal is, in a sentence (which function uses the role, what is assumed). */
  readonly description: string;
  /** What the evaluator sees; `anonymous` for an unsigned caller. */
  readonly caller: CallerPrincipal | "anonymous";
  /** Identity policies (empty for anonymous). */
  readonly policies: readonly NamedPolicy[];
  /** The role's permissions boundary, when it has one. */
  readonly permissionsBoundary?: NamedPolicy;
  /** For a `user-pool-user`: the pool whose valid token it sends (IAM-wise it is unsigned). */
  readonly userPoolArn?: string;
}

/** The session name the report's callers use. */
const SESSION = "access-report";

/** A principal of another account: its own account grants it everything, so only this stack decides. */
const OTHER_ACCOUNT_IDENTITY = parsePolicyDocument(
  { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "execute-api:Invoke", Resource: "arn:aws:execute-api:*:*:*" }] },
  "identity",
);
const otherAccountPolicies = (who: string): NamedPolicy[] => [{ source: `${who} (assumed: its account allows it every API)`, document: OTHER_ACCOUNT_IDENTITY }];

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;
/** A session of the role, as the offline mode's local STS would issue it (report time as issue time). */
function roleCaller(roleArn: string, accountId: string, orgId: string | undefined, tags: Readonly<Record<string, string>> = {}): CallerPrincipal {
  const name = ROLE_ARN.exec(roleArn)?.[2] ?? "role";
  return sessionPrincipal({ arn: roleArn, name, accountId, uniqueId: roleUniqueId(roleArn), tags }, SESSION, orgId);
}

/** Values of a condition key (any operator) across the stack's resource policies. */
function conditionValues(model: StackModel, key: string): string[] {
  const values = new Set<string>();
  for (const api of model.apis.values()) {
    for (const statement of api.resourcePolicy?.document.Statement ?? []) {
      for (const block of Object.values(statement.Condition ?? {})) {
        for (const [name, list] of Object.entries(block)) if (name.toLowerCase() === key) list.forEach((v) => values.add(v));
      }
    }
  }
  return [...values];
}

/**
 * The principals to evaluate. When a resource policy requires an organization, every principal
 * but the organization's outsider is taken to be a member (as a deployed stack's own roles are).
 */
export function accessPrincipals(model: StackModel): AccessPrincipal[] {
  const orgId = conditionValues(model, "aws:principalorgid")[0];
  const functionsByRole = new Map<string, string[]>();
  for (const fn of model.functions.values()) functionsByRole.set(fn.roleArn, [...(functionsByRole.get(fn.roleArn) ?? []), fn.name]);

  const principals: AccessPrincipal[] = [];
  for (const role of model.roles.values()) {
    const functions = functionsByRole.get(role.arn);
    principals.push({
      id: role.arn,
      label: role.name,
      kind: functions ? "function-role" : "role",
      description: functions ? `role of function ${functions.join(", ")} (${role.address})` : `role ${role.address}`,
      caller: roleCaller(role.arn, role.accountId, orgId, role.tags),
      policies: role.policies,
      ...(role.permissionsBoundary !== undefined ? { permissionsBoundary: role.permissionsBoundary } : {}),
    });
  }

  // Roles of other accounts that a resource policy names, then any principal of each other account it names or exempts.
  const namedRoles = new Set<string>();
  const otherAccounts = new Set<string>();
  for (const api of model.apis.values()) {
    for (const statement of api.resourcePolicy?.document.Statement ?? []) {
      const named = statement.compiled.principal;
      if (named === undefined) continue;
      for (const id of named.roles) {
        const role = ROLE_ARN.exec(id);
        if (role && role[1] !== model.accountId) namedRoles.add(id);
      }
      for (const account of named.accounts) if (account !== model.accountId) otherAccounts.add(account);
    }
  }
  for (const account of conditionValues(model, "aws:principalaccount")) if (/^\d{12}$/.test(account) && account !== model.accountId) otherAccounts.add(account);
  for (const roleArn of [...namedRoles].sort()) {
    const accountId = ROLE_ARN.exec(roleArn)![1]!;
    otherAccounts.add(accountId);
    principals.push({
      id: roleArn,
      // The account in the label: another account may have a role of the same name as this stack.
      label: `${ROLE_ARN.exec(roleArn)![2]!} (${accountId})`,
      kind: "other-account-role",
      description: `role of account ${accountId} named by a resource policy`,
      caller: roleCaller(roleArn, accountId, orgId),
      policies: otherAccountPolicies(roleArn),
    });
  }
  for (const accountId of [...otherAccounts].sort()) {
    const roleArn = `arn:aws:iam::${accountId}:role/any-principal`;
    principals.push({
      id: roleArn,
      label: `account ${accountId}`,
      kind: "other-account",
      description: `any other principal of account ${accountId}, which a resource policy allows or exempts`,
      caller: roleCaller(roleArn, accountId, orgId),
      policies: otherAccountPolicies(`account ${accountId}`),
    });
  }
  if (orgId !== undefined) {
    // An account of the organization that no resource policy lists.
    const accountId = "000000000000";
    const roleArn = `arn:aws:iam::${accountId}:role/organization-member`;
    principals.push({
      id: roleArn,
      label: `${orgId} member`,
      kind: "organization-member",
      description: `a principal of an unlisted account in organization ${orgId}`,
      caller: roleCaller(roleArn, accountId, orgId),
      policies: otherAccountPolicies(`member of ${orgId}`),
    });
  }
  // A signed-in user of each user pool: what a COGNITO_USER_POOLS method lets through.
  for (const pool of [...model.userPools.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    principals.push({
      id: pool.arn,
      label: `${pool.name} user`,
      kind: "user-pool-user",
      description: `any signed-in user of user pool ${pool.name} (${pool.address}), with a valid token and no AWS signature`,
      caller: "anonymous",
      policies: [],
      userPoolArn: pool.arn,
    });
  }
  principals.push({ id: "anonymous", label: "anonymous", kind: "anonymous", description: "an unsigned request", caller: "anonymous", policies: [] });
  return principals;
}
