import { randomBytes } from "node:crypto";

/**
 * X-Ray trace ids as API Gateway and Lambda pass them on ("Tracing header", AWS X-Ray developer
 * guide, https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-tracingheader):
 * `X-Amzn-Trace-Id: Root=1-<8 hex epoch seconds>-<24 hex>;Parent=<16 hex>;Sampled=1`.
 */

const ROOT = /(?:^|;)\s*Root=(1-[0-9a-f]{8}-[0-9a-f]{24})\s*(?:;|$)/i;

/** A new trace id, `1-5759e988-bd862e3fe1be46a994272793`. */
function newTraceId(now: Date = new Date()): string {
  const epoch = Math.floor(now.getTime() / 1000).toString(16).padStart(8, "0");
  return `1-${epoch}-${randomBytes(12).toString("hex")}`;
}

/** The trace id of an incoming `X-Amzn-Trace-Id`, when it carries a well-formed Root. */
function traceIdOf(header: string | undefined): string | undefined {
  return header === undefined ? undefined : ROOT.exec(header)?.[1]?.toLowerCase();
}

/** Continues the caller's trace (API Gateway does, with tracing on) or starts one. */
export function traceIdFor(headers: ReadonlyArray<readonly [string, string]>, now?: Date): string {
  const incoming = headers.findLast(([name]) => name.toLowerCase() === "x-amzn-trace-id")?.[1];
  return traceIdOf(incoming) ?? newTraceId(now);
}

/** The header a function gets in `_X_AMZN_TRACE_ID`: the trace, a new segment as parent, sampled. */
export function lambdaTraceHeader(traceId: string): string {
  return `Root=${traceId};Parent=${randomBytes(8).toString("hex")};Sampled=1`;
}
