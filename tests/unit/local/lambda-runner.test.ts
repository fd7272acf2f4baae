import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { LambdaRunner } from "../../../local/runner/lambda-runner.js";
import { LAMBDA_SYNC_PAYLOAD_LIMIT_BYTES, type InvokeOutcome } from "../../../local/runner/lambda-instance.js";
import { fixtureFunction, writeFixtureZips } from "./fixtures/functions.js";
import { isRunning, waitUntilGone } from "./process-helpers.js";

const CREDENTIALS = { accessKeyId: "ASIAFIXTUREKEY", secretAccessKey: "fixture-secret", sessionToken: "fixture-token" };
const ctx = { awsRequestId: "req-1" };

function resultBody(outcome: InvokeOutcome): Record<string, unknown> {
  if (outcome.kind !== "result") throw new Error(`expected a result, got ${JSON.stringify(outcome)}`);
  return JSON.parse((outcome.payload as { body: string }).body) as Record<string, unknown>;
}

describe("LambdaRunner", function () {
  this.timeout(20_000);
  let zips: ReturnType<typeof writeFixtureZips>;
  let runner: LambdaRunner;
  const logged: string[] = [];

  before(() => {
    zips = writeFixtureZips();
    process.env.SIA_TEST_PARENT_SECRET = "must-not-leak";
    runner = new LambdaRunner({
      functions: [
        fixtureFunction(zips.zip, "echo", { environment: { GREETING: "hello" } }),
        fixtureFunction(zips.zip, "sleep", { memoryMb: 256 }),
        fixtureFunction(zips.zip, "hang", { timeoutSeconds: 1 }),
        fixtureFunction(zips.zip, "crash"),
        fixtureFunction(zips.zip, "fail"),
        fixtureFunction(zips.zip, "callback"),
        fixtureFunction(zips.zip, "sized", { memoryMb: 256 }),
        fixtureFunction(zips.brokenZip, "handler", { name: "fx-broken" }),
        fixtureFunction(zips.zip, "sleep", { name: "fx-capped" }),
      ],
      region: "eu-west-1",
      credentialsFor: () => CREDENTIALS,
      maxInstancesPerFunction: 3,
      log: (line) => logged.push(line),
    });
  });
  after(async () => {
    delete process.env.SIA_TEST_PARENT_SECRET;
    await runner.close();
    zips.cleanup();
  });

  it("runs the handler with the function's environment and its role's credentials, not the gateway's environment", async () => {
    const body = resultBody(await runner.invoke("fx-echo", { hello: "world" }, ctx));
    expect(body.env).to.deep.equal({
      AWS_REGION: "eu-west-1",
      AWS_ACCESS_KEY_ID: "ASIAFIXTUREKEY",
      AWS_LAMBDA_FUNCTION_NAME: "fx-echo",
      GREETING: "hello",
      HOME_LEAK: null,
    });
    expect(body.event).to.deep.equal({ hello: "world" });
    expect(body.context).to.include({ functionName: "fx-echo", awsRequestId: "req-1" });
    expect((body.context as { remaining: number }).remaining).to.be.within(1, 5000);
    expect(body.pid).to.not.equal(process.pid);
  });

  it("reuses a warm instance for sequential invocations", async () => {
    const first = resultBody(await runner.invoke("fx-echo", {}, ctx));
    const second = resultBody(await runner.invoke("fx-echo", {}, ctx));
    expect(second.pid).to.equal(first.pid);
    expect(runner.pids()["fx-echo"]).to.have.length(1);
  });

  it("starts one instance per concurrent invocation", async () => {
    const outcomes = await Promise.all([1, 2, 3].map(() => runner.invoke("fx-sleep", { ms: 300 }, ctx)));
    const pids = outcomes.map((o) => (o.kind === "result" ? (o.payload as { body: string }).body : "none"));
    expect(new Set(pids).size).to.equal(3);
  });

  it("queues invocations beyond the instance cap instead of starting more", async () => {
    const outcomes = await Promise.all([1, 2, 3, 4, 5].map(() => runner.invoke("fx-capped", { ms: 150 }, ctx)));
    expect(outcomes.every((o) => o.kind === "result")).to.equal(true);
    expect(runner.pids()["fx-capped"]).to.have.length(3);
  });

  it("kills an instance that runs past the function's timeout and reports a timeout", async () => {
    const outcome = runner.invoke("fx-hang", {}, ctx);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const [pid] = runner.pids()["fx-hang"]!;
    expect(await outcome).to.deep.equal({ kind: "timeout" });
    expect(await waitUntilGone([pid!])).to.deep.equal([]);
  });

  it("reports a crash when the instance exits mid-invocation, and starts a fresh one next time", async () => {
    const outcome = await runner.invoke("fx-crash", {}, ctx);
    expect(outcome.kind).to.equal("crash");
    expect(runner.pids()["fx-crash"]).to.have.length(0);
    expect((await runner.invoke("fx-crash", {}, ctx)).kind).to.equal("crash");
  });

  it("reports a handler error and keeps the instance warm", async () => {
    const outcome = await runner.invoke("fx-fail", {}, ctx);
    expect(outcome).to.deep.equal({ kind: "error", errorType: "TypeError", errorMessage: "boom" });
    const [pid] = runner.pids()["fx-fail"]!;
    await runner.invoke("fx-fail", {}, ctx);
    expect(runner.pids()["fx-fail"]).to.deep.equal([pid]);
  });

  describe("Lambda's 6 MB synchronous response limit (6291556 bytes of serialized result)", () => {
    // The result is {"statusCode":200,"body":"…"}: 29 bytes around the body.
    const ENVELOPE = Buffer.byteLength(JSON.stringify({ statusCode: 200, body: "" }));

    it("returns a result of exactly the limit", async () => {
      const outcome = await runner.invoke("fx-sized", { text: "a", count: LAMBDA_SYNC_PAYLOAD_LIMIT_BYTES - ENVELOPE }, ctx);
      expect(outcome.kind).to.equal("result");
    });

    it("reports Function.ResponseSizeTooLarge one byte over it", async () => {
      const outcome = await runner.invoke("fx-sized", { text: "a", count: LAMBDA_SYNC_PAYLOAD_LIMIT_BYTES - ENVELOPE + 1 }, ctx);
      expect(outcome).to.deep.equal({
        kind: "error",
        errorType: "Function.ResponseSizeTooLarge",
        errorMessage: "Response payload size exceeded maximum allowed payload size (6291556 bytes).",
      });
    });

    it("counts bytes, not characters: 3.2 million 'é' are 6.4 MB", async () => {
      const outcome = await runner.invoke("fx-sized", { text: "é", count: 3_200_000 }, ctx);
      expect(outcome).to.have.property("errorType", "Function.ResponseSizeTooLarge");
    });
  });

  it("supports callback-style handlers", async () => {
    const outcome = await runner.invoke("fx-callback", {}, ctx);
    expect(outcome).to.deep.equal({ kind: "result", payload: { statusCode: 201, body: "from a callback" } });
  });

  it("reports an init failure as a crash", async () => {
    const outcome = await runner.invoke("fx-broken", {}, ctx);
    expect(outcome.kind).to.equal("crash");
    expect((outcome as { detail: string }).detail).to.contain("init exploded");
  });

  it("answers a crash for a function it does not know", async () => {
    expect((await runner.invoke("nope", {}, ctx)).kind).to.equal("crash");
  });

  it("prefixes each output line of a function with its name", () => {
    expect(logged.some((line) => line.startsWith("[fx-broken] "))).to.equal(true);
  });

  it("stops every instance on close", async () => {
    const own = new LambdaRunner({ functions: [fixtureFunction(zips.zip, "sleep")], region: "eu-west-1", credentialsFor: () => CREDENTIALS, log: () => undefined });
    await Promise.all([1, 2].map(() => own.invoke("fx-sleep", { ms: 100 }, ctx)));
    const pids = own.pids()["fx-sleep"]!;
    expect(pids).to.have.length(2);
    expect(pids.every(isRunning)).to.equal(true);
    await own.close();
    expect(pids.filter(isRunning)).to.deep.equal([]);
  });

  it("leaves no orphan when the process that owns the runner is killed with SIGKILL, even one spinning in synchronous code", async () => {
    const host = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./fixtures/runner-host.ts", import.meta.url)), zips.zip], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const firstLine = await new Promise<string>((resolve, reject) => {
      createInterface({ input: host.stdout! }).once("line", resolve);
      host.once("exit", (code) => reject(new Error(`runner host exited early (${code})`)));
    });
    const { pids, workDir } = JSON.parse(firstLine) as { pids: number[]; workDir: string };
    expect(pids).to.have.length(3);
    host.kill("SIGKILL");
    try {
      expect(await waitUntilGone(pids)).to.deep.equal([]);
    } finally {
      // A SIGKILLed owner cannot clean up after itself.
      rmSync(workDir, { recursive: true, force: true });
    }
  });
});
