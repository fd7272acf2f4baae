import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { JSONWebKeySet } from "jose";
import type { UserPoolClientModel, UserPoolModel } from "../model.js";
import { mintCognitoToken, type TokenUse } from "./cognito-tokens.js";
import { jwksOf, openPoolKeys, readPoolKey, type PoolKey } from "./issuer-keys.js";
import { poolUserFor } from "./local-users.js";

/**
 * The user pools' stand-in: each pool's key and JWKS, and tokens for its users. Tokens carry the
 * real issuer name, `https://cognito-idp.<region>.amazonaws.com/<pool id>`; its JWKS is served by
 * the gateway at `<endpoint>/cognito-idp/<pool id>/.well-known/jwks.json` (ISSUER_BASE_PATH
 * stands in for the `https://cognito-idp.<region>.amazonaws.com` origin).
 */

/** Where the gateway serves each pool's issuer documents. */
export const ISSUER_BASE_PATH = "/cognito-idp";
/** What the offline mode writes for `npm run token`: pools, their clients and JWKS URLs. */
export const USER_POOLS_FILE = "user-pools.json";

/** One pool as the token CLI needs it. */
export interface PoolDescriptor {
  readonly id: string;
  readonly issuer: string;
  readonly jwksUrl: string;
  /** In declaration order; the first is the default client. */
  readonly clients: ReadonlyArray<Pick<UserPoolClientModel, "id" | "name" | "idTokenSeconds" | "accessTokenSeconds">>;
}

export interface MintOptions {
  readonly email: string;
  /** @default "id" */
  readonly use?: TokenUse;
  /** @default the client's configured lifetime */
  readonly expiresInSeconds?: number;
  /** @default the only pool */
  readonly poolId?: string;
  /** @default the pool's first client */
  readonly clientId?: string;
  readonly scopes?: readonly string[];
  readonly issuedAt?: Date;
}

/** Thrown for a token request that names no pool or client of the stack; the CLI prints the message. */
export class TokenRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TokenRequestError";
  }
}

function jwksPathOf(poolId: string): string {
  return `${ISSUER_BASE_PATH}/${poolId}/.well-known/jwks.json`;
}

/** Picks the pool and client of a token request, or says why it cannot. */
function pick(pools: readonly PoolDescriptor[], options: MintOptions): { pool: PoolDescriptor; client: PoolDescriptor["clients"][number] } {
  if (pools.length === 0) throw new TokenRequestError("the stack has no Cognito user pool");
  const pool = options.poolId === undefined ? (pools.length === 1 ? pools[0] : undefined) : pools.find((p) => p.id === options.poolId);
  if (!pool) {
    throw new TokenRequestError(
      options.poolId === undefined ? `the stack has several user pools: pass --pool-id (${pools.map((p) => p.id).join(", ")})` : `'${options.poolId}' is not a user pool of the stack (${pools.map((p) => p.id).join(", ")})`,
    );
  }
  const client = options.clientId === undefined ? pool.clients[0] : pool.clients.find((c) => c.id === options.clientId);
  if (!client) throw new TokenRequestError(`'${options.clientId ?? ""}' is not an app client of pool ${pool.id} (${pool.clients.map((c) => `${c.id} ${c.name}`).join(", ") || "none"})`);
  return { pool, client };
}

function checkLifetime(seconds: number | undefined): void {
  if (seconds !== undefined && (!Number.isInteger(seconds) || seconds < -86400 || seconds > 86400)) {
    throw new TokenRequestError(`expires-in ${seconds} must be a whole number of seconds within a day (negative for an already expired token)`);
  }
}

/** Mints a token with a pool key: shared by the running issuer and the token CLI. */
async function mint(pools: readonly PoolDescriptor[], keyOf: (poolId: string) => Promise<PoolKey>, options: MintOptions): Promise<string> {
  checkLifetime(options.expiresInSeconds);
  const { pool, client } = pick(pools, options);
  const use = options.use ?? "id";
  if (options.scopes !== undefined && use !== "access") throw new TokenRequestError("scopes belong to access tokens: add --access");
  return mintCognitoToken(await keyOf(pool.id), {
    issuer: pool.issuer,
    clientId: client.id,
    user: poolUserFor(options.email),
    use,
    lifetimeSeconds: options.expiresInSeconds ?? (use === "id" ? client.idTokenSeconds : client.accessTokenSeconds),
    scopes: options.scopes,
    issuedAt: options.issuedAt,
  });
}

export class LocalIssuer {
  private constructor(
    private readonly descriptors: readonly PoolDescriptor[],
    private readonly keys: ReadonlyMap<string, PoolKey>,
  ) {
    // One JWKS object per pool for the issuer's life: the gateway caches its imported keys by it.
    this.keySets = new Map([...keys].map(([poolId, key]) => [poolId, jwksOf(key)]));
  }

  private readonly keySets: ReadonlyMap<string, JSONWebKeySet>;

  /** Opens (or creates) the keys of every pool; with a state dir, writes `user-pools.json` for the CLI. */
  static async open(pools: Iterable<UserPoolModel>, endpoint: string, stateDir?: string): Promise<LocalIssuer> {
    const descriptors = [...pools].map(
      (pool): PoolDescriptor => ({
        id: pool.id,
        issuer: pool.issuer,
        jwksUrl: `${endpoint}${jwksPathOf(pool.id)}`,
        clients: [...pool.clients.values()].map(({ id, name, idTokenSeconds, accessTokenSeconds }) => ({ id, name, idTokenSeconds, accessTokenSeconds })),
      }),
    );
    if (stateDir !== undefined) mkdirSync(stateDir, { recursive: true });
    const keys = await openPoolKeys(descriptors.map((d) => d.id), stateDir);
    if (stateDir !== undefined) writeFileSync(join(stateDir, USER_POOLS_FILE), `${JSON.stringify(descriptors, null, 2)}\n`);
    return new LocalIssuer(descriptors, keys);
  }

  get pools(): readonly PoolDescriptor[] {
    return this.descriptors;
  }

  /** The JWKS of a pool, or undefined for an id that is not one. */
  jwks(poolId: string): JSONWebKeySet | undefined {
    return this.keySets.get(poolId);
  }

  mint(options: MintOptions): Promise<string> {
    return mint(this.descriptors, async (poolId) => this.keys.get(poolId)!, options);
  }
}

/** Mints from the files a running offline mode wrote (`npm run token`), without starting one. */
export async function mintFromStateDir(stateDir: string, options: MintOptions): Promise<string> {
  let pools: PoolDescriptor[];
  try {
    pools = JSON.parse(readFileSync(join(stateDir, USER_POOLS_FILE), "utf8")) as PoolDescriptor[];
  } catch {
    throw new TokenRequestError(`no offline mode has written ${join(stateDir, USER_POOLS_FILE)}: start it (npm start) first`);
  }
  return mint(pools, (poolId) => readPoolKey(poolId, stateDir), options);
}
