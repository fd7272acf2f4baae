/**
 * Where the offline mode serves a stage: `http://127.0.0.1:PORT/restapis/API_ID/STAGE`.
 * Path-based rather than host-based (`API_ID.execute-api.localhost`), because plain Node clients
 * do not resolve `*.localhost` names everywhere, and SigV4 signs the path as sent either way.
 */

export const RESTAPIS_PREFIX = "/restapis/";

/** The local invoke URL of a stage (no trailing slash, like API Gateway's `invoke_url`). */
export function localInvokeUrl(endpoint: string, apiId: string, stage: string): string {
  return `${endpoint.replace(/\/$/, "")}${RESTAPIS_PREFIX}${apiId}/${stage}`;
}

/** A request target split into API id, stage and the path below the stage. */
export interface LocalTarget {
  readonly apiId: string;
  /** Undefined for `/restapis/API_ID` with nothing after it. */
  readonly stage?: string;
  /** The raw (still percent-encoded) path below the stage, starting with `/`. */
  readonly rawPath: string;
}

/** Splits a raw request path (no query) into its local target, or undefined when it is not under /restapis/. */
export function parseLocalTarget(rawPath: string): LocalTarget | undefined {
  if (!rawPath.startsWith(RESTAPIS_PREFIX)) return undefined;
  const rest = rawPath.slice(RESTAPIS_PREFIX.length);
  const [apiId = "", stage, ...below] = rest.split("/");
  if (apiId === "") return undefined;
  return { apiId, stage: stage === undefined || stage === "" ? undefined : stage, rawPath: "/" + below.join("/") };
}
