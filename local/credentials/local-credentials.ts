import { randomBytes } from "node:crypto";
import type { CallerPrincipal } from "../auth/caller-principal.js";
import type { KnownCredentials } from "../auth/sigv4-verifier.js";
import type { RoleModel } from "../model.js";

/** One role session's credentials, as written to `.local/credentials.json`. */
export interface RoleCredentials {
  readonly roleArn: string;
  /** `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`: who API Gateway sees. */
  readonly principalArn: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
}

const KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/**
 * Visibly fake: AWS's key ids start with `AKIA` (long-term) or `ASIA` (STS) and secret scanners
 * flag `(AKIA|ASIA)[0-9A-Z]{16}`, so a local key id, 20 characters like AWS's, starts with
 * `LOCALFAKE` and can never be mistaken for (or reported as) a leaked AWS key.
 */
const LOCAL_KEY_ID_PREFIX = "LOCALFAKE";

function randomKeyId(): string {
  return `${LOCAL_KEY_ID_PREFIX}${[...randomBytes(11)].map((b) => KEY_ALPHABET[b % 32]).join("")}`;
}

/** `arn:aws:iam::ACCT:role/path/NAME` -> `arn:aws:sts::ACCT:assumed-role/NAME/SESSION` (the path is dropped, as STS does). */
export function assumedRoleArn(role: Pick<RoleModel, "arn" | "name" | "accountId">, session: string): string {
  return `arn:aws:sts::${role.accountId}:assumed-role/${role.name}/${session}`;
}

/** Who a session of `role`, issued now, is to API Gateway and IAM (`$context.identity.caller`, `aws:userid`, `aws:PrincipalTag/…`). */
export function sessionPrincipal(
  role: Pick<RoleModel, "arn" | "name" | "accountId" | "uniqueId" | "tags">,
  session: string,
  orgId: string | undefined,
): CallerPrincipal {
  return {
    arn: assumedRoleArn(role, session),
    roleArn: role.arn,
    accountId: role.accountId,
    userId: `${role.uniqueId}:${session}`,
    tokenIssuedAt: new Date(),
    tags: role.tags,
    ...(orgId !== undefined ? { orgId } : {}),
  };
}

/**
 * The local STS: fresh random credentials per role session at every start, and the lookup the
 * SigV4 verifier uses. Secrets live only in memory, in the Lambda instances' environment and in
 * the credentials file; they are never logged.
 */
export class LocalCredentialStore {
  private readonly byAccessKey = new Map<string, KnownCredentials>();

  /** @param organizationOf the AWS Organizations id of an account's principals (`aws:PrincipalOrgID`), if any */
  constructor(private readonly organizationOf: (accountId: string) => string | undefined = () => undefined) {}

  /** Issues credentials for a session of `role`. */
  issue(role: Pick<RoleModel, "arn" | "name" | "accountId" | "uniqueId" | "tags">, session: string): RoleCredentials {
    const credentials: RoleCredentials = {
      roleArn: role.arn,
      principalArn: assumedRoleArn(role, session),
      accessKeyId: randomKeyId(),
      secretAccessKey: randomBytes(30).toString("base64"),
      sessionToken: randomBytes(96).toString("base64"),
    };
    this.byAccessKey.set(credentials.accessKeyId, {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
      principal: sessionPrincipal(role, session, this.organizationOf(role.accountId)),
    });
    return credentials;
  }

  /** What the verifier knows about an access key. */
  readonly lookup = (accessKeyId: string): KnownCredentials | undefined => this.byAccessKey.get(accessKeyId);
}
