import { expect } from "chai";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeVariantStack } from "../../../bench/hop/variant-stacks.js";

const method = (api: string, authorization: string) => ({ authorization, http_method: "GET", rest_api_id: `\${aws_api_gateway_rest_api.${api}.id}` });

/** The shape of the reference stack: a public API (NONE, with its own policy) and an IAM-only internal one. */
const stack = () => ({
  terraform: {},
  resource: {
    aws_api_gateway_rest_api: {
      public_api: { name: "public", policy: "{\"public\":true}" },
      users_api: { name: "users" },
    },
    aws_api_gateway_rest_api_policy: {
      users_policy: { rest_api_id: "${aws_api_gateway_rest_api.users_api.id}", policy: "{}" },
    },
    aws_api_gateway_method: {
      public_get: method("public_api", "NONE"),
      users_get: method("users_api", "AWS_IAM"),
      users_post: method("users_api", "AWS_IAM"),
    },
    aws_lambda_function: {
      profile: { function_name: "sia-profile", filename: "assets/profile/sia-profile.zip" },
      users: { function_name: "sia-users", filename: "assets/users/sia-users.zip" },
    },
  },
});

describe("bench-only variants of the synthesized stack", () => {
  let work: string;
  let stackDir: string;
  const resourcesOf = (dir: string) => JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")).resource;

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), "bench-variants-test-"));
    stackDir = join(work, "stack");
    mkdirSync(stackDir);
    writeFileSync(join(stackDir, "cdk.tf.json"), JSON.stringify(stack()));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it("takes IAM off the internal API: its methods become NONE and its resource policy goes", () => {
    const resources = resourcesOf(writeVariantStack(stackDir, join(work, "out"), { withoutIam: true }));
    expect(resources.aws_api_gateway_method.users_get.authorization).to.equal("NONE");
    expect(resources.aws_api_gateway_method.users_post.authorization).to.equal("NONE");
    expect(resources.aws_api_gateway_rest_api_policy).to.deep.equal({});
  });

  it("leaves the other APIs and their policies alone", () => {
    const resources = resourcesOf(writeVariantStack(stackDir, join(work, "out"), { withoutIam: true }));
    expect(resources.aws_api_gateway_method.public_get.authorization).to.equal("NONE");
    expect(resources.aws_api_gateway_rest_api.public_api.policy).to.equal("{\"public\":true}");
  });

  it("points every function at its zip by absolute path, so the copy runs the same bytes", () => {
    const resources = resourcesOf(writeVariantStack(stackDir, join(work, "out"), { withoutIam: false }));
    expect(resources.aws_lambda_function.users.filename).to.equal(join(stackDir, "assets/users/sia-users.zip"));
    expect(resources.aws_api_gateway_method.users_get.authorization).to.equal("AWS_IAM");
  });

  it("gives a function another zip when asked, and only that function", () => {
    const resources = resourcesOf(writeVariantStack(stackDir, join(work, "out"), { withoutIam: true, replaceZips: { "sia-profile": "/tmp/unsigned.zip" } }));
    expect(resources.aws_lambda_function.profile.filename).to.equal("/tmp/unsigned.zip");
    expect(resources.aws_lambda_function.users.filename).to.equal(join(stackDir, "assets/users/sia-users.zip"));
  });

  it("never changes the stack it copies", () => {
    const before = readFileSync(join(stackDir, "cdk.tf.json"), "utf8");
    writeVariantStack(stackDir, join(work, "out"), { withoutIam: true, replaceZips: { "sia-profile": "/tmp/unsigned.zip" } });
    expect(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")).to.equal(before);
  });

  it("fails on a function the stack does not have", () => {
    expect(() => writeVariantStack(stackDir, join(work, "out"), { withoutIam: false, replaceZips: { "sia-nope": "/tmp/x.zip" } })).to.throw(/no function 'sia-nope'/);
  });

  it("fails when there is no IAM to take off, rather than measuring the same stack twice", () => {
    const json = stack();
    json.resource.aws_api_gateway_method.users_get.authorization = "NONE";
    json.resource.aws_api_gateway_method.users_post.authorization = "NONE";
    writeFileSync(join(stackDir, "cdk.tf.json"), JSON.stringify(json));
    expect(() => writeVariantStack(stackDir, join(work, "out"), { withoutIam: true })).to.throw(/no AWS_IAM method/);
  });
});
