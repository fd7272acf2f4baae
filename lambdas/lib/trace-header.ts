/**
 * X-Ray trace propagation: Lambda puts the invocation's trace header in `_X_AMZN_TRACE_ID`
 * (set anew for each invocation, so it is read on every attempt, never cached), and a downstream
 * call carries it as `X-Amzn-Trace-Id` so that API Gateway continues the same trace ("Tracing
 * header", AWS X-Ray developer guide; "Lambda environment variables": `_X_AMZN_TRACE_ID`).
 * The header is not signed: API Gateway may add to it, and it grants nothing.
 */

export const TRACE_HEADER = "x-amzn-trace-id";
export const TRACE_ENVIRONMENT_VARIABLE = "_X_AMZN_TRACE_ID";

/** `Root=1-…;Parent=…;Sampled=…`: printable ASCII without spaces, bounded. */
const TRACE_VALUE = /^[\x21-\x7e]{1,256}$/;

/** The invocation's trace header, or undefined outside Lambda (or for a value no header may carry). */
export function currentTraceHeader(env: NodeJS.ProcessEnv): string | undefined {
  const value = env[TRACE_ENVIRONMENT_VARIABLE];
  return value !== undefined && TRACE_VALUE.test(value) ? value : undefined;
}
