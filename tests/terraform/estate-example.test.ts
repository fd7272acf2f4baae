import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect } from "chai";
import { bundleHandler } from "../../modules/bundle.js";
import { TERRAFORM_MODULES_DIR } from "../../terraform/modules.js";
import { planOffline } from "../../terraform/plan.js";
import { skipWhen, terraformOrSkip } from "./terraform-fixture.js";

/**
 * The estate example runs against a copy laid out like the repository (examples/terraform-estate
 * beside modules/terraform and .build/functions), so the working tree is never written to.
 */
describe("examples/terraform-estate", function () {
  this.timeout(180_000);
  let root: string;
  let estate: string;

  before(() => {
    root = mkdtempSync(join(tmpdir(), "sia-estate-"));
    const noState = (src: string) => !/\.terraform|tfstate/.test(src);
    cpSync(TERRAFORM_MODULES_DIR, join(root, "modules/terraform"), { recursive: true, filter: noState });
    estate = join(root, "examples/terraform-estate");
    mkdirSync(estate, { recursive: true });
    cpSync(resolve("examples/terraform-estate"), estate, { recursive: true, filter: noState });
    // The example's default zips are the ones `npm run synth` builds.
    bundleHandler(resolve("lambdas/users/handler.ts"), join(root, ".build/functions/sia-users.zip"));
    bundleHandler(resolve("lambdas/profile/handler.ts"), join(root, ".build/functions/sia-profile.zip"));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it("validates and plans offline: an internal API, two functions, the users table and one grant each", async function () {
    const cli = await terraformOrSkip(this);
    const result = await planOffline(cli, estate, { overrideBackend: false });
    skipWhen(this, result);
    if (result.status !== "planned") return;
    const addresses = result.resources.map((r) => r.address);
    expect(addresses).to.include.members([
      "module.users_api.aws_api_gateway_rest_api.this",
      'module.users_api.module.routes.aws_api_gateway_method.route["GET /users/{id}"]',
      'module.users_api.module.routes.aws_api_gateway_method.route["POST /users"]',
      'module.users_api.aws_iam_role_policy.grant["profile"]',
      "module.users.aws_lambda_function.this",
      "module.profile.aws_lambda_function.this",
      "module.users_table.aws_dynamodb_table.this",
      'module.users_table.aws_iam_role_policy.grant["users"]',
    ]);
    expect(addresses.filter((a) => a.includes("aws_iam_role_policy.grant["))).to.have.length(2);
    for (const method of result.resources.filter((r) => r.type === "aws_api_gateway_method")) {
      expect(method.after.authorization, method.address).to.equal("AWS_IAM");
    }
    expect(result.resources.every((r) => r.actions.join(",") === "create")).to.equal(true);
  });

  it("passes its terraform test with a mocked provider", async function () {
    const cli = await terraformOrSkip(this);
    // init ran in the plan test; run it again so this test stands alone.
    await cli.run(["init", "-input=false", "-no-color"], estate);
    const output = await cli.run(["test", "-no-color"], estate);
    expect(output).to.match(/Success! \d+ passed, 0 failed/);
  });
});
