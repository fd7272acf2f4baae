import type { User } from "./contract.js";

/**
 * The users service's store. In-memory on purpose: the architecture is about the call path, not
 * persistence. Each warm Lambda instance has its own copy; swap in DynamoDB for real data.
 */
export class UserStore {
  private readonly users = new Map<string, User>();

  constructor(seed: readonly User[] = SEED_USERS) {
    for (const user of seed) this.users.set(user.id, user);
  }

  get(id: string): User | undefined {
    return this.users.get(id);
  }

  /** Creates or replaces the record of `user.id`. */
  put(user: User): User {
    this.users.set(user.id, user);
    return user;
  }
}

export const SEED_USERS: readonly User[] = [
  // Their ids are the local user pool's subs for them (local/issuer/local-users.ts).
  { id: "8f6d2c1e-3a4b-4c5d-9e6f-a1d0a1d01001", name: "Ada Lovelace", email: "ada@example.com" },
  { id: "2b7e4f90-5c6d-4e8f-a1b2-a1a0a1a01002", name: "Alan Turing", email: "alan@example.com" },
];
