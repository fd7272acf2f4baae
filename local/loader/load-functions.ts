import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { FunctionModel, LambdaPermissionModel } from "../model.js";
import type { StackAttributes } from "./attributes.js";
import { at, isObject, StackLoadError, type TerraformResource } from "./terraform-json.js";

function positiveInteger(resource: TerraformResource, attrs: StackAttributes, field: string, fallback: number): number {
  const text = attrs.optionalString(resource, field);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new StackLoadError(resource.address, `${field} '${text}' is not a positive integer`);
  return value;
}

/** Lambda functions by name, with their zip resolved against the stack directory. */
export function loadFunctions(resources: readonly TerraformResource[], attrs: StackAttributes, stackDir: string): Map<string, FunctionModel> {
  const functions = new Map<string, FunctionModel>();
  for (const fn of resources.filter((r) => r.type === "aws_lambda_function")) {
    const name = attrs.string(fn, "function_name");
    const runtime = attrs.optionalString(fn, "runtime") ?? "";
    if (!runtime.startsWith("nodejs")) {
      throw new StackLoadError(fn.address, `runtime '${runtime}' cannot run locally (the offline mode runs nodejs* functions from a zip)`);
    }
    if ((attrs.optionalString(fn, "package_type") ?? "Zip") !== "Zip") throw new StackLoadError(fn.address, "only Zip packages run locally");
    const layers = at(fn.config, "layers");
    if (Array.isArray(layers) && layers.length > 0) throw new StackLoadError(fn.address, "layers are not supported by the offline mode");
    const filename = attrs.optionalString(fn, "filename");
    if (filename === undefined) throw new StackLoadError(fn.address, "the offline mode needs a local zip (filename), not s3_bucket/image_uri");
    const zipPath = resolve(stackDir, filename);
    if (!existsSync(zipPath)) throw new StackLoadError(fn.address, `zip '${filename}' does not exist under ${stackDir}`);

    const environment: Record<string, string> = {};
    const variables = at(fn.config, "environment", "variables");
    if (variables !== undefined) {
      if (!isObject(variables)) throw new StackLoadError(fn.address, "environment.variables must be a map");
      for (const key of Object.keys(variables)) {
        // Offline, every SDK call goes to the local AWS endpoint; a function's own endpoint would bypass it.
        if (/^AWS_ENDPOINT_URL(_|$)/.test(key)) throw new StackLoadError(fn.address, `environment variable ${key}: the offline mode sends every AWS SDK call to its local endpoint and cannot honour another`);
        environment[key] = attrs.string(fn, "environment", "variables", key);
      }
    }
    functions.set(name, {
      address: fn.address,
      name,
      arn: attrs.resolver(["aws_lambda_function", fn.name, "arn"])!,
      invokeArn: attrs.resolver(["aws_lambda_function", fn.name, "invoke_arn"])!,
      zipPath,
      handler: attrs.string(fn, "handler"),
      runtime,
      timeoutSeconds: positiveInteger(fn, attrs, "timeout", 3),
      memoryMb: positiveInteger(fn, attrs, "memory_size", 128),
      environment,
      roleArn: attrs.string(fn, "role"),
      logGroupName: attrs.optionalString(fn, "logging_config", "log_group") ?? `/aws/lambda/${name}`,
    });
  }
  return functions;
}

/** Permissions that let API Gateway invoke a function; other principals do not matter locally. */
export function loadPermissions(
  resources: readonly TerraformResource[],
  attrs: StackAttributes,
  functions: ReadonlyMap<string, FunctionModel>,
): LambdaPermissionModel[] {
  const permissions: LambdaPermissionModel[] = [];
  for (const permission of resources.filter((r) => r.type === "aws_lambda_permission")) {
    if (attrs.string(permission, "principal") !== "apigateway.amazonaws.com") continue;
    const action = attrs.string(permission, "action");
    if (action !== "lambda:InvokeFunction" && action !== "lambda:*") continue;
    if (at(permission.config, "qualifier") !== undefined) {
      throw new StackLoadError(permission.address, "qualifier (versions/aliases) is not supported by the offline mode");
    }
    const ref = attrs.string(permission, "function_name");
    const fn = functions.get(ref) ?? [...functions.values()].find((f) => f.arn === ref);
    if (!fn) throw new StackLoadError(permission.address, `function '${ref}' is not a function of this stack`);
    permissions.push({
      address: permission.address,
      functionName: fn.name,
      sourceArn: attrs.optionalString(permission, "source_arn"),
      sourceAccount: attrs.optionalString(permission, "source_account"),
    });
  }
  return permissions;
}
