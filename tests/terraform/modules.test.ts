import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect } from "chai";
import pLimit from "p-limit";
import { providerUnavailableReason, TerraformCommandError } from "../../terraform/cli.js";
import { TERRAFORM_MODULES_DIR, terraformExampleDirs, terraformModuleNames } from "../../terraform/modules.js";
import { terraformOrSkip } from "./terraform-fixture.js";

/** What a Terraform step ended with: its output, the reason it was skipped, or its error. */
type Outcome = { output: string } | { skipped: string } | { error: unknown };

/**
 * The committed modules, checked by Terraform itself on a copy (the working tree is never
 * written): every module passes its own `terraform test` (mocked provider), every example
 * validates. Steps run two at a time: each holds an aws provider in memory.
 */
describe("Terraform modules in modules/terraform", function () {
  this.timeout(600_000);
  let root: string;
  const outcomes = new Map<string, Promise<Outcome>>();

  before(async function () {
    const cli = await terraformOrSkip(this);
    root = mkdtempSync(join(tmpdir(), "sia-modules-"));
    cpSync(TERRAFORM_MODULES_DIR, root, { recursive: true, filter: (src) => !/\.terraform/.test(src) });
    const broken = `${root}-broken`;
    const limit = pLimit(2);
    // Every init first: without a provider mirror, an init rewrites the plugin cache that a
    // running `terraform test` reads its provider from.
    const initialized = new Map<string, Promise<Outcome>>();
    const init = (dir: string): Promise<Outcome> => {
      const outcome = cli.run(["init", "-input=false", "-no-color", "-backend=false"], dir).then(
        (output) => ({ output }),
        (error: unknown) => {
          const reason = providerUnavailableReason(error);
          return reason ? { skipped: reason } : { error };
        },
      );
      initialized.set(dir, outcome);
      return outcome;
    };
    const step = (dir: string, args: string[]): Promise<Outcome> =>
      limit(async () => {
        const ready = await initialized.get(dir)!;
        if (!("output" in ready)) return ready;
        return cli.run(args, dir).then((output) => ({ output }), (error: unknown) => ({ error }));
      });
    // A copy whose internal API has an open method: its own tests must catch that.
    cpSync(root, broken, { recursive: true });
    const main = join(broken, "internal-api", "main.tf");
    writeFileSync(main, readFileSync(main, "utf8").replace('authorization    = "AWS_IAM"', 'authorization    = "NONE"'));
    const dirs = [...terraformModuleNames(root).map((name) => join(root, name)), ...terraformExampleDirs(root).map((e) => join(root, e)), join(broken, "internal-api")];
    for (const dir of dirs) await init(dir);
    for (const name of terraformModuleNames(root)) outcomes.set(`test ${name}`, step(join(root, name), ["test", "-no-color"]));
    for (const example of terraformExampleDirs(root)) outcomes.set(`validate ${example}`, step(join(root, example), ["validate", "-no-color"]));
    outcomes.set("broken", step(join(broken, "internal-api"), ["test", "-no-color"]));
    outcomes.set("fmt", cli.run(["fmt", "-check", "-diff", "-recursive", "-no-color", TERRAFORM_MODULES_DIR, resolve("examples")], resolve(".")).then((output) => ({ output }), (error: unknown) => ({ error })));
  });
  after(() => {
    if (!root) return;
    rmSync(root, { recursive: true, force: true });
    rmSync(`${root}-broken`, { recursive: true, force: true });
  });

  const settle = async (context: Mocha.Context, key: string): Promise<string> => {
    const outcome = await outcomes.get(key)!;
    if ("skipped" in outcome) {
      console.log(`      skipped: ${outcome.skipped}`);
      context.skip();
    }
    if ("error" in outcome) throw outcome.error;
    return (outcome as { output: string }).output;
  };

  it("are formatted as terraform fmt writes them (modules, examples, the estate)", async function () {
    await settle(this, "fmt");
  });

  for (const name of terraformModuleNames()) {
    it(`${name}: passes its own terraform test with a mocked provider`, async function () {
      expect(await settle(this, `test ${name}`)).to.match(/Success! \d+ passed, 0 failed/);
    });
  }

  for (const example of terraformExampleDirs()) {
    it(`${example}: validates`, async function () {
      expect(await settle(this, `validate ${example}`)).to.match(/Success! The configuration is valid/);
    });
  }

  it("internal-api: its tests fail when a method is not AWS_IAM (they can catch a regression)", async function () {
    const outcome = await outcomes.get("broken")!;
    if ("skipped" in outcome) this.skip();
    expect(outcome).to.have.property("error").that.is.instanceOf(TerraformCommandError);
    expect(((outcome as { error: TerraformCommandError }).error).output).to.match(/run "every_method_is_aws_iam"\.\.\. fail/);
  });
});
