import type { APIGatewayProxyResult } from "aws-lambda";
import { HTTPError, TimeoutError } from "got";
import { SignatureMismatchError } from "./errors.js";
import { errorResponse } from "./proxy-response.js";

/**
 * Turns a failed internal call into the caller's clean response: 504 when the internal API did
 * not answer in time, 502 for anything else. What went wrong is logged (status and error code,
 * never headers), not returned.
 */
export function upstreamFailure(service: string, error: unknown): APIGatewayProxyResult {
  const status = error instanceof HTTPError ? error.response.statusCode : undefined;
  const errorType = error instanceof HTTPError ? error.response.headers["x-amzn-errortype"] : undefined;
  const code = error instanceof Error ? (error as Error & { code?: string }).code ?? error.name : "unknown";
  // A signature mismatch names the first canonical line that differs; it holds no secret.
  const detail = error instanceof SignatureMismatchError ? error.message : undefined;
  console.error(JSON.stringify({ msg: "internal call failed", service, status, errorType, code, detail }));
  if (error instanceof TimeoutError) return errorResponse(504, `${service} did not answer in time`);
  return errorResponse(502, `${service} is unavailable`);
}
