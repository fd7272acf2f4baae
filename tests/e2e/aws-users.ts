import { randomBytes } from "node:crypto";
import { decodeJwt } from "jose";
import { throwawayEmail, type E2eUser, type E2eUserPool } from "./end-users.js";

/**
 * The deployed user pool: throwaway users created with Cognito's admin APIs and signed in through
 * the opt-in test app client (`ADMIN_USER_PASSWORD_AUTH`), deleted on `close`. Needs the
 * deploying account's credentials with cognito-idp:AdminCreateUser, AdminSetUserPassword,
 * AdminInitiateAuth and AdminDeleteUser on the pool.
 */
export async function awsUserPool(region: string, poolId: string, testClientId: string): Promise<E2eUserPool> {
  const cognito = await import("@aws-sdk/client-cognito-identity-provider");
  const client = new cognito.CognitoIdentityProviderClient({ region });
  const created: string[] = [];
  // Meets the pool's policy (14+ characters of four kinds); never printed or kept beyond sign-in.
  const password = () => `Aa1!${randomBytes(18).toString("base64url")}`;
  return {
    issuer: `https://cognito-idp.${region}.amazonaws.com/${poolId}`,
    async signIn(label): Promise<E2eUser> {
      const email = throwawayEmail(label);
      await client.send(
        new cognito.AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: email,
          MessageAction: "SUPPRESS",
          UserAttributes: [
            { Name: "email", Value: email },
            { Name: "email_verified", Value: "true" },
          ],
        }),
      );
      created.push(email);
      const secret = password();
      await client.send(new cognito.AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: email, Password: secret, Permanent: true }));
      const auth = await client.send(
        new cognito.AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: testClientId, AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: { USERNAME: email, PASSWORD: secret } }),
      );
      const idToken = auth.AuthenticationResult?.IdToken;
      const accessToken = auth.AuthenticationResult?.AccessToken;
      if (!idToken || !accessToken) throw new Error(`signing in ${email} returned no tokens (challenge ${auth.ChallengeName ?? "none"})`);
      return { sub: String(decodeJwt(idToken).sub), email, idToken, accessToken };
    },
    // Cognito's shortest token lifetime is five minutes; the suite does not wait that long.
    expiredIdToken: async () => ({ skip: "target aws: Cognito tokens live at least 5 minutes, so the suite cannot hold an expired one" }),
    async close() {
      await Promise.allSettled(created.map((email) => client.send(new cognito.AdminDeleteUserCommand({ UserPoolId: poolId, Username: email }))));
      created.length = 0;
      client.destroy();
    },
  };
}
