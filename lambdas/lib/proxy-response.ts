import type { APIGatewayProxyResult } from "aws-lambda";

/** A Lambda proxy response with a JSON body. */
export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  };
}

/** A JSON error response: `{ "message": … }`, never a stack trace. */
export function errorResponse(statusCode: number, message: string): APIGatewayProxyResult {
  return json(statusCode, { message });
}

/** Parses a JSON object body, or returns why it is not one. */
export function parseJsonObject(body: string | null, isBase64Encoded = false): Record<string, unknown> | string {
  if (body === null || body === "") return "request body is required";
  try {
    const parsed: unknown = JSON.parse(isBase64Encoded ? Buffer.from(body, "base64").toString("utf8") : body);
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return "request body must be a JSON object";
    return parsed as Record<string, unknown>;
  } catch {
    return "request body is not valid JSON";
  }
}
