import type { NamedPolicy } from "../auth/iam-policy.js";
import type { RoleModel } from "../model.js";
import type { StackAttributes } from "./attributes.js";
import { roleUniqueId } from "./identities.js";
import { MANAGED_POLICIES_WITH_EXECUTE_API, MANAGED_POLICIES_WITHOUT_EXECUTE_API } from "./managed-policies.js";
import { parsePolicy } from "./policy-json.js";
import { at, isObject, StackLoadError, type TerraformResource, type TerraformStackJson } from "./terraform-json.js";

/**
 * `aws_iam_role` arguments, each read or known not to matter offline; any other stops start-up,
 * so nothing on a role is dropped silently.
 */
const ROLE_ARGUMENTS: ReadonlyMap<string, string> = new Map([
  ["name", "read"],
  ["path", "read (part of the role ARN)"],
  ["inline_policy", "read"],
  ["managed_policy_arns", "read"],
  ["permissions_boundary", "read"],
  ["tags", "read (aws:PrincipalTag)"],
  ["assume_role_policy", "who may assume the role: the offline mode issues the sessions itself"],
  ["description", "documentation only"],
  ["max_session_duration", "local sessions last as long as the offline mode runs"],
  ["force_detach_policies", "affects deletion only"],
  ["//", "cdktf metadata"],
  ["depends_on", "ordering only"],
  ["lifecycle", "Terraform planning only"],
  ["provider", "the account and region are the offline mode's own"],
]);

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

/**
 * A permissions boundary is one managed policy ("Permissions boundaries for IAM entities"). One
 * known to grant nothing on execute-api is an empty boundary: it allows nothing.
 */
function boundaryPolicy(address: string, policyArn: string, customerPolicies: ReadonlyMap<string, NamedPolicy>): NamedPolicy {
  const [policy] = attachedPolicies(address, policyArn, customerPolicies);
  return policy ?? { source: policyArn, document: { Statement: [] } };
}

/** `tags` over the provider's `default_tags`, as AWS stores them in `tags_all`. */
function roleTags(role: TerraformResource, attrs: StackAttributes, defaultTags: TerraformStackJson["awsDefaultTags"]): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries(defaultTags)) tags[key] = attrs.template("provider.aws", `default_tags.tags.${key}`, String(value));
  const own = at(role.config, "tags");
  if (own !== undefined && !isObject(own)) throw new StackLoadError(role.address, "tags must be an object");
  for (const key of Object.keys(own ?? {})) tags[key] = attrs.string(role, "tags", key);
  return tags;
}

/** Roles with their inline and attached identity policies and permissions boundary, by role ARN. */
export function loadRoles(resources: readonly TerraformResource[], attrs: StackAttributes, defaultTags: TerraformStackJson["awsDefaultTags"] = {}): Map<string, RoleModel> {
  const of = (type: string) => resources.filter((r) => r.type === type);
  const customerPolicies = new Map<string, NamedPolicy>();
  for (const policy of of("aws_iam_policy")) {
    const arn = attrs.resolver(["aws_iam_policy", policy.name, "arn"])!;
    customerPolicies.set(arn, { source: policy.address, document: parsePolicy(policy.address, "policy", attrs.string(policy, "policy"), "identity") });
  }

  type MutableRole = RoleModel & { policies: NamedPolicy[] };
  const roles = new Map<string, MutableRole>();
  const byName = new Map<string, MutableRole>();
  for (const role of of("aws_iam_role")) {
    for (const argument of Object.keys(role.config)) {
      if (!ROLE_ARGUMENTS.has(argument)) throw new StackLoadError(role.address, `argument ${argument} is not modelled by the offline mode (local/loader/load-iam.ts lists what is)`);
    }
    if (at(role.config, "name") === undefined) {
      throw new StackLoadError(role.address, "roles need a fixed name locally (name_prefix is not supported)");
    }
    const arn = attrs.resolver(["aws_iam_role", role.name, "arn"])!;
    const boundaryArn = attrs.optionalString(role, "permissions_boundary");
    const model: MutableRole = {
      address: role.address,
      name: attrs.string(role, "name"),
      arn,
      uniqueId: roleUniqueId(arn),
      accountId: attrs.placement.accountId,
      policies: [],
      tags: roleTags(role, attrs, defaultTags),
      ...(boundaryArn !== undefined && boundaryArn !== "" ? { permissionsBoundary: boundaryPolicy(role.address, boundaryArn, customerPolicies) } : {}),
    };
    const inline = at(role.config, "inline_policy");
    for (const [i, block] of (Array.isArray(inline) ? inline : inline ? [inline] : []).entries()) {
      const text = attrs.template(role.address, `inline_policy[${i}].policy`, String((block as { policy?: unknown }).policy ?? ""));
      if (text) model.policies.push({ source: `${role.address} inline_policy[${i}]`, document: parsePolicy(role.address, `inline_policy[${i}]`, text, "identity") });
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

  const roleFor = (resource: TerraformResource): MutableRole => {
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
