/**
 * The users service's contract: what it stores, what a valid id is, and which fields are
 * public. Callers import it so that they validate exactly as the service does.
 */

export interface User {
  readonly id: string;
  readonly name: string;
  readonly email: string;
}

/** The fields a public route may show. */
export type PublicProfile = Pick<User, "id" | "name">;

export const USER_ID_PATTERN = /^u-[a-z0-9]{1,32}$/;

export function isUserId(value: unknown): value is string {
  return typeof value === "string" && USER_ID_PATTERN.test(value);
}

export const BAD_USER_ID_MESSAGE = "user id must look like u-1001 (u- then 1 to 32 lowercase letters or digits)";

/** A new user's fields; the id is chosen by the service unless the caller names one. */
export type NewUser = Omit<User, "id"> & { readonly id?: string };

/** Validates a new user's fields, or returns why they are not valid. */
export function validateNewUser(input: Record<string, unknown>): NewUser | string {
  const { id, name, email } = input;
  if (id !== undefined && !isUserId(id)) return BAD_USER_ID_MESSAGE;
  if (typeof name !== "string" || name.trim().length === 0 || name.length > 100) {
    return "name must be a non-empty string of at most 100 characters";
  }
  if (typeof email !== "string" || email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    return "email must be an email address";
  }
  return { ...(id !== undefined ? { id } : {}), name: name.trim(), email };
}

export function publicProfile(user: User): PublicProfile {
  return { id: user.id, name: user.name };
}
