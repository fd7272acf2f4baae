/** One access-log line per AWS call a function (or a tool) makes: never headers, keys or bodies. */
export interface AwsCallLogEntry {
  /** Signing service, e.g. `dynamodb`. */
  readonly service: string;
  /** The operation, e.g. `PutItem`; `-` when unknown. */
  readonly action: string;
  /** Every table the call touches. */
  readonly tables: readonly string[];
  /** The caller's session ARN, `-` when not authenticated. */
  readonly principal: string;
  readonly decision: "Allow" | "Deny" | "Error";
  readonly status: number;
  readonly latencyMs: number;
  /** Why it was refused (log-safe reasons from the auth module). */
  readonly reason?: string;
}

export function formatAwsCallLog(entry: AwsCallLogEntry, at: Date = new Date()): string {
  const tables = entry.tables.length > 0 ? entry.tables.join(",") : "-";
  const reason = entry.reason ? ` (${entry.reason.replace(/[^\x20-\x7e]/g, "?")})` : "";
  return `${at.toISOString()} ${entry.service} ${entry.action} ${tables} ${entry.status} ${entry.decision} ${entry.principal} ${Math.round(entry.latencyMs)}ms${reason}`;
}
