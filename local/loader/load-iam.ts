import type { NamedPolicy } from "../auth/iam-policy.js";
import type { RoleModel } from "../model.js";
import type { StackAttributes } from "./attributes.js";
import { roleUniqueId } from "./identities.js";
import { MANAGED_POLICIES_WITH_EXECUTE_API, MANAGED_POLICIES_WITHOUT_EXECUTE_API } from "./managed-policies.js";
import { parsePolicy } from "./policy-json.js";
import { at, StackLoadError, type TerraformResource } from "./terraform-json.js";

/** Identity policies behind an attached policy ARN, or a stop when the ARN is not known. */
function attachedPolicies(address: string, policyArn: string, customerPolicies: ReadonlyMap<string, NamedPolicy>): NamedPolicy[] {
  const customer = customerPolicies.get(policyArn);
  if (customer) return [customer];
  const managed = MANAGED_POLICIES_WITH_EXECUTE_API[policyArn];
  if (managed) return [{ source: policyArn, document: parsePolicy(address, policyArn, JSON.stringify(managed), "identity") }];
  if (MANAGED_POLICIES_WITHOUT_EXECUTE_API.has(policyArn)) return [];
  throw new StackLoadError(
    address,
    `policy ${policyArn} is neither a policy of this stack nor an AWS-managed policy the offline mode knows (local/loader/managed-policies.ts)`,
  );
}

/** Roles with their inline and attached identity policies, by role ARN. */
export function loadRoles(resources: readonly TerraformResource[], attrs: StackAttributes): Map<string, RoleModel> {
  const of = (type: string) => resources.filter((r) => r.type === type);
  const customerPolicies = new Map<string, NamedPolicy>();
  for (const policy of of("aws_iam_policy")) {
    const arn = attrs.resolver(["aws_iam_policy", policy.name, "arn"])!;
    customerPolicies.set(arn, { source: policy.address, document: parsePolicy(policy.address, "policy", attrs.string(policy, "policy"), "identity") });
  }

  const roles = new Map<string, RoleModel & { policies: NamedPolicy[] }>();
  const byName = new Map<string, RoleModel & { policies: NamedPolicy[] }>();
  for (const role of of("aws_iam_role")) {
    if (at(role.config, "name") === undefined) {
      throw new StackLoadError(role.address, "roles need a fixed name locally (name_prefix is not supported)");
    }
    const arn = attrs.resolver(["aws_iam_role", role.name, "arn"])!;
    const model = {
      address: role.address,
      name: attrs.string(role, "name"),
      arn,
      uniqueId: roleUniqueId(arn),
      accountId: attrs.placement.accountId,
      policies: [] as NamedPolicy[],
    };
    const inline = at(role.config, "inline_policy");
    for (const [i, block] of (Array.isArray(inline) ? inline : inline ? [inline] : []).entries()) {
      const text = attrs.template(role.address, `inline_policy[${i}].policy`, String((block as { policy?: unknown }).policy ?? ""));
      if (text) model.policies.push({ source: `${role.address} inline_policy[${i}]`, document: parsePolicy(role.address, "inline_policy", text, "identity") });
    }
    const managedArns = at(role.config, "managed_policy_arns");
    if (managedArns !== undefined) {
      if (!Array.isArray(managedArns)) throw new StackLoadError(role.address, "managed_policy_arns must be a list");
      for (const [i, item] of managedArns.entries()) {
        const policyArn = attrs.template(role.address, `managed_policy_arns[${i}]`, String(item));
        model.policies.push(...attachedPolicies(role.address, policyArn, customerPolicies));
      }
    }
    roles.set(arn, model);
    byName.set(model.name, model);
  }

  const roleFor = (resource: TerraformResource): RoleModel & { policies: NamedPolicy[] } => {
    const ref = attrs.string(resource, "role");
    // The role argument takes a name; an ARN is tolerated because people write one.
    const role = byName.get(ref) ?? roles.get(ref);
    if (!role) throw new StackLoadError(resource.address, `role '${ref}' is not a role of this stack`);
    return role;
  };
  for (const policy of of("aws_iam_role_policy")) {
    roleFor(policy).policies.push({ source: policy.address, document: parsePolicy(policy.address, "policy", attrs.string(policy, "policy"), "identity") });
  }
  for (const attachment of of("aws_iam_role_policy_attachment")) {
    roleFor(attachment).policies.push(...attachedPolicies(attachment.address, attrs.string(attachment, "policy_arn"), customerPolicies));
  }
  return roles;
}
