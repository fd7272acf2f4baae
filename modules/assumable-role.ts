import { Construct } from "constructs";
import { IamRole } from "./aws-provider-classes.js";
import { checkRoleInlinePolicies } from "./role-policy-size.js";
import { GrantsPolicy, policyJson, type IGrantee, type PolicyStatement } from "./grants.js";

/** Props of {@link AssumableRole}. */
export interface AssumableRoleProps {
  /** The role's name. */
  readonly roleName: string;
  /** The account whose principals may assume the role (its IAM policies still decide who). */
  readonly trustedAccountId: string;
  /** A description. @default no description */
  readonly description?: string;
  /** Longest session in seconds. @default 3600 */
  readonly maxSessionDuration?: number;
}

/**
 * An IAM role that principals of one account can assume, holding only the grants made to it.
 * The end-to-end suite signs as such roles to prove what a grant allows and what it does not.
 */
export class AssumableRole extends Construct implements IGrantee {
  readonly roleName: string;
  readonly roleArn: string;
  readonly role: IamRole;
  private grants?: GrantsPolicy;

  constructor(scope: Construct, id: string, props: AssumableRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, "role", {
      name: props.roleName,
      description: props.description,
      maxSessionDuration: props.maxSessionDuration ?? 3600,
      assumeRolePolicy: policyJson([
        { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${props.trustedAccountId}:root` }, Action: "sts:AssumeRole" },
      ]),
    });
    this.roleName = this.role.name;
    this.roleArn = this.role.arn;
    checkRoleInlinePolicies(this, this.role, `AssumableRole '${this.node.path}'`);
  }

  /** Sets one grantor's statements in this role's grants policy (created on the first grant). */
  setGrantStatements(grantor: string, statements: readonly PolicyStatement[]): void {
    this.grants ??= new GrantsPolicy(this, "grants", { roleName: this.roleName });
    this.grants.setStatements(grantor, statements);
  }
}
