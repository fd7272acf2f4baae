import { expr } from "./hcl.js";
import type { ModuleDraft } from "./module-draft.js";
import type { ModuleOutput, ModuleVariable } from "./module-files.js";
import { RETENTION_VALIDATION, SENTINEL } from "./sentinels.js";

/**
 * What both API modules share, because both constructs build their stage with `ApiStage`: the
 * stage's resource names, its inputs (stage name, throttling, log retention) and the API outputs.
 */

/** The optional construct props that become the stage's variables, set to sentinels. */
export const STAGE_SENTINEL_PROPS = {
  stageName: SENTINEL.stage,
  throttle: { rateLimit: SENTINEL.rateLimit, burstLimit: SENTINEL.burstLimit },
  logRetentionDays: SENTINEL.logRetentionDays,
};

/** Plain names for the ApiStage resources under `stagePath` (the construct path of the ApiStage). */
export function nameStageResources(draft: ModuleDraft, stagePath: string): void {
  draft
    .name(`${stagePath}/deployment`, "this")
    .name(`${stagePath}/access-logs`, "access_logs")
    .name(`${stagePath}/stage`, "this")
    .name(`${stagePath}/method-settings`, "this");
}

/** Turns the stage sentinels into the stage's variables. */
export function replaceStageSentinels(draft: ModuleDraft): void {
  draft
    .replaceString(SENTINEL.stage, "${var.stage_name}")
    .replaceNumber(SENTINEL.rateLimit, expr("var.throttle_rate_limit"))
    .replaceNumber(SENTINEL.burstLimit, expr("var.throttle_burst_limit"))
    .replaceNumber(SENTINEL.logRetentionDays, expr("var.log_retention_days"));
}

/** The stage's variables, with the construct's own defaults read from a draft built without them. */
export function stageVariables(defaults: ModuleDraft, stagePath: string): ModuleVariable[] {
  const settings = defaults.body(`${stagePath}/method-settings`).settings as Record<string, number>;
  const retention = defaults.body(`${stagePath}/access-logs`).retention_in_days as number;
  const stageName = defaults.body(`${stagePath}/stage`).stage_name as string;
  return [
    {
      name: "stage_name",
      description: "The stage name.",
      type: "string",
      default: JSON.stringify(stageName),
      validations: [{ condition: 'can(regex("^[A-Za-z0-9_-]{1,128}$", var.stage_name))', errorMessage: "The stage name must be 1-128 letters, digits, '-' or '_'." }],
    },
    { name: "throttle_rate_limit", description: "Steady-state requests per second of every method.", type: "number", default: String(settings.throttling_rate_limit) },
    { name: "throttle_burst_limit", description: "Burst size of every method.", type: "number", default: String(settings.throttling_burst_limit) },
    { name: "log_retention_days", description: "Days to keep access logs.", type: "number", default: String(retention), validations: [RETENTION_VALIDATION] },
  ];
}

/** The outputs every API module has. */
export function apiOutputs(invokeUrlDescription: string): ModuleOutput[] {
  return [
    { name: "rest_api_id", description: "The REST API's id.", value: "aws_api_gateway_rest_api.this.id" },
    { name: "execution_arn", description: "arn:aws:execute-api:REGION:ACCOUNT:API_ID", value: "aws_api_gateway_rest_api.this.execution_arn" },
    { name: "invoke_url", description: invokeUrlDescription, value: "aws_api_gateway_stage.this.invoke_url" },
    { name: "stage_name", description: "The stage name.", value: "aws_api_gateway_stage.this.stage_name" },
  ];
}
