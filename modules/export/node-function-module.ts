import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUNDLE_MODULE } from "../bundle.js";
import { NodeFunction } from "../node-function.js";
import { expr } from "./hcl.js";
import { ModuleDraft } from "./module-draft.js";
import type { TerraformModule } from "./module-files.js";
import { RETENTION_VALIDATION, SENTINEL } from "./sentinels.js";

/** Builds a NodeFunction around a throwaway handler: the module takes the zip as an input instead. */
function draftNodeFunction(props: { memorySize?: number; timeout?: number; logRetentionDays?: number }): ModuleDraft {
  const work = mkdtempSync(join(tmpdir(), "sia-export-function-"));
  try {
    const entry = join(work, "handler.mjs");
    writeFileSync(entry, "export const handler = async () => ({ statusCode: 204 });\n");
    return ModuleDraft.synthesize(
      (scope) =>
        new NodeFunction(scope, "function", {
          entry,
          buildDir: work,
          functionName: SENTINEL.functionName,
          description: "${var.description}",
          environment: { SIA_EXPORT_ENVIRONMENT: "x" },
          ...props,
        }),
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The Node function module: a Lambda function with its own role, log group and least-privilege log policy. */
export function nodeFunctionModule(): TerraformModule {
  const defaults = draftNodeFunction({});
  const defaultMemory = defaults.body("function").memory_size as number;
  const defaultTimeout = defaults.body("function").timeout as number;
  const defaultRetention = defaults.body("logs").retention_in_days as number;
  const handler = defaults.body("function").handler as string;
  const runtime = defaults.body("function").runtime as string;

  const draft = draftNodeFunction({ memorySize: SENTINEL.memorySize, timeout: SENTINEL.timeout, logRetentionDays: SENTINEL.logRetentionDays });
  draft.name("function", "this").name("role", "this").name("logs", "this").name("logs-policy", "write_own_logs").name("tracing-policy", "write_traces");
  draft.set("function", {
    filename: expr("var.filename"),
    source_code_hash: expr("var.source_code_hash"),
    "environment.variables": expr("var.environment"),
  });
  draft
    .replaceString(SENTINEL.functionName, "${var.function_name}")
    .replaceNumber(SENTINEL.memorySize, expr("var.memory_size"))
    .replaceNumber(SENTINEL.timeout, expr("var.timeout"))
    .replaceNumber(SENTINEL.logRetentionDays, expr("var.log_retention_days"));

  return {
    name: "node-function",
    summary: `A ${runtime} Lambda function (arm64) with its own execution role, its own log group (created first, with explicit retention) and a role policy that may write only to that log group. Grants to call internal APIs are added by the internal-api module's \`grants\`.`,
    guarantees: [
      "The execution role can be assumed only by `lambda.amazonaws.com`.",
      "The role may write logs only to the function's own log group; it has no other permission until a grant adds one.",
    ],
    variables: [
      {
        name: "function_name",
        description: "The function's name; also names its role (`<name>-role`) and log group (`/aws/lambda/<name>`).",
        type: "string",
        validations: [{ condition: 'can(regex("^[A-Za-z0-9_-]{1,59}$", var.function_name))', errorMessage: "The function name must be 1-59 letters, digits, '-' or '_' (its role is named '<name>-role')." }],
      },
      { name: "description", description: "A one-line description shown in the console.", type: "string", default: "null" },
      { name: "filename", description: `Path of the deployment zip; it must hold \`${BUNDLE_MODULE}\` exporting \`handler\` (the handler is \`${handler}\`).`, type: "string" },
      { name: "source_code_hash", description: "Base64 SHA-256 of the zip (e.g. `filebase64sha256(var.filename)`), so a new zip is deployed.", type: "string" },
      { name: "environment", description: "Environment variables.", type: "map(string)", default: "{}" },
      {
        name: "memory_size",
        description: "Memory in MB.",
        type: "number",
        default: String(defaultMemory),
        validations: [{ condition: "var.memory_size >= 128 && var.memory_size <= 10240 && floor(var.memory_size) == var.memory_size", errorMessage: "Memory must be an integer from 128 to 10240 MB." }],
      },
      {
        name: "timeout",
        description: "Timeout in seconds.",
        type: "number",
        default: String(defaultTimeout),
        validations: [{ condition: "var.timeout >= 1 && var.timeout <= 900 && floor(var.timeout) == var.timeout", errorMessage: "The timeout must be an integer from 1 to 900 seconds." }],
      },
      { name: "log_retention_days", description: "Days to keep the function's logs.", type: "number", default: String(defaultRetention), validations: [RETENTION_VALIDATION] },
    ],
    outputs: [
      { name: "function_name", description: "The function's name.", value: "aws_lambda_function.this.function_name" },
      { name: "function_arn", description: "The function's ARN.", value: "aws_lambda_function.this.arn" },
      { name: "invoke_arn", description: "The ARN API Gateway integrations use.", value: "aws_lambda_function.this.invoke_arn" },
      { name: "role_name", description: "The execution role's name (give it to internal-api `grants`).", value: "aws_iam_role.this.name" },
      { name: "role_arn", description: "The execution role's ARN.", value: "aws_iam_role.this.arn" },
      { name: "log_group_name", description: "The function's log group.", value: "aws_cloudwatch_log_group.this.name" },
    ],
    main: draft.renderMain(),
    usage: `
module "users" {
  source = "./terraform-modules/node-function"

  function_name    = "users"
  filename         = "build/users.zip"
  source_code_hash = filebase64sha256("build/users.zip")
}`,
  };
}
