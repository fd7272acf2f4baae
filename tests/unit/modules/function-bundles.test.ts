import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { App, TerraformStack } from "cdktf";
import { unzipSync } from "fflate";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { BUNDLE_MODULE, bundleHandler, bundleHandlers, type BundleRequest } from "../../../modules/bundle.js";
import { FunctionBundles } from "../../../modules/function-bundles.js";
import { NodeFunction } from "../../../modules/node-function.js";

describe("FunctionBundles: an app's Lambda bundles, built together at synth", () => {
  const dir = mkdtempSync(join(tmpdir(), "sia-function-bundles-"));
  const handler = (name: string, body = `'${name}'`) => {
    const entry = join(dir, `${name}.ts`);
    writeFileSync(entry, `export const handler = async () => ({ statusCode: 200, body: ${body} });\n`);
    return entry;
  };

  /** A fresh app whose every esbuild call is recorded (the entries of each batch). */
  function countedApp() {
    const outdir = mkdtempSync(join(dir, "out-"));
    const buildDir = mkdtempSync(join(dir, "build-"));
    const app = new App({ outdir });
    const batches: string[][] = [];
    FunctionBundles.install(app, (requests: readonly BundleRequest[]) => {
      batches.push(requests.map((r) => r.entry));
      return bundleHandlers(requests);
    });
    const stack = (id: string) => {
      const s = new TerraformStack(app, id);
      new AwsProvider(s, "aws", { region: "us-east-1" });
      return s;
    };
    const fn = (scope: TerraformStack, name: string, entry: string) =>
      new NodeFunction(scope, name, { entry, functionName: name, buildDir });
    return { app, outdir, buildDir, batches, stack, fn };
  }

  /** Each function of a synthesized stack: its source_code_hash and the zip copied next to the stack. */
  function shipped(outdir: string, stackName: string) {
    const stackDir = join(outdir, "stacks", stackName);
    const json = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8"));
    return Object.values(json.resource.aws_lambda_function as Record<string, { function_name: string; filename: string; source_code_hash: string }>).map(
      (f) => ({ name: f.function_name, hash: f.source_code_hash, zip: readFileSync(join(stackDir, f.filename)) }),
    );
  }
  const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("base64");
  const moduleText = (zip: Uint8Array) => Buffer.from(unzipSync(zip)[BUNDLE_MODULE]!).toString("utf8");

  it("builds the functions of two stacks with one esbuild call", () => {
    const t = countedApp();
    t.fn(t.stack("first"), "alpha", handler("alpha"));
    t.fn(t.stack("second"), "beta", handler("beta"));
    expect(t.batches).to.deep.equal([]);
    t.app.synth();
    expect(t.batches).to.deep.equal([[join(dir, "alpha.ts"), join(dir, "beta.ts")]]);
  });

  it("ships in every stack the zip whose base64 SHA-256 is the function's source_code_hash", () => {
    const t = countedApp();
    const alpha = t.fn(t.stack("first"), "alpha", handler("alpha"));
    t.fn(t.stack("second"), "beta", handler("beta"));
    t.app.synth();
    const functions = [...shipped(t.outdir, "first"), ...shipped(t.outdir, "second")];
    expect(functions.map((f) => f.name)).to.deep.equal(["alpha", "beta"]);
    for (const f of functions) {
      expect(f.hash, f.name).to.equal(sha256(f.zip));
      expect(moduleText(f.zip), f.name).to.include(`"${f.name}"`);
    }
    expect(alpha.sourceCodeHash).to.equal(functions[0]!.hash);
  });

  it("creates no zip and no asset before the bundles are built: nothing stale or unbuilt can be copied", () => {
    const t = countedApp();
    const alpha = t.fn(t.stack("first"), "alpha", handler("alpha"));
    expect(existsSync(join(t.buildDir, "alpha.zip"))).to.equal(false);
    expect(alpha.node.tryFindChild("bundle")).to.equal(undefined);
    t.app.synth();
    expect(existsSync(join(t.buildDir, "alpha.zip"))).to.equal(true);
    expect(alpha.node.tryFindChild("bundle")).not.to.equal(undefined);
  });

  it("builds a function constructed after a batch ran in the next batch, with its own code", () => {
    const t = countedApp();
    const alpha = t.fn(t.stack("first"), "alpha", handler("alpha"));
    const alphaHash = alpha.sourceCodeHash; // forces the first batch
    t.fn(t.stack("second"), "late", handler("late"));
    t.app.synth();
    expect(t.batches).to.deep.equal([[join(dir, "alpha.ts")], [join(dir, "late.ts")]]);
    const [late] = shipped(t.outdir, "second");
    expect(late!.hash).to.equal(sha256(late!.zip)).and.not.to.equal(alphaHash);
    expect(moduleText(late!.zip)).to.include('"late"');
    expect(shipped(t.outdir, "first")[0]!.hash).to.equal(alphaHash);
  });

  it("builds an entry shared by several functions once, and gives each function its zip", () => {
    const t = countedApp();
    const shared = handler("shared");
    const stack = t.stack("first");
    t.fn(stack, "one", shared);
    t.fn(stack, "two", shared);
    t.app.synth();
    const [one, two] = shipped(t.outdir, "first");
    expect(one!.zip.equals(two!.zip)).to.equal(true);
    expect(t.batches).to.have.length(1);
    expect(readFileSync(join(t.buildDir, "one.zip")).equals(readFileSync(join(t.buildDir, "two.zip")))).to.equal(true);
  });

  it("fails synth naming the construct path and the entry of a handler that does not build, and only that one", () => {
    const t = countedApp();
    t.fn(t.stack("first"), "fine", handler("fine"));
    t.fn(t.stack("second"), "broken", handler("broken", "("));
    const message = (() => {
      try {
        t.app.synth();
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error("synth did not fail");
    })();
    expect(message).to.match(/^NodeFunction 'second\/broken': its handler .*broken\.ts does not build: Build failed with 1 error/);
    expect(message).not.to.include("fine");
  });

  it("refuses two functions of one app writing one zip from different entries", () => {
    const t = countedApp();
    t.fn(t.stack("first"), "same", handler("alpha"));
    expect(() => t.fn(t.stack("second"), "same", handler("beta"))).to.throw(
      /^NodeFunction 'second\/same': its zip .*same\.zip is also written by NodeFunction 'first\/same' from another entry/,
    );
  });

  it("fails loudly when a stack is written without the aspect that creates the bundle's asset", () => {
    const t = countedApp();
    const stack = t.stack("first");
    t.fn(stack, "alpha", handler("alpha"));
    expect(() => stack.toTerraform()).to.throw(/NodeFunction 'first\/alpha': its bundle's asset was never created/);
  });

  it("refuses to install bundles for an app that already has functions", () => {
    const t = countedApp();
    t.fn(t.stack("first"), "alpha", handler("alpha"));
    expect(() => FunctionBundles.install(t.app, bundleHandlers)).to.throw(/install before constructing any NodeFunction/);
  });

  it("bundles each entry of a batch to the bytes a build of it alone gives", () => {
    const entries = [handler("solo-a"), handler("solo-b", "JSON.stringify({ b: true })")];
    const batch = bundleHandlers(entries.map((entry, i) => ({ entry, zipPath: join(dir, `batch-${i}.zip`) })));
    entries.forEach((entry, i) => {
      const alone = bundleHandler(entry, join(dir, `alone-${i}.zip`));
      expect(readFileSync(batch[i]!.zipPath).equals(readFileSync(alone.zipPath)), entry).to.equal(true);
      expect(batch[i]!.sourceCodeHash).to.equal(alone.sourceCodeHash);
    });
  });
});
