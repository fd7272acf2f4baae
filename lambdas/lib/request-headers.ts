import type { APIGatewayProxyEvent } from "aws-lambda";

/**
 * Every value of one request header in a REST (v1) proxy event, names compared case-insensitively.
 * API Gateway puts a repeated header's last value in `headers` and all of them in
 * `multiValueHeaders`, so the latter is read when present: a precondition sent twice is seen whole.
 */
export function headerValues(event: Pick<APIGatewayProxyEvent, "headers" | "multiValueHeaders">, name: string): string[] {
  const wanted = name.toLowerCase();
  const matching = <T>(map: Record<string, T | undefined> | null | undefined) =>
    Object.entries(map ?? {}).filter((entry): entry is [string, T] => entry[0].toLowerCase() === wanted && entry[1] !== undefined).map(([, value]) => value);
  const multi = matching(event.multiValueHeaders).flat();
  return multi.length > 0 ? multi : matching(event.headers);
}
