import { resolve } from "node:path";
import { AssetType, Aspects, Lazy, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import { CloudwatchLogGroup, IamRole, IamRolePolicy, LambdaFunction } from "./aws-provider-classes.js";
import { BUNDLE_MODULE, type BundleResult } from "./bundle.js";
import { FunctionBundles, type FunctionBundle } from "./function-bundles.js";
import { GrantsPolicy, policyJson, type IGrantee, type PolicyStatement } from "./grants.js";
import { overQuota, QUOTAS, utf8Bytes } from "./quotas.js";
import { ReferenceLengths } from "./reference-lengths.js";
import { checkRoleInlinePolicies } from "./role-policy-size.js";
import type { RouteTarget } from "./routes.js";

/** Props of {@link NodeFunction}. */
export interface NodeFunctionProps {
  /** The handler's source file (TypeScript or JavaScript), exporting `handler`. */
  readonly entry: string;
  /** The function's name; also names its role (`<name>-role`) and log group (`/aws/lambda/<name>`). */
  readonly functionName: string;
  /** A one-line description shown in the console. @default no description */
  readonly description?: string;
  /** Environment variables. @default none */
  readonly environment?: Record<string, string>;
  /** Memory in MB. @default 256 */
  readonly memorySize?: number;
  /** Timeout in seconds. @default 10 */
  readonly timeout?: number;
  /** Days to keep the function's logs. @default 30 */
  readonly logRetentionDays?: number;
  /** Where the bundle zip is written before cdktf copies it into the stack's assets. @default ".build/functions" */
  readonly buildDir?: string;
}

/** Retention values CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** Validates a log retention, with a message naming the construct. */
export function checkLogRetention(days: number, owner: string): number {
  if (!LOG_RETENTION_DAYS.includes(days)) {
    throw new Error(`${owner}: log retention ${days} is not one CloudWatch accepts (${LOG_RETENTION_DAYS.join(", ")}).`);
  }
  return days;
}

/**
 * A Node.js 22 Lambda function bundled with esbuild, with its own role, its own log group
 * (created first, with explicit retention) and a role policy that may write only to that group.
 *
 * Its bundle is built at synth with every other function of the app, in one esbuild call
 * ({@link FunctionBundles}); the zip's asset is created from the built bytes then, by an aspect,
 * which cdktf runs before it copies assets into the stack.
 */
export class NodeFunction extends Construct implements IGrantee, RouteTarget {
  /** The function's name. */
  readonly functionName: string;
  /** The function's ARN. */
  readonly functionArn: string;
  /** The ARN API Gateway integrations use. */
  readonly invokeArn: string;
  /** The execution role's name. */
  readonly roleName: string;
  /** The execution role's ARN. */
  readonly roleArn: string;
  /** The underlying resources, for callers that need more. */
  readonly lambda: LambdaFunction;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;
  private grants?: GrantsPolicy;
  private readonly bundle: FunctionBundle;
  private built?: { readonly asset: TerraformAsset; readonly bundle: BundleResult };

  constructor(scope: Construct, id: string, props: NodeFunctionProps) {
    super(scope, id);
    const owner = `NodeFunction '${this.node.path}'`;
    if (!/^[A-Za-z0-9_-]{1,59}$/.test(props.functionName)) {
      throw new Error(`${owner}: functionName '${props.functionName}' must be 1-59 letters, digits, '-' or '_' (its role is named '<name>-role').`);
    }
    const memorySize = props.memorySize ?? 256;
    const timeout = props.timeout ?? 10;
    if (!Number.isInteger(memorySize) || memorySize < 128 || memorySize > 10240) {
      throw new Error(`${owner}: memorySize ${memorySize} must be an integer from 128 to 10240.`);
    }
    if (!Number.isInteger(timeout) || timeout < 1 || timeout > 900) {
      throw new Error(`${owner}: timeout ${timeout} must be an integer from 1 to 900 seconds.`);
    }

    this.bundle = FunctionBundles.of(this).add(owner, {
      entry: resolve(props.entry),
      zipPath: resolve(props.buildDir ?? ".build/functions", `${props.functionName}.zip`),
    });
    Aspects.of(this).add({ visit: (node) => node === this && this.addBundleAsset() });

    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: checkLogRetention(props.logRetentionDays ?? 30, owner),
    });

    this.role = new IamRole(this, "role", {
      name: `${props.functionName}-role`,
      assumeRolePolicy: policyJson([
        { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
      ]),
    });
    new IamRolePolicy(this, "logs-policy", {
      role: this.role.name,
      name: "write-own-logs",
      policy: policyJson([
        {
          Sid: "WriteOwnLogGroupOnly",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: `${this.logGroup.arn}:*`,
        },
      ]),
    });

    // Active tracing needs exactly these two actions; X-Ray has no resource-level permissions for
    // them, so the resource is "*" (Lambda developer guide, "Visualize Lambda function invocations
    // using AWS X-Ray"; X-Ray developer guide, "Identity and access management for AWS X-Ray").
    new IamRolePolicy(this, "tracing-policy", {
      role: this.role.name,
      name: "write-traces",
      policy: policyJson([
        {
          Sid: "WriteTraces",
          Effect: "Allow",
          Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
          Resource: "*",
        },
      ]),
    });

    this.lambda = new LambdaFunction(this, "function", {
      functionName: props.functionName,
      description: props.description,
      role: this.role.arn,
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: `${BUNDLE_MODULE.replace(/\.mjs$/, "")}.handler`,
      // Known once the aspect has built the bundle: cdktf resolves each stack once before aspects
      // run (to find cross-stack references), and that pass discards what it resolves.
      filename: this.fromBuiltBundle(owner, (asset) => asset.path),
      sourceCodeHash: this.fromBuiltBundle(owner, (_, bundle) => bundle.sourceCodeHash),
      memorySize,
      timeout,
      environment: props.environment ? { variables: props.environment } : undefined,
      loggingConfig: { logFormat: "JSON", logGroup: this.logGroup.name },
      tracingConfig: { mode: "Active" },
      dependsOn: [this.logGroup],
    });

    this.functionName = this.lambda.functionName;
    this.functionArn = this.lambda.arn;
    this.invokeArn = this.lambda.invokeArn;
    this.roleName = this.role.name;
    this.roleArn = this.role.arn;

    checkRoleInlinePolicies(this, this.role, owner);
    const environment = props.environment;
    if (environment) {
      // Bounded as the JSON of the variables (names, values and their punctuation), an upper
      // bound of what Lambda counts; a reference (an API's URL) at its longest.
      this.node.addValidation({
        validate: () => {
          const message = overQuota(
            QUOTAS.lambdaEnvironment,
            ReferenceLengths.of(this).bound(JSON.stringify(environment), utf8Bytes),
            `${owner}: its environment variables (${Object.keys(environment).join(", ")})`,
            "pass fewer or shorter values (a configuration source the function reads at start, such as SSM Parameter Store, holds larger settings)",
          );
          return message ? [message] : [];
        },
      });
    }
  }

  /** The base64 SHA-256 of the zip, as set in `source_code_hash` (builds the app's bundles if not built yet). */
  get sourceCodeHash(): string {
    return this.bundle.get().sourceCodeHash;
  }

  /**
   * Creates the asset cdktf copies into the stack, from the built zip: named by the zip's SHA-256,
   * so a new bundle gets a new folder, and never created before its bytes exist.
   */
  private addBundleAsset(): void {
    if (this.built) return;
    const bundle = this.bundle.get();
    const assetHash = Buffer.from(bundle.sourceCodeHash, "base64").toString("hex");
    const asset = new TerraformAsset(this, "bundle", { path: bundle.zipPath, type: AssetType.FILE, assetHash });
    this.built = { asset, bundle };
  }

  /** A value of the built bundle; writing the stack without it fails rather than ship a function without code. */
  private fromBuiltBundle(owner: string, pick: (asset: TerraformAsset, bundle: BundleResult) => string): string {
    return Lazy.stringValue({
      produce: (context) => {
        if (this.built) return pick(this.built.asset, this.built.bundle);
        if (context.preparing) return undefined;
        throw new Error(`${owner}: its bundle's asset was never created (the aspect that creates it did not run before the stack was written).`);
      },
    });
  }

  /** Sets one grantor's statements in this function's grants policy (created on the first grant). */
  setGrantStatements(grantor: string, statements: readonly PolicyStatement[]): void {
    this.grants ??= new GrantsPolicy(this, "grants", { roleName: this.roleName });
    this.grants.setStatements(grantor, statements);
  }
}
