import type { AwsCredentialIdentity } from "@smithy/types";
import { openAwsTarget } from "./aws-target.js";
import type { E2eUserPool } from "./end-users.js";
import { openLocalTarget } from "./local-target.js";

/** A principal the cases sign as. */
export interface E2ePrincipal {
  readonly roleName: string;
  readonly credentials: AwsCredentialIdentity;
}

/** What the end-to-end cases run against: the offline mode or a real deployment. */
export interface E2eTarget {
  readonly name: "local" | "aws";
  readonly region: string;
  readonly publicApiUrl: string;
  readonly usersApiUrl: string;
  /** The users table (output `users_table_name`). */
  readonly usersTableName: string;
  /** Where DynamoDB calls go: the offline mode's endpoint (`endpoints.json`); undefined means AWS's own. */
  readonly dynamoDbEndpoint?: string;
  /** A role with exactly the profile function's grants (GET /users/{id}). */
  readonly granted: E2ePrincipal;
  /** A role of the same account with no grants. */
  readonly noGrants: E2ePrincipal;
  /** A principal of another account, when one is available. */
  readonly otherAccount?: E2ePrincipal;
  /** The user pool behind the public API, or why the target has none to test with. */
  readonly userPool: E2eUserPool | { readonly skip: string };
  /** Offline only: the access-log lines so far (to follow one trace across the hop). */
  readonly accessLog?: () => readonly string[];
  close(): Promise<void>;
}

export type TargetOrSkip = E2eTarget | { readonly skip: string };

/** Opens the target named by SIA_E2E_TARGET (`local`, the default, or `aws`). */
export async function openTarget(env: NodeJS.ProcessEnv = process.env): Promise<TargetOrSkip> {
  const name = env.SIA_E2E_TARGET ?? "local";
  if (name === "local") return openLocalTarget(env);
  if (name === "aws") return openAwsTarget(env);
  throw new Error(`SIA_E2E_TARGET must be 'local' or 'aws', got '${name}'.`);
}

/** Opens the target for a suite's `before` hook, or prints why not and skips the suite. */
export async function openTargetOrSkip(context: Mocha.Context): Promise<E2eTarget> {
  const opened = await openTarget();
  if ("skip" in opened) {
    console.log(`      skipped: ${opened.skip}`);
    context.skip();
  }
  const target = opened as E2eTarget;
  console.log(`      target: ${target.name} (${target.publicApiUrl}, ${target.usersApiUrl})`);
  return target;
}
