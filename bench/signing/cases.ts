/** The requests every signer signs: the shapes our callers send. */

export interface SigningCase {
  readonly name: string;
  readonly method: "GET" | "POST";
  /** Path below the host, as sent. */
  readonly path: string;
  /** The JSON body as an object (got serializes it before its hooks run)... */
  readonly json?: Record<string, unknown>;
  /** ...and as the exact text sent, for the signers that take a body string. */
  readonly bodyText?: string;
}

export const HOSTNAME = "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com";
export const REGION = "us-east-1";
export const SERVICE = "execute-api";

/** Lambda role credentials always carry a session token, so the benchmark does too. */
export const CREDENTIALS = {
  accessKeyId: "FAKEBENCHMARKKEY0001",
  secretAccessKey: "benchmark/secret/key/not/a/real/one/000000",
  sessionToken: "IQoJb3JpZ2luX2VjEBenchmarkSessionToken".repeat(10),
} as const;

/** A JSON object whose serialization is exactly `bytes` long. */
export function jsonOfSize(bytes: number): Record<string, unknown> {
  const skeleton = JSON.stringify({ name: "Ada Lovelace", email: "ada@example.com", padding: "" });
  if (bytes < skeleton.length) throw new RangeError(`a JSON body of ${bytes} bytes is smaller than its skeleton`);
  return { name: "Ada Lovelace", email: "ada@example.com", padding: "x".repeat(bytes - skeleton.length) };
}

function post(name: string, bytes: number): SigningCase {
  const json = jsonOfSize(bytes);
  return { name, method: "POST", path: "/v1/users", json, bodyText: JSON.stringify(json) };
}

export const SIGNING_CASES: readonly SigningCase[] = [
  { name: "GET", method: "GET", path: "/v1/users/u-1001" },
  post("POST 1 KiB JSON", 1024),
  post("POST 1 MiB JSON", 1024 * 1024),
];
