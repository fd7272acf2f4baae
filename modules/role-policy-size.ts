import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { IamRolePolicy, type IamRole } from "./aws-provider-classes.js";
import { iamCharacters, overQuota, QUOTAS } from "./quotas.js";
import { ReferenceLengths, resolveIn } from "./reference-lengths.js";

/**
 * IAM caps all inline policies of one role together at 10,240 characters, whitespace not counted
 * ("IAM and AWS STS quotas"). A role's inline policies come from several constructs (its own
 * log policy, grants of every API, of any stack in the app), so the check runs at synth, over
 * every `aws_iam_role_policy` of the app that names the role.
 */
export function checkRoleInlinePolicies(owner: Construct, role: IamRole, label: string): void {
  owner.node.addValidation({
    validate: () => {
      const stack = TerraformStack.of(role);
      const index = inlinePoliciesByRole(stack);
      const policies = [`\${${role.terraformResourceType}.${role.friendlyUniqueId}.name}`, resolveIn(stack, role.nameInput)]
        .filter((key, i, keys): key is string => typeof key === "string" && keys.indexOf(key) === i)
        .flatMap((key) => index.get(key) ?? []);
      const characters = policies.reduce(
        (sum, policy) => sum + ReferenceLengths.of(policy).bound(policy.policyInput ?? "", iamCharacters),
        0,
      );
      const message = overQuota(
        QUOTAS.iamRoleInlinePolicies,
        characters,
        `${label}: its role's inline ${policies.length === 1 ? "policy" : `policies (${policies.length})`} ${policies.map((p) => p.node.path).join(", ")}`,
        "grant this role fewer routes: split the caller into functions, each with its own role and the routes it calls",
      );
      return message ? [message] : [];
    },
  });
}

const INDEXES = new WeakMap<TerraformStack, Map<string, IamRolePolicy[]>>();

/**
 * Every inline policy of the app by the role it names, as that reads in `stack` (a role of this
 * stack reads `${aws_iam_role.ID.name}` there, whichever stack the policy is in), built once.
 */
function inlinePoliciesByRole(stack: TerraformStack): Map<string, IamRolePolicy[]> {
  let index = INDEXES.get(stack);
  if (!index) {
    index = new Map();
    for (const node of stack.node.root.node.findAll()) {
      if (!(node instanceof IamRolePolicy) || node.roleInput === undefined) continue;
      const key = resolveIn(stack, node.roleInput);
      if (typeof key !== "string") continue;
      index.set(key, [...(index.get(key) ?? []), node]);
    }
    INDEXES.set(stack, index);
  }
  return index;
}
