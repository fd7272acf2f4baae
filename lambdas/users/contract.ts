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

/** A user's id is the user pool's `sub` for them: a lowercase UUID. */
export const USER_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isUserId(value: unknown): value is string {
  return typeof value === "string" && USER_ID_PATTERN.test(value);
}

export const BAD_USER_ID_MESSAGE = "user id must be a user pool sub (a lowercase UUID like 8f6d2c1e-3a4b-4c5d-9e6f-a1d0a1d01001)";

const NAME_MESSAGE = "name must be a non-empty string of at most 100 characters";

/** A display name: a non-empty string of at most 100 characters. */
function isName(name: unknown): name is string {
  return typeof name === "string" && name.trim().length > 0 && name.length <= 100;
}

/** Validates the fields of a user's record (the id comes from the path), or returns why they are not valid. */
export function validateUserFields(input: Record<string, unknown>): Omit<User, "id"> | string {
  const extra = Object.keys(input).filter((key) => key !== "name" && key !== "email");
  if (extra.length > 0) return `unknown fields: ${extra.join(", ")} (a user record has name and email)`;
  const { name, email } = input;
  if (!isName(name)) return NAME_MESSAGE;
  if (typeof email !== "string" || email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    return "email must be an email address";
  }
  return { name: name.trim(), email };
}

export function publicProfile(user: User): PublicProfile {
  return { id: user.id, name: user.name };
}

/**
 * The header a caller uses to tell the users service which end user it acts for. The internal API
 * authenticates the calling role (SigV4, IAM), not the end user: the role answers for the id it
 * passes, which its function took from a token API Gateway verified. The service logs it.
 */
export const END_USER_HEADER = "x-end-user-id";

/** What a user may change about their own record: their display name, nothing else. */
export function validateProfileUpdate(input: Record<string, unknown>): Pick<User, "name"> | string {
  const extra = Object.keys(input).filter((key) => key !== "name");
  if (extra.length > 0) return `only name can be set (${extra.join(", ")} cannot): your id and email come from your sign-in`;
  const { name } = input;
  if (!isName(name)) return NAME_MESSAGE;
  return { name: name.trim() };
}

/**
 * How a write treats the record already there. `create` is `If-None-Match: *` (RFC 9110 §13.1.2):
 * write only if the user has no record yet. `upsert`, with no precondition, creates or replaces.
 */
export type WriteMode = "create" | "upsert";

/** The request header that asks for a create-only write, and its one accepted value. */
export const IF_NONE_MATCH_HEADER = "if-none-match";
export const IF_MATCH_HEADER = "if-match";
export const CREATE_ONLY = "*";

/**
 * The write mode a request's precondition headers ask for (every value of each, as received), or
 * why they are refused (a 400). Records carry no entity tag, so the only precondition that can be
 * evaluated is "no record at all": any other value is refused rather than silently ignored.
 */
export function writeModeOf(ifNoneMatch: readonly string[], ifMatch: readonly string[]): WriteMode | { readonly refused: string } {
  if (ifMatch.length > 0) return { refused: `If-Match is not supported: user records carry no entity tag (send If-None-Match: ${CREATE_ONLY} to create only if absent)` };
  if (ifNoneMatch.length === 0) return "upsert";
  const listed = ifNoneMatch.flatMap((value) => value.split(",")).map((value) => value.trim());
  if (listed.length === 1 && listed[0] === CREATE_ONLY) return "create";
  return { refused: `If-None-Match must be ${CREATE_ONLY} (create only if the record does not exist yet); entity tags are not supported` };
}

/**
 * Why a create-only write was refused. The users service answers it with 409 Conflict, not the
 * 412 Precondition Failed RFC 9110 §13.1.2 gives a failed If-None-Match on a PUT: the client asked
 * to create, and what stops it is the state of the resource (the record exists), which is what
 * 409 reports (§15.5.10); a client reads "already exists" without knowing about preconditions.
 */
export function userExistsMessage(id: string): string {
  return `user ${id} already exists`;
}
