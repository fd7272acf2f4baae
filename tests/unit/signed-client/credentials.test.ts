import { expect } from "chai";
import { RequestError } from "got";
import { createSignedGot, defaultCredentials, ERROR_CODES, memoizeCredentials } from "../../../lambdas/lib/index.js";
import type { Credentials } from "../../../lambdas/lib/index.js";
import { useCaptureServer } from "./support/capture-server.js";
import { T0, testOptions } from "./support/fixtures.js";
import { verifyCaptured } from "./support/reference-verifier.js";

const MINUTE = 60_000;

describe("signed client: credentials", () => {
  const server = useCaptureServer();

  it("refreshes expiring credentials before they expire, and signs with the new ones", async () => {
    let clock = T0;
    let issued = 0;
    const provider = async (): Promise<Credentials> => {
      issued += 1;
      return { accessKeyId: `AKID${issued}`, secretAccessKey: `secret-${issued}`, expiration: new Date(clock + 15 * MINUTE) };
    };
    const client = createSignedGot(testOptions({ credentials: provider, now: () => clock }));

    await client.get(`${server.url}/`);
    clock += 9 * MINUTE; // 6 minutes left: still cached
    await client.get(`${server.url}/`);
    clock += 2 * MINUTE; // 4 minutes left: inside the refresh margin
    await client.get(`${server.url}/`);

    expect(issued).to.equal(2);
    const keys = server.requests.map((request) => verifyCaptured(request, request === server.requests[2] ? "secret-2" : "secret-1"));
    expect(keys.map((one) => one.accessKeyId)).to.deep.equal(["AKID1", "AKID1", "AKID2"]);
    expect(keys.every((one) => one.valid)).to.equal(true);
  });

  it("shares one fetch between concurrent requests", async () => {
    let issued = 0;
    const provider = async (): Promise<Credentials> => {
      issued += 1;
      await new Promise((resolve) => setImmediate(resolve));
      return { accessKeyId: "AKID", secretAccessKey: "s" };
    };
    const client = createSignedGot(testOptions({ credentials: provider }));
    await Promise.all([client.get(`${server.url}/a`), client.get(`${server.url}/b`), client.get(`${server.url}/c`)]);
    expect(issued).to.equal(1);
  });

  it("does not cache a failed fetch", async () => {
    let calls = 0;
    const cached = memoizeCredentials(async () => {
      calls += 1;
      if (calls === 1) throw new Error("metadata service unavailable");
      return { accessKeyId: "AKID", secretAccessKey: "s" };
    }, () => T0);
    await cached().then(
      () => expect.fail("the first fetch fails"),
      (error: Error) => expect(error.message).to.contain("unavailable"),
    );
    expect((await cached()).accessKeyId).to.equal("AKID");
  });

  it("fails the request clearly when the provider returns no keys, sending nothing", async () => {
    const client = createSignedGot(testOptions({ credentials: async () => ({ accessKeyId: "", secretAccessKey: "" }) }));
    const error = await client.get(`${server.url}/`).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(RequestError).with.property("code", ERROR_CODES.credentials);
    expect(server.requests).to.have.length(0);
  });

  it("in Lambda, reads the role's credentials from the environment", async () => {
    const provider = defaultCredentials({
      AWS_LAMBDA_FUNCTION_NAME: "users",
      AWS_ACCESS_KEY_ID: "ASIALAMBDA",
      AWS_SECRET_ACCESS_KEY: "lambda-secret",
      AWS_SESSION_TOKEN: "lambda-token",
    });
    expect(await provider()).to.deep.equal({ accessKeyId: "ASIALAMBDA", secretAccessKey: "lambda-secret", sessionToken: "lambda-token" });
  });

  it("outside Lambda, loads the SDK's default chain on first use (here: its environment step)", async () => {
    const saved = { ...process.env };
    try {
      delete process.env["AWS_PROFILE"];
      process.env["AWS_ACCESS_KEY_ID"] = "AKIDFROMCHAIN";
      process.env["AWS_SECRET_ACCESS_KEY"] = "chain-secret";
      const credentials = await defaultCredentials({})();
      expect(credentials.accessKeyId).to.equal("AKIDFROMCHAIN");
    } finally {
      for (const key of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
      if (saved["AWS_PROFILE"] !== undefined) process.env["AWS_PROFILE"] = saved["AWS_PROFILE"];
    }
  });
});
