import { expect } from "chai";
import { type ApiContext, type AuthorizeDependencies, authorizeAnonymousRequest, authorizeIamRequest, requestArn } from "../../../local/auth/authorize.js";
import { type NamedPolicy, parsePolicyDocument } from "../../../local/auth/iam-policy.js";
import type { KnownCredentials } from "../../../local/auth/sigv4-verifier.js";
import { CALLER, REGION, SIGNED_AT, lookupOf, signAsClient, withHeader } from "./signing-client.js";

const USERS_API: ApiContext = { region: REGION, accountId: "111111111111", apiId: "usersapi01", stage: "prod" };
const USERS_ARN = "arn:aws:execute-api:eu-west-1:111111111111:usersapi01";
/** As API Gateway shows it in a 403: the account masked to its last four digits. */
const USERS_ARN_MASKED = "arn:aws:execute-api:eu-west-1:********1111:usersapi01";

const PARTNER: KnownCredentials = {
  accessKeyId: "FAKEPARTNERCALLER001",
  secretAccessKey: "partner/secret/key/0123456789abcdefghijkl",
  sessionToken: "partner-session-token",
  principal: {
    arn: "arn:aws:sts::222222222222:assumed-role/partner/partner-session",
    roleArn: "arn:aws:iam::222222222222:role/partner",
    accountId: "222222222222",
    userId: "AROAPARTNER:partner-session",
    tokenIssuedAt: new Date("2015-08-30T12:00:00Z"),
    tags: {},
  },
};

function policy(name: string, statements: unknown[]): NamedPolicy {
  return { source: name, document: parsePolicyDocument({ Version: "2012-10-17", Statement: statements }, "identity") };
}

function resourcePolicy(document: unknown): NamedPolicy {
  return { source: "aws_api_gateway_rest_api_policy.users", document: parsePolicyDocument(document, "resource") };
}

const GRANTS: Record<string, NamedPolicy[]> = {
  [CALLER.principal.roleArn]: [
    policy("profile-fn/invoke-users", [{ Effect: "Allow", Action: "execute-api:Invoke", Resource: `${USERS_ARN}/prod/GET/users/*` }]),
    policy("profile-fn/no-delete", [{ Effect: "Deny", Action: "execute-api:Invoke", Resource: `${USERS_ARN}/*/DELETE/*` }]),
  ],
  [PARTNER.principal.roleArn]: [policy("partner/invoke", [{ Effect: "Allow", Action: "execute-api:Invoke", Resource: "arn:aws:execute-api:*:111111111111:usersapi01/*" }])],
};

const deps: AuthorizeDependencies = {
  now: () => SIGNED_AT,
  lookupCredentials: lookupOf(CALLER, PARTNER),
  identityPolicies: (roleArn) => GRANTS[roleArn] ?? [],
};

describe("local auth: authorize an API Gateway request", () => {
  it("builds the request ARN from stage, method and the path after the stage", () => {
    expect(requestArn(USERS_API, { method: "GET", resourcePath: "/users/42" })).to.equal(`${USERS_ARN}/prod/GET/users/42`);
    expect(requestArn(USERS_API, { method: "GET", resourcePath: "/" })).to.equal(`${USERS_ARN}/prod/GET/`);
  });

  it("allows a signed caller with a grant and returns its principal", async () => {
    const result = await authorizeIamRequest(await signAsClient({ path: "/prod/users/42" }), { method: "GET", resourcePath: "/users/42" }, USERS_API, deps);
    expect(result.ok, result.reason).to.equal(true);
    if (result.ok) {
      expect(result.principal).to.deep.equal(CALLER.principal);
      expect(result.accessKeyId).to.equal(CALLER.accessKeyId);
    }
  });

  it("passes signature errors through unchanged", async () => {
    const req = withHeader(await signAsClient({ path: "/prod/users/42" }), "authorization", undefined);
    const result = await authorizeIamRequest(req, { method: "GET", resourcePath: "/users/42" }, USERS_API, deps);
    expect(result.ok).to.equal(false);
    if (!result.ok) expect(result.error.errorType).to.equal("MissingAuthenticationTokenException");
  });

  it("denies a signed caller without a grant, naming its session and the request ARN", async () => {
    const result = await authorizeIamRequest(await signAsClient({ method: "POST", path: "/prod/users" }), { method: "POST", resourcePath: "/users" }, USERS_API, deps);
    expect(result.ok).to.equal(false);
    if (!result.ok) {
      expect(result.error.statusCode).to.equal(403);
      expect(result.error.errorType).to.equal("AccessDeniedException");
      expect(result.error.body).to.deep.equal({
        Message: `User: ${CALLER.principal.arn} is not authorized to perform: execute-api:Invoke on resource: ${USERS_ARN_MASKED}/prod/POST/users`,
      });
    }
  });

  it("adds 'with an explicit deny' when a Deny statement decided", async () => {
    const result = await authorizeIamRequest(await signAsClient({ method: "DELETE", path: "/prod/users/42" }), { method: "DELETE", resourcePath: "/users/42" }, USERS_API, deps);
    expect(result.ok).to.equal(false);
    if (!result.ok) {
      expect(result.error.body.Message).to.match(/ with an explicit deny$/);
      expect(result.reason).to.include("profile-fn/no-delete statement 0");
    }
  });

  it("denies another account's role that only its own account allows", async () => {
    const req = await signAsClient({ path: "/prod/users/42", credentials: PARTNER });
    const result = await authorizeIamRequest(req, { method: "GET", resourcePath: "/users/42" }, USERS_API, deps);
    expect(result.ok).to.equal(false);
    if (!result.ok) expect(result.reason).to.match(/cross-account call: the resource policy does not allow/);
  });

  it("allows another account's role once the resource policy names it too", async () => {
    const api: ApiContext = {
      ...USERS_API,
      resourcePolicy: resourcePolicy(
        { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: PARTNER.principal.roleArn }, Action: "execute-api:Invoke", Resource: "execute-api:/prod/GET/users/*" }] },
      ),
    };
    const req = await signAsClient({ path: "/prod/users/42", credentials: PARTNER });
    const result = await authorizeIamRequest(req, { method: "GET", resourcePath: "/users/42" }, api, deps);
    expect(result.ok, result.reason).to.equal(true);
  });

  it("evaluates a method without IAM auth against the resource policy as anonymous", () => {
    const api: ApiContext = {
      ...USERS_API,
      resourcePolicy: resourcePolicy(
        { Statement: [{ Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*", Condition: { IpAddress: { "aws:SourceIp": "127.0.0.0/8" } } }] },
      ),
    };
    expect(authorizeAnonymousRequest({ method: "GET", resourcePath: "/health", sourceIp: "::ffff:127.0.0.1" }, api).ok).to.equal(true);
    const denied = authorizeAnonymousRequest({ method: "GET", resourcePath: "/health", sourceIp: "192.0.2.1" }, api);
    expect(denied.ok).to.equal(false);
    if (!denied.ok) expect(denied.error.body.Message).to.equal(`User: anonymous is not authorized to perform: execute-api:Invoke on resource: ${USERS_ARN_MASKED}/prod/GET/health`);
  });
});
