import { userExistsMessage, type User } from "./contract.js";

/** A create-only write found a record under that id: nothing was written. */
export class UserExistsError extends Error {
  constructor(readonly id: string) {
    super(userExistsMessage(id));
    this.name = "UserExistsError";
  }
}

/** Where the users service keeps users; the HTTP handler only sees this. */
export interface UserStore {
  /** The user with this id, or undefined. */
  get(id: string): Promise<User | undefined>;
  /** Creates or replaces the record of `user.id` (the caller is granted PUT /users/{id} for it). */
  put(user: User): Promise<void>;
  /** Creates the record of `user.id` only if there is none, atomically; else throws {@link UserExistsError}. */
  create(user: User): Promise<void>;
}
