import { Construct } from "constructs";
import { CognitoUserPool, CognitoUserPoolClient } from "./aws-provider-classes.js";

/** Token lifetimes of the public app client. */
export interface TokenLifetimes {
  /** ID and access token lifetime in minutes (5 to 1440). @default 15 */
  readonly accessAndIdMinutes?: number;
  /** Refresh token lifetime in hours (1 to 87600). @default 12 */
  readonly refreshHours?: number;
}

/** Props of {@link UserPool}. */
export interface UserPoolProps {
  /** The user pool's name; the app clients are named `<name>-public` and `<name>-e2e-test`. */
  readonly name: string;
  /**
   * Refuse deleting the pool (and every user in it) until this is switched off and applied.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Let anyone sign up with Cognito's `SignUp` API (email verified by code); off means only
   * administrators create users.
   * @default true
   */
  readonly selfSignUp?: boolean;
  /** Lifetimes of the public client's tokens. @default 15-minute ID and access tokens, 12-hour refresh tokens */
  readonly tokenLifetimes?: TokenLifetimes;
  /**
   * Add an app client for the end-to-end suite that allows `ADMIN_USER_PASSWORD_AUTH`, so the
   * suite can create a throwaway user and sign it in with Cognito's admin APIs. Never in production.
   * @default false
   */
  readonly testClient?: boolean;
}

/**
 * The password policy: 14 characters of four kinds. NIST SP 800-63B favours length over
 * composition; Cognito can only enforce both, so the length does most of the work.
 */
export const PASSWORD_POLICY = {
  minimumLength: 14,
  requireLowercase: true,
  requireUppercase: true,
  requireNumbers: true,
  requireSymbols: true,
  temporaryPasswordValidityDays: 3,
} as const;

/**
 * A Cognito user pool where people sign in with their email address: a strong password policy,
 * optional TOTP MFA (never SMS: no SIM-swap path, no SMS role), email-only account recovery, no
 * user-existence leaks, and deletion protection. Its public app client has no secret and allows
 * only SRP sign-in and refresh, with short token lifetimes and token revocation.
 */
export class UserPool extends Construct {
  /** The pool's id, `<region>_<id>`: the last segment of the tokens' `iss`. */
  readonly userPoolId: string;
  /** The pool's ARN, which a `COGNITO_USER_POOLS` authorizer names as its provider. */
  readonly userPoolArn: string;
  /** The public app client's id: the `aud` of its ID tokens, the `client_id` of its access tokens. */
  readonly publicClientId: string;
  /** The end-to-end test client's id, when `testClient` is on. */
  readonly testClientId?: string;
  /** Every client whose ID tokens the public API accepts (the public client, and the test client when there is one). */
  readonly clientIds: readonly string[];
  readonly pool: CognitoUserPool;
  readonly publicClient: CognitoUserPoolClient;

  constructor(scope: Construct, id: string, props: UserPoolProps) {
    super(scope, id);
    const owner = `UserPool '${this.node.path}'`;
    if (!/^[\w\s+=,.@-]{1,128}$/.test(props.name)) throw new Error(`${owner}: name '${props.name}' must be 1-128 word characters, spaces or +=,.@-.`);
    const minutes = props.tokenLifetimes?.accessAndIdMinutes ?? 15;
    const refreshHours = props.tokenLifetimes?.refreshHours ?? 12;
    if (!Number.isInteger(minutes) || minutes < 5 || minutes > 1440) {
      throw new Error(`${owner}: accessAndIdMinutes ${minutes} must be an integer from 5 to 1440 (Cognito's range).`);
    }
    if (!Number.isInteger(refreshHours) || refreshHours < 1 || refreshHours > 87600) {
      throw new Error(`${owner}: refreshHours ${refreshHours} must be an integer from 1 to 87600 (Cognito's range).`);
    }

    this.pool = new CognitoUserPool(this, "pool", {
      name: props.name,
      usernameAttributes: ["email"],
      autoVerifiedAttributes: ["email"],
      usernameConfiguration: { caseSensitive: false },
      passwordPolicy: { ...PASSWORD_POLICY },
      mfaConfiguration: "OPTIONAL",
      softwareTokenMfaConfiguration: { enabled: true },
      accountRecoverySetting: { recoveryMechanism: [{ name: "verified_email", priority: 1 }] },
      adminCreateUserConfig: { allowAdminCreateUserOnly: !(props.selfSignUp ?? true) },
      deletionProtection: (props.deletionProtection ?? true) ? "ACTIVE" : "INACTIVE",
      schema: [{ name: "email", attributeDataType: "String", required: true, mutable: true, stringAttributeConstraints: { minLength: "3", maxLength: "254" } }],
    });

    const tokenSettings = {
      accessTokenValidity: minutes,
      idTokenValidity: minutes,
      refreshTokenValidity: refreshHours,
      tokenValidityUnits: [{ accessToken: "minutes", idToken: "minutes", refreshToken: "hours" }],
      enableTokenRevocation: true,
      // Sign-in failures never say whether the email has an account.
      preventUserExistenceErrors: "ENABLED",
      supportedIdentityProviders: ["COGNITO"],
      generateSecret: false,
      readAttributes: ["email", "email_verified"],
      writeAttributes: ["email"],
    };
    this.publicClient = new CognitoUserPoolClient(this, "public-client", {
      name: `${props.name}-public`,
      userPoolId: this.pool.id,
      // SRP never sends the password; refresh keeps sessions short-lived without re-entering it.
      explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      ...tokenSettings,
    });
    this.userPoolId = this.pool.id;
    this.userPoolArn = this.pool.arn;
    this.publicClientId = this.publicClient.id;

    if (props.testClient) {
      const testClient = new CognitoUserPoolClient(this, "e2e-test-client", {
        name: `${props.name}-e2e-test`,
        userPoolId: this.pool.id,
        // AdminInitiateAuth needs IAM credentials (cognito-idp:AdminInitiateAuth), not just the client id.
        explicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        ...tokenSettings,
      });
      this.testClientId = testClient.id;
    }
    this.clientIds = this.testClientId ? [this.publicClientId, this.testClientId] : [this.publicClientId];
  }
}
