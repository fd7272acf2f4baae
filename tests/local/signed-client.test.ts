import { expect } from "chai";
import { HTTPError } from "got";
import { createSignedGot } from "../../lambdas/lib/signed-got.js";
import { SEEDED_POOL_USERS } from "../../local/issuer/local-users.js";
import { startOfflineMode, type OfflineMode } from "../../local/offline-mode.js";

/**
 * The project's signed client against the offline mode's verifier: both claim to follow SigV4 for
 * execute-api, so every request the client signs must verify. A signature error here is a real
 * bug in one of them.
 */
describe("offline mode: createSignedGot's signatures verify", function () {
  this.timeout(30_000);
  let offline: OfflineMode;
  let users: ReturnType<typeof createSignedGot>;

  before(async () => {
    offline = await startOfflineMode({ port: 0, quiet: true, throttling: false });
    const role = offline.credentials["sia-profile-role"]!;
    users = createSignedGot({
      prefixUrl: offline.outputs.users_api_url,
      region: offline.model.region,
      credentials: { accessKeyId: role.accessKeyId, secretAccessKey: role.secretAccessKey, sessionToken: role.sessionToken },
      retry: { limit: 0 },
      throwHttpErrors: false,
    });
  });
  after(() => offline?.close());

  /** Status and error type of a signed GET; the profile role may GET /users/*, so only signing can fail. */
  async function signedGet(path: string, searchParams?: string | Record<string, string>): Promise<string> {
    try {
      const res = await users.get(path, { searchParams });
      return `${res.statusCode} ${res.headers["x-amzn-errortype"] ?? ""}`.trim();
    } catch (error) {
      if (error instanceof HTTPError) return `${error.response.statusCode}`;
      throw error;
    }
  }

  const paths = [`users/${SEEDED_POOL_USERS[0]!.sub}`, "users/a%20b", `users/${encodeURIComponent("ü")}`, "users/a+b", "users/~x_y.z", "users/%2A", "users/a%2Fb"];
  for (const path of paths) {
    it(`signs the path ${path}`, async () => {
      expect(await signedGet(path)).to.match(/^(200|400|404)$/);
    });
  }

  const queries: Array<string | Record<string, string>> = [
    { a: "1 2" },
    "a=2&a=1&b=",
    "q=%2F&r=%20&s=+",
    { key: "ü/é?&=" },
    "flag",
    { "!'()*": "!'()*" },
  ];
  for (const query of queries) {
    it(`signs the query ${JSON.stringify(query)}`, async () => {
      expect(await signedGet(`users/${SEEDED_POOL_USERS[0]!.sub}`, query)).to.equal("200");
    });
  }

  it("signs a PUT body (and is denied by IAM, not by the signature check)", async () => {
    const res = await users.put(`users/${SEEDED_POOL_USERS[0]!.sub}`, { json: { name: "x", email: "x@example.com" } });
    expect(res.statusCode).to.equal(403);
    expect(res.headers["x-amzn-errortype"]).to.equal("AccessDeniedException");
  });
});
