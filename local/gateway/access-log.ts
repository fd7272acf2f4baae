/** One access-log line: what was asked, what was answered, by whom, how fast. Never headers or bodies. */
export interface AccessLogEntry {
  readonly method: string;
  /** The request path without its query (a query may carry presigned parameters). */
  readonly path: string;
  readonly status: number;
  /** The caller's session ARN, `anonymous` for methods without IAM, `-` when unknown. */
  readonly principal: string;
  readonly latencyMs: number;
  /** The X-Ray trace id: the same on a public request and the internal calls it makes. */
  readonly traceId?: string;
  /** Why a request was refused (log-safe reasons from the auth module), if it was. */
  readonly reason?: string;
}

export function formatAccessLog(entry: AccessLogEntry, at: Date = new Date()): string {
  const reason = entry.reason ? ` (${entry.reason})` : "";
  // The path is the client's text: keep the line one line of printable characters.
  const path = entry.path.replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c));
  const trace = entry.traceId ? ` trace=${entry.traceId}` : "";
  return `${at.toISOString()} ${entry.method} ${path} ${entry.status} ${entry.principal} ${Math.round(entry.latencyMs)}ms${trace}${reason}`;
}
