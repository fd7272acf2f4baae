import { randomBytes } from "node:crypto";
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

  create(fields: Omit<User, "id">): User {
    const user = { id: `u-${randomBytes(6).toString("hex")}`, ...fields };
    this.users.set(user.id, user);
    return user;
  }
}

export const SEED_USERS: readonly User[] = [
  { id: "u-1001", name: "Ada Lovelace", email: "ada@example.com" },
  { id: "u-1002", name: "Alan Turing", email: "alan@example.com" },
];
