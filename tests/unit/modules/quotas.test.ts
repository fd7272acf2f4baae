import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { AssumableRole } from "../../../modules/assumable-role.js";
import { InternalApi } from "../../../modules/internal-api.js";
import { NodeFunction } from "../../../modules/node-function.js";
import { QUOTAS } from "../../../modules/quotas.js";
import type { HttpMethod, Route, RouteTarget } from "../../../modules/routes.js";

/**
 * Each quota on both sides of its limit, on generated construct trees. The sizes the constructs
 * must respect are computed here independently: the synthesized document with every reference
 * replaced by the longest value it can take in us-east-1, counted as AWS counts it.
 */

const buildDir = mkdtempSync(join(tmpdir(), "sia-quota-fn-"));
const EXECUTION_ARN = "arn:aws:execute-api:us-east-1:123456789012:abcdefghij";
const FUNCTION_ARN = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

/** The applied worst case of synthesized text; any other reference fails the test (it would need a bound here). */
function applied(text: string): string {
  const out = text
    .replace(/\$\{aws_api_gateway_rest_api\.[\w-]+\.execution_arn\}/g, EXECUTION_ARN)
    .replace(/\$\{local\.[\w-]+\}/g, "123456789012");
  expect(out, "a reference this test cannot bound").not.to.match(/\$\{/);
  return out;
}

/** A stand-in route target, so no bundle is built: only its name reaches the permission. */
function target(name: string): RouteTarget {
  return { functionName: name, invokeArn: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${FUNCTION_ARN(name)}/invocations`, node: { path: `test/${name}` } };
}

function newStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), "test");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  return stack;
}

/** `count` literal routes /r000… of one method. */
function routes(count: number, fn: RouteTarget, method: HttpMethod = "GET", prefix = "r"): Route[] {
  return Array.from({ length: count }, (_, i) => ({ method, path: `/${prefix}${String(i).padStart(3, "0")}`, function: fn }));
}

/** Synth with validations: the error message, or undefined when it passes. */
function validationError(stack: TerraformStack): string | undefined {
  try {
    Testing.synth(stack, true);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Each case's independently measured size against what synth said: within the limit it passes,
 * over it it fails with every `expected(size)` fragment in the message; both sides must occur.
 */
function expectBothSides(limit: number, results: ReadonlyArray<{ size: number; error?: string }>, expected: (size: number) => string[]): void {
  expect(results.some((r) => r.size <= limit), "a case within the quota").to.equal(true);
  expect(results.some((r) => r.size > limit), "a case over the quota").to.equal(true);
  for (const { size, error } of results) {
    if (size <= limit) expect(error, `size ${size}`).to.equal(undefined);
    else for (const fragment of [...expected(size), `by ${size - limit}`]) expect(error, `size ${size}`).to.include(fragment);
  }
}

/** Lambda's stored policy for the synthesized permissions of `functionName`, in bytes. */
function lambdaPolicyBytes(json: any, functionName: string): number {
  const statements = Object.values(json.resource.aws_lambda_permission as Record<string, any>)
    .filter((p) => p.function_name === functionName)
    .map((p) => ({
      Sid: `${p.statement_id_prefix}${"0".repeat(26)}`,
      Effect: "Allow",
      Principal: { Service: "apigateway.amazonaws.com" },
      Action: "lambda:InvokeFunction",
      Resource: FUNCTION_ARN(functionName),
      Condition: { ArnLike: { "AWS:SourceArn": applied(p.source_arn) } },
    }));
  return Buffer.byteLength(JSON.stringify({ Version: "2012-10-17", Id: "default", Statement: statements }));
}

describe("AWS quotas at synth", () => {
  describe("Lambda function resource-based policy (20 KB)", () => {
    /** One function serves `count` GET routes; another serves one GET and one POST, so no compact form exists. */
    function mixedApi(count: number) {
      const stack = newStack();
      const busy = target("busy");
      const other = target("other");
      new InternalApi(stack, "svc", { name: "svc", routes: [...routes(count, busy), { method: "GET", path: "/zzz", function: other }, { method: "POST", path: "/zzz", function: busy }] });
      return stack;
    }

    it("passes a function whose exact permissions fit, and fails the next route over, naming the function and the excess", () => {
      const limit = QUOTAS.lambdaResourcePolicy.limit;
      const results = [55, 56, 57, 58, 59, 60, 61, 62].map((count) => {
        const stack = mixedApi(count);
        return { size: lambdaPolicyBytes(JSON.parse(Testing.synth(stack)), "busy"), error: validationError(stack) };
      });
      expectBothSides(limit, results, (bytes) => ["function 'test/busy'", "Lambda function resource-based policy size", `would be ${bytes} bytes`, "Fix:"]);
    });

    it("never widens: a function over the quota with no equivalent compact form keeps one permission per route", () => {
      const stack = mixedApi(80);
      const json = JSON.parse(Testing.synth(stack));
      const sources = Object.values(json.resource.aws_lambda_permission as Record<string, any>).filter((p) => p.function_name === "busy").map((p) => applied(p.source_arn));
      expect(sources).to.have.length(81);
      expect(sources.every((s) => !s.endsWith("/*"))).to.equal(true);
      expect(validationError(stack)).to.include("Lambda function resource-based policy size");
    });

    it("keeps exact per-route permissions while they fit, even when a compact form exists", () => {
      const stack = newStack();
      new InternalApi(stack, "svc", { name: "svc", routes: routes(10, target("all")) });
      const json = JSON.parse(Testing.synth(stack, true));
      expect(Object.keys(json.resource.aws_lambda_permission)).to.have.length(10);
    });

    it("uses one permission for the stage when the function serves every route of the API", () => {
      const stack = newStack();
      const all = target("all");
      new InternalApi(stack, "svc", { name: "svc", routes: [...routes(150, all), ...routes(150, all, "POST")] });
      const json = JSON.parse(Testing.synth(stack, true));
      const permissions = Object.values(json.resource.aws_lambda_permission as Record<string, any>);
      expect(permissions.map((p) => applied(p.source_arn))).to.deep.equal([`${EXECUTION_ARN}/v1/*/*`]);
    });

    it("uses one permission per method when the function serves every route of that method, and exact ones for the rest", () => {
      const stack = newStack();
      const busy = target("busy");
      new InternalApi(stack, "svc", {
        name: "svc",
        routes: [...routes(100, busy), { method: "POST", path: "/r000", function: busy }, { method: "POST", path: "/r001", function: target("other") }],
      });
      const json = JSON.parse(Testing.synth(stack, true));
      const sources = Object.values(json.resource.aws_lambda_permission as Record<string, any>)
        .map((p) => `${p.function_name} ${applied(p.source_arn).slice(EXECUTION_ARN.length)}`)
        .sort();
      expect(sources).to.deep.equal(["busy /v1/GET/*", "busy /v1/POST/r000", "other /v1/POST/r001"]);
    });
  });

  describe("IAM role inline policies (10,240 characters without whitespace)", () => {
    function grantedRole(count: number) {
      const stack = newStack();
      const api = new InternalApi(stack, "svc", { name: "svc", routes: routes(Math.max(count, 1), target("fn")) });
      const role = new AssumableRole(stack, "caller", { roleName: "caller", trustedAccountId: "123456789012" });
      for (let i = 0; i < count; i++) api.grantInvoke(role, "GET", `/r${String(i).padStart(3, "0")}`);
      return stack;
    }

    it("passes a role whose inline policies fit and fails one over, naming the role, its policies and the excess", () => {
      const limit = QUOTAS.iamRoleInlinePolicies.limit;
      const results = [70, 74, 78, 82, 86, 90, 94, 98].map((count) => {
        const stack = grantedRole(count);
        const json = JSON.parse(Testing.synth(stack));
        const size = Object.values(json.resource.aws_iam_role_policy as Record<string, any>)
          .map((p) => applied(p.policy).replace(/\s/g, "").length)
          .reduce((a, b) => a + b, 0);
        return { size, error: validationError(stack) };
      });
      expectBothSides(limit, results, (characters) => ["AssumableRole 'test/caller'", "IAM role policy size", `would be ${characters} characters`]);
    });
  });

  describe("API Gateway resource policy (8,192 characters)", () => {
    it("passes a resource policy that fits and fails one over, naming the API", () => {
      const limit = QUOTAS.restApiResourcePolicy.limit;
      const results = [120, 200, 280, 360, 440, 520, 600, 700].map((accounts) => {
        const stack = newStack();
        const allowedAccountIds = Array.from({ length: accounts }, (_, i) => String(100000000000 + i));
        new InternalApi(stack, "svc", { name: "svc", routes: routes(1, target("fn")), allowedAccountIds });
        const json = JSON.parse(Testing.synth(stack));
        const policy = Object.values(json.resource.aws_api_gateway_rest_api_policy as Record<string, any>)[0].policy as string;
        return { size: applied(policy).length, error: validationError(stack) };
      });
      expectBothSides(limit, results, () => ["InternalApi 'svc': its resource policy"]);
    });
  });

  describe("Lambda environment variables (4 KB)", () => {
    it("passes an environment that fits and fails one over, counting an API URL at its longest", () => {
      const limit = QUOTAS.lambdaEnvironment.limit;
      const url = "https://abcdefghij.execute-api.us-east-1.amazonaws.com.cn/v1";
      const results = [3900, 3950, 3980, 4000, 4020, 4050].map((padding) => {
        const stack = newStack();
        const api = new InternalApi(stack, "svc", { name: "svc", routes: routes(1, target("fn")) });
        const environment = { USERS_API_URL: api.url, PADDING: "x".repeat(padding) };
        new NodeFunction(stack, "caller", { entry: "lambdas/profile/handler.ts", functionName: "caller", environment, buildDir });
        return { size: Buffer.byteLength(JSON.stringify({ ...environment, USERS_API_URL: url })), error: validationError(stack) };
      });
      expectBothSides(limit, results, () => ["NodeFunction 'test/caller': its environment variables (USERS_API_URL, PADDING)"]);
    });
  });

  describe("API Gateway resources per API (300)", () => {
    it("accepts 299 paths plus the root and refuses 300, naming the API", () => {
      expect(() => new InternalApi(newStack(), "svc", { name: "svc", routes: routes(299, target("fn")) })).not.to.throw();
      expect(() => new InternalApi(newStack(), "svc", { name: "svc", routes: routes(300, target("fn")) })).to.throw(
        /test\/svc: its route table \(300 routes\) needs resources for 300 paths plus the root, which would be 301 resources, over the "API Gateway resources per API" quota of 300 by 1/,
      );
    });

    it("counts shared path prefixes once", () => {
      const fn = target("fn");
      const nested = Array.from({ length: 400 }, (_, i) => ({ method: "GET" as const, path: `/a/${i % 2 ? "x" : "y"}${Math.floor(i / 2) % 149}`, function: fn }));
      const unique = [...new Map(nested.map((r) => [r.path, r])).values()];
      // /a, then 298 distinct children: 299 paths plus the root.
      expect(() => new InternalApi(newStack(), "svc", { name: "svc", routes: unique })).not.to.throw();
    });
  });
});
