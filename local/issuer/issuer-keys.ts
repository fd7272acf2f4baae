import { chmodSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JSONWebKeySet, type JWK } from "jose";
import { writePrivateFile } from "../credentials/private-file.js";

/**
 * The issuer's RS256 signing keys, one per user pool as in Cognito, kept in the state dir so that
 * tokens minted by `npm run token` verify in a running (or restarted) offline mode.
 */

/** The file beside outputs.json and credentials.json; private keys, so mode 0600. */
export const ISSUER_KEYS_FILE = "issuer-keys.json";

/** One pool's key: the private key to sign, the public JWK the pool's JWKS serves. */
export interface PoolKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

type StoredKeys = Record<string, JWK>;

/** Thrown when the key file exists but cannot be used; never carries key material. */
export class IssuerKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IssuerKeyError";
  }
}

function publicPart(jwk: JWK): JWK {
  const { kty, n, e, kid } = jwk;
  return { kty, n, e, kid, alg: "RS256", use: "sig" };
}

async function toPoolKey(poolId: string, jwk: JWK): Promise<PoolKey> {
  if (jwk.kty !== "RSA" || typeof jwk.d !== "string" || typeof jwk.kid !== "string") {
    throw new IssuerKeyError(`the issuer key of pool ${poolId} is not an RSA private JWK with a kid`);
  }
  return { kid: jwk.kid, privateKey: (await importJWK(jwk, "RS256")) as CryptoKey, publicJwk: publicPart(jwk) };
}

async function newPrivateJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  // Cognito's kid is opaque; the RFC 7638 thumbprint is stable and unique per key.
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: "RS256" };
}

function readStored(file: string): StoredKeys {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
    return parsed as StoredKeys;
  } catch {
    throw new IssuerKeyError(`${file} is not a JSON object of pool keys: delete it and start again (tokens it signed stop verifying)`);
  }
}

/** Writes the key file only its owner can read, atomically (a reader never sees half a file). */
function writeStored(file: string, keys: StoredKeys): void {
  writePrivateFile(file, `${JSON.stringify(keys, null, 2)}\n`);
}

/**
 * The keys of these pools: read from `<stateDir>/issuer-keys.json` when there, created (and
 * written) for pools that have none. Without a state dir the keys live in memory only.
 */
export async function openPoolKeys(poolIds: readonly string[], stateDir?: string): Promise<Map<string, PoolKey>> {
  const file = stateDir === undefined ? undefined : join(stateDir, ISSUER_KEYS_FILE);
  const stored: StoredKeys = file && existsSync(file) ? readStored(file) : {};
  let changed = false;
  for (const poolId of poolIds) {
    if (stored[poolId] === undefined) {
      stored[poolId] = await newPrivateJwk();
      changed = true;
    }
  }
  if (file && changed) writeStored(file, stored);
  else if (file && existsSync(file)) chmodSync(file, 0o600); // tighten a file someone loosened
  const keys = new Map<string, PoolKey>();
  for (const poolId of poolIds) keys.set(poolId, await toPoolKey(poolId, stored[poolId]!));
  return keys;
}

/** Reads existing keys only (the token CLI must not invent a key the gateway does not know). */
export async function readPoolKey(poolId: string, stateDir: string): Promise<PoolKey> {
  const file = join(stateDir, ISSUER_KEYS_FILE);
  if (!existsSync(file)) throw new IssuerKeyError(`${file} does not exist: start the offline mode (npm start) first`);
  const jwk = readStored(file)[poolId];
  if (!jwk) throw new IssuerKeyError(`${file} has no key for pool ${poolId}: restart the offline mode (npm start)`);
  return toPoolKey(poolId, jwk);
}

/** A pool's JWKS document, as Cognito serves it at `<issuer>/.well-known/jwks.json`. */
export function jwksOf(key: PoolKey): JSONWebKeySet {
  return { keys: [key.publicJwk] };
}
