import { Aspects } from "cdktf";
import type { Construct } from "constructs";
import { LambdaPermission, type ApiGatewayRestApi } from "./aws-provider-classes.js";
import { executeApiArn, executeApiStageArn } from "./grants.js";
import { overQuota, QUOTAS, utf8Bytes } from "./quotas.js";
import { ReferenceLengths } from "./reference-lengths.js";
import type { HttpMethod, ResolvedRoute, RouteTarget } from "./routes.js";

/**
 * What API Gateway may invoke a function for. Each route gets its own `aws_lambda_permission`
 * scoped to that route's ARN. All of them together form the function's resource-based policy,
 * which Lambda caps at 20 KB (about 60 such statements); when a function's exact permissions
 * would pass that, each API stage it serves is given the compact form that grants API Gateway
 * nothing more: one permission for every method and path of the stage when the function serves
 * every route of that API, or `…/STAGE/METHOD/*` when it serves every route of that method there. What is still over
 * the quota then fails synth (validation), naming the function, never widened further.
 */

/** One API's routes, as `LambdaRoutes` declares them. */
export interface PermittedApi {
  /** The construct the permissions are created in (the API's `LambdaRoutes`). */
  readonly scope: Construct;
  readonly api: ApiGatewayRestApi;
  readonly stageName: string;
  /** Every route of the API, whichever function serves it. */
  readonly routes: readonly ResolvedRoute[];
}

/** Terraform's `statement_id_prefix` and the 26 characters it appends (`id.PrefixedUniqueId`). */
const STATEMENT_ID_PREFIX = "AllowApiGatewayInvoke-";
const UNIQUE_SUFFIX_LENGTH = 26;

interface Permission {
  readonly on: PermittedApi;
  /** The routes it covers: one, or a whole method or API in compact form. */
  readonly routes: readonly ResolvedRoute[];
  readonly sourceArn: string;
  readonly id: string;
}

const FUNCTIONS = new WeakMap<RouteTarget, FunctionPermissions>();

/** The permissions of one function, over every API that routes to it. */
export class FunctionPermissions {
  private readonly permissions: Permission[] = [];
  private settled = false;

  private constructor(private readonly target: RouteTarget) {}

  /** The one instance for a function. */
  static of(target: RouteTarget): FunctionPermissions {
    let permissions = FUNCTIONS.get(target);
    if (!permissions) {
      permissions = new FunctionPermissions(target);
      FUNCTIONS.set(target, permissions);
    }
    return permissions;
  }

  /**
   * Declares a route's permission (created now, in exact form); at synth, before validation,
   * an over-quota function is moved to compact forms and the first API reports what stays over.
   */
  permitRoute(on: PermittedApi, route: ResolvedRoute, id: string): void {
    const first = this.permissions.length === 0;
    const permission: Permission = {
      on,
      routes: [route],
      sourceArn: executeApiArn(on.api.executionArn, on.stageName, route.method, route.arnPath),
      id,
    };
    this.create(permission);
    this.permissions.push(permission);
    if (!this.permissions.some((p) => p !== permission && p.on === on)) {
      Aspects.of(on.scope).add({ visit: (node) => node === on.scope && this.settle() });
    }
    if (first) on.scope.node.addValidation({ validate: () => this.check() });
  }

  /** The policy Lambda would store, bounded in bytes. */
  policyBytes(): number {
    const lengths = ReferenceLengths.of(this.permissions[0]!.on.scope);
    const functionArn = lengths.arnLength("lambda", "function:".length + lengths.bound(this.target.functionName));
    // {"Version":"2012-10-17","Id":"default","Statement":[…]} around the statements, comma-separated.
    const envelope = utf8Bytes(JSON.stringify({ Version: "2012-10-17", Id: "default", Statement: [] }));
    const statements = this.permissions.map((permission) => {
      const statement = {
        Sid: `${STATEMENT_ID_PREFIX}${"0".repeat(UNIQUE_SUFFIX_LENGTH)}`,
        Effect: "Allow",
        Principal: { Service: "apigateway.amazonaws.com" },
        Action: "lambda:InvokeFunction",
        Resource: "",
        Condition: { ArnLike: { "AWS:SourceArn": "" } },
      };
      return utf8Bytes(JSON.stringify(statement)) + functionArn + ReferenceLengths.of(permission.on.scope).bound(permission.sourceArn, utf8Bytes);
    });
    return envelope + statements.reduce((sum, n) => sum + n, 0) + Math.max(0, statements.length - 1);
  }

  /** Moves each API stage to its compact form when the exact permissions would be over the quota. */
  private settle(): void {
    if (this.settled) return;
    this.settled = true;
    if (this.policyBytes() <= QUOTAS.lambdaResourcePolicy.limit) return;
    for (const on of new Set(this.permissions.map((p) => p.on))) {
      for (const compact of compactForms(on, this.target)) {
        const replaced = this.permissions.filter((p) => p.on === on && compact.routes.includes(p.routes[0]!));
        for (const permission of replaced) {
          on.scope.node.tryRemoveChild(permission.id);
          this.permissions.splice(this.permissions.indexOf(permission), 1);
        }
        const permission: Permission = {
          on,
          routes: compact.routes,
          sourceArn: executeApiStageArn(on.api.executionArn, on.stageName, compact.method),
          // Stable while the compact form holds: adding a route does not replace the permission.
          id: `permission ${compact.method ?? "every method"} of ${this.target.node.path.split("/").pop()}`,
        };
        this.create(permission);
        this.permissions.push(permission);
      }
    }
  }

  private check(): string[] {
    const message = overQuota(
      QUOTAS.lambdaResourcePolicy,
      this.policyBytes(),
      `function '${this.target.node.path}': its resource-based policy (${this.permissions.length} aws_lambda_permission statements, ` +
        `${this.permissions.reduce((n, p) => n + p.routes.length, 0)} routes)`,
      "serve fewer routes from this function (give a group of routes its own function), or serve all of an API's routes, " +
        "or all of one method's, from it so that one permission can cover them",
    );
    return message ? [message] : [];
  }

  private create(permission: Permission): void {
    new LambdaPermission(permission.on.scope, permission.id, {
      // A function may serve several routes, and statement ids must be unique per function:
      // Terraform appends a unique suffix to the prefix.
      statementIdPrefix: STATEMENT_ID_PREFIX,
      action: "lambda:InvokeFunction",
      functionName: this.target.functionName,
      principal: "apigateway.amazonaws.com",
      sourceArn: permission.sourceArn,
    });
  }
}

/**
 * The compact forms that grant API Gateway nothing more for `target` on this API: the whole
 * stage when it serves every route, else each method all of whose routes it serves (two or
 * more; one route is already exact). An ARN pattern also matches paths no route declares;
 * API Gateway invokes a function only from a method's integration, and every method of the
 * API is in its route table.
 */
export function compactForms(on: PermittedApi, target: RouteTarget): Array<{ method?: HttpMethod; routes: ResolvedRoute[] }> {
  const served = on.routes.filter((r) => r.function === target);
  if (served.length < 2) return [];
  if (served.length === on.routes.length) return [{ routes: served }];
  const forms: Array<{ method?: HttpMethod; routes: ResolvedRoute[] }> = [];
  for (const method of new Set(served.map((r) => r.method))) {
    const ofMethod = on.routes.filter((r) => r.method === method);
    if (ofMethod.length >= 2 && ofMethod.every((r) => r.function === target)) forms.push({ method, routes: ofMethod });
  }
  return forms;
}
