import type { Got } from "got";
import { createSignedGot } from "../lib/signed-got.js";

/**
 * The users service's internal API as its callers reach it: a signed client for `USERS_API_URL`
 * (its stage URL, from Terraform), `USERS_API_TIMEOUT_MS` per request (default 3000) and two
 * retries of idempotent calls. A caller creates it once, at module load, so that warm invocations
 * reuse its connections and credentials.
 */
export function createUsersApiClient(env: NodeJS.ProcessEnv = process.env): Got {
  return createSignedGot({
    prefixUrl: env["USERS_API_URL"],
    timeout: { request: Number(env["USERS_API_TIMEOUT_MS"] ?? 3000) },
    retry: { limit: 2 },
  });
}

/** The path of one user's record on that API (`GET`/`PUT /users/{id}`), the id encoded as one segment. */
export function userPath(id: string): string {
  return `users/${encodeURIComponent(id)}`;
}
