import { basename, join } from "node:path";
import type { StackModel, UserPoolModel } from "../model.js";
import { unsupportedTemplateVariables } from "../gateway/gateway-responses.js";
import { StackAttributes, type LocalPlacement } from "./attributes.js";
import { loadApis } from "./load-apis.js";
import { loadFunctions, loadPermissions } from "./load-functions.js";
import { loadRoles } from "./load-iam.js";
import { loadAuthorizers, loadUserPools } from "./load-user-pools.js";
import { loadTables } from "./load-tables.js";
import { isIgnoredResourceType, READ_RESOURCE_TYPES, refusalOf } from "./resource-types.js";
import { readTerraformJson, StackLoadError } from "./terraform-json.js";

export interface LoadStackOptions extends LocalPlacement {
  /** `cdktf.out/stacks/<stack>`: holds `cdk.tf.json` and the `assets/` the functions' zips are relative to. */
  readonly stackDir: string;
  /** User pools of the app's other stacks (by pool id), which this stack's authorizers may name. @default none */
  readonly otherUserPools?: ReadonlyMap<string, UserPoolModel>;
}

/**
 * Reads a synthesized stack into the model the gateway serves. Throws {@link StackLoadError}
 * naming the Terraform address of anything that matters and is not understood.
 */
export function loadStack(options: LoadStackOptions): StackModel {
  const { stackDir, accountId, region } = options;
  if (!/^\d{12}$/.test(accountId)) throw new StackLoadError("--account-id", `'${accountId}' is not a 12-digit account id`);
  if (!/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(region)) throw new StackLoadError("--region", `'${region}' is not an AWS region name`);
  const stack = readTerraformJson(join(stackDir, "cdk.tf.json"));
  const resources = [...stack.resources.values()];
  for (const resource of resources) {
    const refusal = refusalOf(resource.type);
    if (refusal !== undefined) throw new StackLoadError(resource.address, refusal);
    if (!READ_RESOURCE_TYPES.has(resource.type) && !isIgnoredResourceType(resource.type)) {
      throw new StackLoadError(resource.address, `resource type ${resource.type} is not supported by the offline mode (add it to local/loader/resource-types.ts if it does not matter locally)`);
    }
  }
  const attrs = new StackAttributes(stack, options);
  const functions = loadFunctions(resources, attrs, stackDir);
  const roles = loadRoles(resources, attrs, stack.awsDefaultTags);
  for (const fn of functions.values()) {
    if (!roles.has(fn.roleArn)) throw new StackLoadError(fn.address, `role '${fn.roleArn}' is not a role of this stack`);
  }
  const userPools = loadUserPools(resources, attrs);
  const apis = loadApis(resources, attrs, functions, loadAuthorizers(resources, attrs, new Map([...(options.otherUserPools ?? []), ...userPools])));
  for (const api of apis.values()) {
    for (const response of api.gatewayResponses.values()) {
      const unsupported = response.template === undefined ? [] : unsupportedTemplateVariables(response.template);
      if (unsupported.length > 0) {
        throw new StackLoadError(response.address, `response template uses ${unsupported.join(", ")}, which the offline mode does not fill`);
      }
    }
  }
  const permissions = loadPermissions(resources, attrs, functions);
  const tables = loadTables(resources, attrs);

  const outputs: Record<string, string> = {};
  for (const [name, output] of Object.entries(stack.outputs)) {
    const value = output.value;
    if (typeof value === "string") outputs[name] = attrs.template(`output.${name}`, "value", value);
    else if (typeof value === "number" || typeof value === "boolean") outputs[name] = String(value);
    else throw new StackLoadError(`output.${name}`, "only string, number and boolean outputs are supported by the offline mode");
  }
  return { stackName: basename(stackDir), accountId, region, apis, functions, roles, permissions, userPools, tables, outputs };
}
