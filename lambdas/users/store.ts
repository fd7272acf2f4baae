import type { User } from "./contract.js";

/** Where the users service keeps users; the HTTP handler only sees this. */
export interface UserStore {
  /** The user with this id, or undefined. */
  get(id: string): Promise<User | undefined>;
  /** Stores a new user; never overwrites: throws {@link UserExistsError} when the id is taken. */
  create(user: User): Promise<void>;
}

/** A create that would have overwritten an existing user. */
export class UserExistsError extends Error {
  constructor(readonly userId: string) {
    super(`user ${userId} already exists`);
    this.name = "UserExistsError";
  }
}
