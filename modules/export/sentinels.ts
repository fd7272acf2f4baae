import { LOG_RETENTION_DAYS } from "../node-function.js";

/**
 * Values the exporter passes to a construct where the module will have a variable. Each passes
 * the construct's validation and is unusual enough to be found again in what it synthesizes,
 * where the exporter swaps it for `var.…` (and fails if it is missing).
 */
export const SENTINEL = {
  stage: "siaexportstage",
  functionName: "siaexportfunction",
  accountId: "999999999999",
  organizationId: "o-siaexportorg0",
  rateLimit: 7777.5,
  burstLimit: 8887,
  memorySize: 7919,
  timeout: 887,
  // Must be a retention CloudWatch accepts; no construct hard-codes ten years.
  logRetentionDays: 3653,
} as const;

/** The log retention validation every module shares, from the construct's own list. */
export const RETENTION_VALIDATION = {
  condition: `contains([${LOG_RETENTION_DAYS.join(", ")}], var.log_retention_days)`,
  errorMessage: `Log retention must be one CloudWatch accepts: ${LOG_RETENTION_DAYS.join(", ")}.`,
};
