import { createHash } from "node:crypto";

/**
 * The people of the local user pool. Seeded users are the ones the users service seeds (same
 * ids), so `npm run token -- --email ada@example.com` signs in as the Ada the service knows. Any
 * other email is a local user whose `sub` is derived from the address: the same on every run.
 */

export interface PoolUser {
  /** Cognito's immutable user id (a UUID): the users service's user id. */
  readonly sub: string;
  readonly email: string;
}

export const SEEDED_POOL_USERS: readonly PoolUser[] = [
  { sub: "8f6d2c1e-3a4b-4c5d-9e6f-a1d0a1d01001", email: "ada@example.com" },
  { sub: "2b7e4f90-5c6d-4e8f-a1b2-a1a0a1a01002", email: "alan@example.com" },
];

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Thrown for an address Cognito would not accept as a username. */
export class PoolUserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PoolUserError";
  }
}

/** The pool user signed in with this email (case-insensitive, as the pool's usernames are). */
export function poolUserFor(email: string): PoolUser {
  const normalized = email.trim().toLowerCase();
  if (normalized.length > 254 || !EMAIL.test(normalized)) throw new PoolUserError(`'${email}' is not an email address`);
  const seeded = SEEDED_POOL_USERS.find((u) => u.email === normalized);
  if (seeded) return seeded;
  // A UUID (version 4 layout) from the address's digest: stable, and unlike any seeded sub.
  const hex = createHash("sha256").update(`sia-local-pool-user\0${normalized}`).digest("hex");
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const sub = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  return { sub, email: normalized };
}
