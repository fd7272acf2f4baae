import { Lazy } from "cdktf";
import { Construct } from "constructs";
import { IamRolePolicy } from "./aws-provider-classes.js";
import type { HttpMethod } from "./routes.js";

/** An IAM policy statement as this project writes them (plain JSON, `${…}` references allowed). */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: "*" | Record<string, string | string[]>;
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

/** An IAM policy document. */
export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

/**
 * Renders a policy document as the plain JSON string the aws provider takes. Tokens stay
 * `${…}` references inside the JSON, the simplest form for Terraform and the offline loader.
 */
export function policyJson(statements: readonly PolicyStatement[]): string {
  const document: PolicyDocument = { Version: "2012-10-17", Statement: statements };
  return JSON.stringify(document);
}

/** Something that can be granted permissions: a role with an inline policy that grows. */
export interface IGrantee {
  /** The role's name (a token). */
  readonly roleName: string;
  /** The role's ARN (a token). */
  readonly roleArn: string;
  /**
   * Sets the statements one grantor (an `InternalApi`, by construct path) gives this role,
   * replacing what it gave before: a grantor derives them from all its grants to the role at
   * once, because an exactness Deny depends on every route the role holds there.
   */
  setGrantStatements(grantor: string, statements: readonly PolicyStatement[]): void;
}

/**
 * The one place an execute-api ARN is built:
 * `arn:aws:execute-api:REGION:ACCOUNT:API_ID/STAGE/METHOD/PATH`, from the API's `execution_arn`
 * (which carries region, account and API id) and a concrete stage, method and ARN path.
 */
export function executeApiArn(executionArn: string, stage: string, method: HttpMethod, arnPath: string): string {
  if (!stage || stage.includes("*") || stage.includes("/")) {
    throw new Error(`executeApiArn: stage must be a concrete stage name, got '${stage}'`);
  }
  return `${executionArn}/${stage}/${method}/${arnPath}`;
}

/**
 * An execute-api ARN covering every path of one method in one stage, `…/STAGE/METHOD/*`, or of
 * every method when `method` is left out (`*` in its place). Only for a Lambda permission whose function serves every
 * route the pattern matches (see `function-permissions.ts`), never for a grant to a caller.
 */
export function executeApiStageArn(executionArn: string, stage: string, method?: HttpMethod): string {
  return `${executeApiArn(executionArn, stage, method ?? ("*" as HttpMethod), "")}*`;
}

/** Props of {@link GrantsPolicy}. */
export interface GrantsPolicyProps {
  /** The role the inline policy is attached to (name token). */
  readonly roleName: string;
  /** The inline policy's name. @default "grants" */
  readonly policyName?: string;
}

/**
 * An inline role policy whose statements are set by grantors (`InternalApi.grantInvoke`) and
 * rendered at synth time, so that a role carries exactly the grants made to it and nothing else.
 */
export class GrantsPolicy extends Construct {
  private readonly byGrantor = new Map<string, readonly PolicyStatement[]>();

  constructor(scope: Construct, id: string, props: GrantsPolicyProps) {
    super(scope, id);
    new IamRolePolicy(this, "policy", {
      role: props.roleName,
      name: props.policyName ?? "grants",
      policy: Lazy.stringValue({ produce: () => policyJson([...this.byGrantor.values()].flat()) }),
    });
  }

  /** Sets one grantor's statements (in the order grantors first granted). */
  setStatements(grantor: string, statements: readonly PolicyStatement[]): void {
    this.byGrantor.set(grantor, statements);
  }
}
