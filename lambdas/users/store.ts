import type { User } from "./contract.js";

/** Where the users service keeps users; the HTTP handler only sees this. */
export interface UserStore {
  /** The user with this id, or undefined. */
  get(id: string): Promise<User | undefined>;
  /** Creates or replaces the record of `user.id` (the caller is granted PUT /users/{id} for it). */
  put(user: User): Promise<void>;
}
