import { createHash } from "node:crypto";
import { Lazy, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { ApiGatewayDeployment, ApiGatewayMethodSettings, ApiGatewayStage, CloudwatchLogGroup, type ApiGatewayRestApi } from "./aws-provider-classes.js";
import { checkLogRetention } from "./node-function.js";

/** One JSON object per request; `userArn` records which principal called. */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: "$context.requestId",
  requestTime: "$context.requestTimeEpoch",
  sourceIp: "$context.identity.sourceIp",
  caller: "$context.identity.caller",
  userArn: "$context.identity.userArn",
  // The signed-in end user (public API), empty elsewhere.
  userSub: "$context.authorizer.claims.sub",
  httpMethod: "$context.httpMethod",
  resourcePath: "$context.resourcePath",
  status: "$context.status",
  responseLength: "$context.responseLength",
  integrationLatency: "$context.integrationLatency",
  errorType: "$context.error.responseType",
  // One id across the public request and its internal calls (the signed client forwards it).
  traceId: "$context.xrayTraceId",
});

/** Request throttling of a stage. */
export interface ThrottleSettings {
  /** Steady-state requests per second. */
  readonly rateLimit: number;
  /** Burst size. */
  readonly burstLimit: number;
}

/** Props of {@link ApiStage}. */
export interface ApiStageProps {
  /** The REST API to deploy. */
  readonly api: ApiGatewayRestApi;
  /** The stage name, e.g. `v1`. */
  readonly stageName: string;
  /** What the deployment must wait for (methods, integrations, the resource policy). */
  readonly dependsOn: ITerraformDependable[];
  /** What a change of must redeploy the API (routes, integrations, resource policy); hashed at synth. */
  readonly fingerprint: unknown;
  /** Throttling of every method. */
  readonly throttle: ThrottleSettings;
  /** Days to keep access logs. @default 30 */
  readonly logRetentionDays?: number;
}

/**
 * A deployment redeployed whenever the API's routes, integrations or resource policy change
 * (created before the old one is destroyed), and a separate stage with JSON access logs,
 * throttling and metrics.
 */
export class ApiStage extends Construct {
  /** The stage's base URL, `https://{id}.execute-api.{region}.amazonaws.com/{stage}`. */
  readonly invokeUrl: string;
  /** The stage name. */
  readonly stageName: string;
  readonly deployment: ApiGatewayDeployment;
  readonly stage: ApiGatewayStage;
  readonly accessLogGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: ApiStageProps) {
    super(scope, id);
    const owner = `ApiStage '${this.node.path}'`;
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(props.stageName)) {
      throw new Error(`${owner}: stage name '${props.stageName}' must be letters, digits, '-' or '_'.`);
    }
    const { rateLimit, burstLimit } = props.throttle;
    if (!(rateLimit > 0) || !Number.isInteger(burstLimit) || burstLimit <= 0) {
      throw new Error(`${owner}: throttle needs a positive rateLimit and a positive integer burstLimit.`);
    }

    this.deployment = new ApiGatewayDeployment(this, "deployment", {
      restApiId: props.api.id,
      // Hash the resolved description (Terraform references, not tokens), so that it is stable
      // across synths and changes exactly when what is deployed changes.
      triggers: {
        redeployment: Lazy.stringValue({
          produce: (context) =>
            createHash("sha256").update(JSON.stringify(context.resolve(props.fingerprint))).digest("hex"),
        }),
      },
      lifecycle: { createBeforeDestroy: true },
      dependsOn: props.dependsOn,
    });

    this.accessLogGroup = new CloudwatchLogGroup(this, "access-logs", {
      name: `/aws/apigateway/${props.api.name}/${props.stageName}/access`,
      retentionInDays: checkLogRetention(props.logRetentionDays ?? 30, owner),
    });

    this.stage = new ApiGatewayStage(this, "stage", {
      restApiId: props.api.id,
      deploymentId: this.deployment.id,
      stageName: props.stageName,
      accessLogSettings: { destinationArn: this.accessLogGroup.arn, format: ACCESS_LOG_FORMAT },
      // Active tracing: API Gateway starts (or continues) the trace and passes X-Amzn-Trace-Id on.
      xrayTracingEnabled: true,
    });

    new ApiGatewayMethodSettings(this, "method-settings", {
      restApiId: props.api.id,
      stageName: this.stage.stageName,
      methodPath: "*/*",
      settings: {
        metricsEnabled: true,
        throttlingRateLimit: rateLimit,
        throttlingBurstLimit: burstLimit,
        // Execution logs can carry request data; access logs are enough to audit callers.
        loggingLevel: "OFF",
        dataTraceEnabled: false,
      },
    });

    this.invokeUrl = this.stage.invokeUrl;
    this.stageName = props.stageName;
  }
}
