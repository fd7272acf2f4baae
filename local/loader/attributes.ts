import { localInvokeUrl } from "../local-urls.js";
import type { ReferenceResolver } from "./expressions.js";
import { apiGatewayId, executionArnOf, functionArnOf, invokeArnOf, roleUniqueId, tableArnOf, userPoolArnOf, userPoolClientIdOf, userPoolIdOf } from "./identities.js";
import { at, interpolateAt, StackLoadError, type TerraformResource, type TerraformStackJson } from "./terraform-json.js";

/** Where the stack is "deployed": one account and region, and the local endpoint that serves it. */
export interface LocalPlacement {
  readonly accountId: string;
  readonly region: string;
  /** `http://127.0.0.1:PORT`: stage invoke URLs are built on it. */
  readonly endpoint: string;
}

/**
 * Gives every resource the attributes AWS would compute (ids, ARNs, invoke URLs) and resolves
 * `${…}` references in configuration strings against them.
 */
export class StackAttributes {
  private readonly resolving = new Set<string>();

  constructor(
    private readonly stack: TerraformStackJson,
    readonly placement: LocalPlacement,
  ) {}

  /** The resolver expressions use. */
  readonly resolver: ReferenceResolver = (path) => this.reference(path);

  /** A configuration string of a resource, with references resolved; undefined when absent. */
  optionalString(resource: TerraformResource, ...keys: string[]): string | undefined {
    const value = at(resource.config, ...keys);
    if (value === undefined || value === null) return undefined;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    if (typeof value !== "string") throw new StackLoadError(resource.address, `${keys.join(".")} must be a string`);
    return interpolateAt(resource.address, keys.join("."), value, this.resolver);
  }

  /** Like {@link optionalString}, but the field is required. */
  string(resource: TerraformResource, ...keys: string[]): string {
    const value = this.optionalString(resource, ...keys);
    if (value === undefined) throw new StackLoadError(resource.address, `${keys.join(".")} is required by the offline mode`);
    return value;
  }

  /** Resolves a free-standing template (outputs) that belongs to `address`. */
  template(address: string, field: string, template: string): string {
    return interpolateAt(address, field, template, this.resolver);
  }

  private reference(path: readonly string[]): string | undefined {
    if (path[0] === "data") return this.dataSource(path);
    if (path[0] === "local") return this.local(path);
    const [type, name, attribute, ...rest] = path;
    if (!type || !name || !attribute || rest.length > 0) return undefined;
    const resource = this.stack.resources.get(`${type}.${name}`);
    if (!resource) return undefined;
    const key = `${resource.address}.${attribute}`;
    if (this.resolving.has(key)) throw new StackLoadError(resource.address, `${attribute} refers to itself`);
    this.resolving.add(key);
    try {
      return this.computed(resource, attribute) ?? this.configured(resource, attribute);
    } finally {
      this.resolving.delete(key);
    }
  }

  /** Attributes AWS computes at create time. */
  private computed(resource: TerraformResource, attribute: string): string | undefined {
    const { accountId, region, endpoint } = this.placement;
    const id = apiGatewayId(resource.address);
    switch (resource.type) {
      case "aws_api_gateway_rest_api":
        switch (attribute) {
          case "id":
            return id;
          case "root_resource_id":
            return apiGatewayId(`${resource.address}/root`);
          case "execution_arn":
            return executionArnOf(region, accountId, id);
          case "arn":
            return `arn:aws:apigateway:${region}::/restapis/${id}`;
        }
        return undefined;
      case "aws_api_gateway_stage": {
        const apiId = this.string(resource, "rest_api_id");
        const stage = this.string(resource, "stage_name");
        switch (attribute) {
          case "invoke_url":
            return localInvokeUrl(endpoint, apiId, stage);
          case "execution_arn":
            return `${executionArnOf(region, accountId, apiId)}/${stage}`;
          case "arn":
            return `arn:aws:apigateway:${region}::/restapis/${apiId}/stages/${stage}`;
          case "id":
            return `ags-${apiId}-${stage}`;
        }
        return undefined;
      }
      case "aws_lambda_function": {
        const name = this.string(resource, "function_name");
        const arn = functionArnOf(region, accountId, name);
        switch (attribute) {
          case "arn":
          case "id":
            return attribute === "arn" ? arn : name;
          case "qualified_arn":
            return `${arn}:$LATEST`;
          case "invoke_arn":
            return invokeArnOf(region, arn);
          case "version":
            return "$LATEST";
        }
        return undefined;
      }
      case "aws_iam_role": {
        const name = this.string(resource, "name");
        const arn = `arn:aws:iam::${accountId}:role${this.optionalString(resource, "path") ?? "/"}${name}`;
        switch (attribute) {
          case "arn":
            return arn;
          case "id":
            return name;
          case "unique_id":
            return roleUniqueId(arn);
        }
        return undefined;
      }
      case "aws_iam_policy": {
        const name = this.string(resource, "name");
        const arn = `arn:aws:iam::${accountId}:policy${this.optionalString(resource, "path") ?? "/"}${name}`;
        return attribute === "arn" || attribute === "id" ? arn : undefined;
      }
      case "aws_cognito_user_pool": {
        const poolId = userPoolIdOf(region, resource.address);
        switch (attribute) {
          case "id":
            return poolId;
          case "arn":
            return userPoolArnOf(region, accountId, poolId);
          case "endpoint":
            return `cognito-idp.${region}.amazonaws.com/${poolId}`;
        }
        return undefined;
      }
      case "aws_cognito_user_pool_client":
        return attribute === "id" ? userPoolClientIdOf(resource.address) : undefined;
      case "aws_dynamodb_table": {
        const name = this.string(resource, "name");
        switch (attribute) {
          case "arn":
            return tableArnOf(region, accountId, name);
          case "id":
          case "name":
            return name;
        }
        // stream_arn and the like: no stream is emulated, so the reference stays unresolved (a stop).
        return undefined;
      }
      case "aws_cloudwatch_log_group":
        if (attribute === "arn") return `arn:aws:logs:${region}:${accountId}:log-group:${this.string(resource, "name")}`;
        return undefined;
    }
    return attribute === "id" ? id : undefined;
  }

  /** Any other attribute is the configured argument of the same name. */
  private configured(resource: TerraformResource, attribute: string): string | undefined {
    const value = at(resource.config, attribute);
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
      return this.optionalString(resource, attribute);
    }
    return undefined;
  }

  private local(path: readonly string[]): string | undefined {
    const [, name, ...rest] = path;
    if (!name || rest.length > 0 || !Object.hasOwn(this.stack.locals, name)) return undefined;
    const value = this.stack.locals[name];
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    if (typeof value !== "string") return undefined;
    const key = `local.${name}`;
    if (this.resolving.has(key)) throw new StackLoadError(key, "refers to itself");
    this.resolving.add(key);
    try {
      return this.template(key, "value", value);
    } finally {
      this.resolving.delete(key);
    }
  }

  private dataSource(path: readonly string[]): string | undefined {
    const [, type, , attribute] = path;
    const { accountId, region } = this.placement;
    if (type === "aws_caller_identity" && attribute === "account_id") return accountId;
    if (type === "aws_region" && (attribute === "name" || attribute === "region" || attribute === "id")) return region;
    if (type === "aws_partition" && attribute === "partition") return "aws";
    return undefined;
  }
}
