import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { exportModules } from "../../modules/export/export.js";
import { providerUnavailableReason, TerraformCommandError, type TerraformCli } from "../../terraform/cli.js";
import { terraformOrSkip } from "./terraform-fixture.js";

/** `terraform init`, skipping the test (saying why) when the provider cannot be had. */
async function initOrSkip(context: Mocha.Context, cli: TerraformCli, dir: string): Promise<void> {
  try {
    await cli.run(["init", "-input=false", "-no-color", "-backend=false"], dir);
  } catch (error) {
    const reason = providerUnavailableReason(error);
    if (!reason) throw error;
    console.log(`      skipped: ${reason}`);
    context.skip();
  }
}

describe("exported Terraform modules, checked by Terraform", function () {
  this.timeout(180_000);
  let root: string;

  before(() => {
    root = mkdtempSync(join(tmpdir(), "sia-modules-"));
    exportModules(root);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  for (const name of ["internal-api", "public-api", "node-function"]) {
    it(`${name}: is formatted as terraform fmt writes it, validates, and passes its own terraform test`, async function () {
      const cli = await terraformOrSkip(this);
      const dir = join(root, name);
      await cli.run(["fmt", "-check", "-diff", "-recursive", "-no-color"], dir);
      await initOrSkip(this, cli, dir);
      await cli.run(["validate", "-no-color"], dir);
      const output = await cli.run(["test", "-no-color"], dir);
      expect(output).to.match(/Success! \d+ passed, 0 failed/);
    });
  }

  it("internal-api: its tests fail when a method is not AWS_IAM (the tests can catch a regression)", async function () {
    const cli = await terraformOrSkip(this);
    const dir = join(root, "internal-api-broken");
    cpSync(join(root, "internal-api"), dir, { recursive: true });
    const main = readFileSync(join(dir, "main.tf"), "utf8");
    expect(main).to.include('authorization = "AWS_IAM"');
    writeFileSync(join(dir, "main.tf"), main.replace('authorization = "AWS_IAM"', 'authorization = "NONE"'));
    await initOrSkip(this, cli, dir);
    const failure = await cli.run(["test", "-no-color", "-filter=tests/security.tftest.hcl"], dir).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).to.be.instanceOf(TerraformCommandError);
    expect((failure as TerraformCommandError).output).to.match(/run "every_method_is_aws_iam"\.\.\. fail/);
  });
});
