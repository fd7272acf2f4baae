import { expect } from "chai";
import { deploymentTrigger, synthInternalApi, synthWarnings } from "./small-stack.js";
import type { Route } from "../../../modules/routes.js";

const GET = (fn: Route["function"]): Route => ({ method: "GET", path: "/items/{id}", function: fn });
const POST = (fn: Route["function"]): Route => ({ method: "POST", path: "/items", function: fn });
const SUB = (fn: Route["function"]): Route => ({ method: "GET", path: "/items/{id}/tags", function: fn });
const OTHER_ACCOUNT_ROLE = "arn:aws:iam::444455556666:role/partner";

/** The statements of the function's grants policy. */
function grantStatements(json: Record<string, any>): any[] {
  const policy = Object.values(json.resource.aws_iam_role_policy).find((p: any) => p.name === "grants") as any;
  return JSON.parse(policy.policy).Statement;
}

function resourcePolicy(json: Record<string, any>): any[] {
  return JSON.parse((Object.values(json.resource.aws_api_gateway_rest_api_policy)[0] as any).policy).Statement;
}

describe("InternalApi", () => {
  describe("route table validation, at synth time", () => {
    const cases: Array<[string, (fn: Route["function"]) => Route[], RegExp]> = [
      ["a duplicate route", (fn) => [GET(fn), GET(fn)], /route GET \/items\/\{id\} is declared twice in InternalApi 'svc'/],
      ["an unknown method", (fn) => [{ method: "FETCH" as never, path: "/x", function: fn }], /route FETCH \/x in InternalApi 'svc' has an unknown method 'FETCH'/],
      ["ANY, which cannot be granted per method", (fn) => [{ method: "ANY" as never, path: "/x", function: fn }], /unknown method 'ANY'/],
      ["a path without a leading slash", (fn) => [{ method: "GET", path: "items", function: fn }], /GET items in InternalApi 'svc' has a malformed path: it must start with '\/'/],
      ["a trailing slash", (fn) => [{ method: "GET", path: "/items/", function: fn }], /must not end with '\/'/],
      ["an empty segment", (fn) => [{ method: "GET", path: "/a//b", function: fn }], /empty segment/],
      ["an invalid segment", (fn) => [{ method: "GET", path: "/a b", function: fn }], /invalid segment 'a b'/],
      ["a greedy parameter", (fn) => [{ method: "GET", path: "/a/{proxy+}", function: fn }], /greedy/],
      ["a repeated parameter", (fn) => [{ method: "GET", path: "/a/{id}/b/{id}", function: fn }], /repeats the path parameter \{id\}/],
      ["two parameter names at one level", (fn) => [GET(fn), { method: "PUT", path: "/items/{itemId}", function: fn }], /uses \{itemId\} where another route uses \{id\} under '\/items'/],
      ["no routes", () => [], /InternalApi 'svc' has no routes/],
    ];
    for (const [label, routes, message] of cases) {
      it(`rejects ${label}`, () => {
        expect(() => synthInternalApi(routes)).to.throw(message);
      });
    }

    it("accepts the root path and nested parameters", () => {
      const json = synthInternalApi((fn) => [
        { method: "GET", path: "/", function: fn },
        { method: "GET", path: "/a/{x}/b/{y}", function: fn },
      ]);
      const arns = Object.values(json.resource.aws_lambda_permission).map((p: any) => p.source_arn.replace(/^\$\{[^}]+\}/, ""));
      expect(arns.sort()).to.deep.equal(["/v1/GET/", "/v1/GET/a/*/b/*"]);
    });
  });

  describe("grantInvoke", () => {
    it("grants the route's ARN and denies the deeper paths its wildcard would also match", () => {
      let granted = "";
      const json = synthInternalApi((fn) => [GET(fn), POST(fn)], {}, (api, fn) => {
        granted = api.grantInvoke(fn, "GET", "/items/{id}");
      });
      const [allow, deny, ...others] = grantStatements(json);
      expect(others).to.deep.equal([]);
      expect(allow).to.have.keys(["Effect", "Action", "Resource"]);
      expect(allow).to.include({ Effect: "Allow", Action: "execute-api:Invoke" });
      expect(allow.Resource).to.match(/^\$\{aws_api_gateway_rest_api\.svc_api_[0-9A-F]{8}\.execution_arn\}\/v1\/GET\/items\/\*$/);
      expect(deny).to.deep.equal({ Effect: "Deny", Action: "execute-api:Invoke", Resource: [allow.Resource.replace(/\*$/, "*/*")] });
      expect(granted).to.match(/\/v1\/GET\/items\/\*$/);
    });

    it("adds no Deny to a grant of a path without parameters", () => {
      const json = synthInternalApi((fn) => [GET(fn), POST(fn)], {}, (api, fn) => api.grantInvoke(fn, "POST", "/items"));
      expect(grantStatements(json).map((s) => s.Effect)).to.deep.equal(["Allow"]);
    });

    it("never denies another route the same grantee holds: the Deny is computed over all its grants", () => {
      const json = synthInternalApi((fn) => [GET(fn), SUB(fn), { method: "GET", path: "/items/{id}/audit", function: fn }], {}, (api, fn) => {
        api.grantInvoke(fn, "GET", "/items/{id}");
        api.grantInvoke(fn, "GET", "/items/{id}/tags");
      });
      const statements = grantStatements(json);
      const tail = (arn: string) => arn.replace(/^\$\{[^}]+\}/, "");
      expect(statements.filter((s) => s.Effect === "Allow").map((s) => tail(s.Resource))).to.deep.equal(["/v1/GET/items/*", "/v1/GET/items/*/tags"]);
      const denies = statements.filter((s) => s.Effect === "Deny").flatMap((s) => [s.Resource].flat().map(tail));
      // Deeper than anything held, and the declared route the grantee was not given.
      expect(denies).to.have.members(["/v1/GET/items/*/*/*", "/v1/GET/items/*/audit"]);
    });

    it("warns, naming the grantee and the route, where IAM cannot keep the grant exact", () => {
      const warnings = synthWarnings((fn) => [GET(fn), SUB(fn)], {}, (api, fn) => {
        api.grantInvoke(fn, "GET", "/items/{id}");
        api.grantInvoke(fn, "GET", "/items/{id}/tags");
      });
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.match(/InternalApi 'svc': the grant of GET \/items\/\{…\} to test\/fn is not exact: .*GET \/items\/\{…\}\/tags/);
      expect(synthWarnings((fn) => [GET(fn), SUB(fn)], {}, (api, fn) => api.grantInvoke(fn, "GET", "/items/{id}"))).to.deep.equal([]);
    });

    it("keeps one statement when the same grant is made twice", () => {
      const json = synthInternalApi((fn) => [GET(fn)], {}, (api, fn) => {
        api.grantInvoke(fn, "GET", "/items/{id}");
        api.grantInvoke(fn, "GET", "/items/{id}");
      });
      expect(grantStatements(json)).to.have.length(2);
    });

    it("refuses to grant a route that is not declared", () => {
      expect(() => synthInternalApi((fn) => [GET(fn)], {}, (api, fn) => api.grantInvoke(fn, "DELETE", "/items/{id}"))).to.throw(
        /InternalApi 'svc' cannot grant DELETE \/items\/\{id\}: no such route \(declared: GET \/items\/\{id\}\)/,
      );
    });

    it("creates no grants policy for a function that was granted nothing", () => {
      const json = synthInternalApi((fn) => [GET(fn)]);
      const names = Object.values(json.resource.aws_iam_role_policy).map((p: any) => p.name);
      expect(names).to.deep.equal(["write-own-logs", "write-traces"]);
    });
  });

  describe("tracing", () => {
    it("runs the function with X-Ray active tracing and lets its role write traces and nothing more", () => {
      const json = synthInternalApi((fn) => [GET(fn)]);
      const fn = Object.values(json.resource.aws_lambda_function)[0] as Record<string, any>;
      expect(fn.tracing_config).to.deep.equal({ mode: "Active" });
      const policy = Object.values(json.resource.aws_iam_role_policy).find((p: any) => p.name === "write-traces") as Record<string, any>;
      expect(JSON.parse(policy.policy).Statement).to.deep.equal([
        { Sid: "WriteTraces", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" },
      ]);
    });

    it("turns on X-Ray tracing on the internal stage too", () => {
      const stage = Object.values(synthInternalApi((fn) => [GET(fn)]).resource.aws_api_gateway_stage)[0] as Record<string, any>;
      expect(stage.xray_tracing_enabled).to.equal(true);
    });
  });

  describe("the deployment trigger", () => {
    const base = synthInternalApi((fn) => [GET(fn)]);

    it("is stable when nothing deployed changes", () => {
      expect(deploymentTrigger(synthInternalApi((fn) => [GET(fn)]))).to.equal(deploymentTrigger(base));
    });

    it("is stable when only stage settings change (throttling, log retention)", () => {
      const json = synthInternalApi((fn) => [GET(fn)], { throttle: { rateLimit: 5, burstLimit: 5 }, logRetentionDays: 90 });
      expect(deploymentTrigger(json)).to.equal(deploymentTrigger(base));
    });

    it("changes when a route is added", () => {
      expect(deploymentTrigger(synthInternalApi((fn) => [GET(fn), POST(fn)]))).not.to.equal(deploymentTrigger(base));
    });

    it("changes when a route's method changes", () => {
      const json = synthInternalApi((fn) => [{ method: "PUT", path: "/items/{id}", function: fn }]);
      expect(deploymentTrigger(json)).not.to.equal(deploymentTrigger(base));
    });

    it("changes when the resource policy changes", () => {
      expect(deploymentTrigger(synthInternalApi((fn) => [GET(fn)], { allowedAccountIds: ["111122223333"] }))).not.to.equal(
        deploymentTrigger(base),
      );
      expect(deploymentTrigger(synthInternalApi((fn) => [GET(fn)], { organizationId: "o-abcdefghij" }))).not.to.equal(
        deploymentTrigger(base),
      );
    });

    it("waits for every method, integration and the resource policy", () => {
      const deployment = Object.values(base.resource.aws_api_gateway_deployment)[0] as { depends_on: string[] };
      const kinds = deployment.depends_on.map((d) => d.split(".")[0]).sort();
      expect(kinds).to.deep.equal(["aws_api_gateway_integration", "aws_api_gateway_method", "aws_api_gateway_rest_api_policy"]);
    });
  });

  describe("the resource policy", () => {
    it("adds an organization rule, and allows listed accounts nothing by themselves", () => {
      const json = synthInternalApi((fn) => [GET(fn)], { allowedAccountIds: ["111122223333"], organizationId: "o-abcdefghij" });
      const statements = resourcePolicy(json);
      expect(statements.map((s: any) => s.Sid)).to.deep.equal(["DenyPrincipalsOfOtherAccounts", "DenyPrincipalsOutsideOrganization"]);
      expect(statements.every((s: any) => s.Effect === "Deny")).to.equal(true);
      expect(statements[1].Condition).to.deep.equal({ StringNotEquals: { "aws:PrincipalOrgID": "o-abcdefghij" } });
    });

    it("allows a role of an allowed account exactly the routes granted to it, with the exactness Deny", () => {
      const json = synthInternalApi((fn) => [GET(fn), POST(fn), SUB(fn)], { allowedAccountIds: ["444455556666"] }, (api) => {
        api.grantInvoke(OTHER_ACCOUNT_ROLE, "GET", "/items/{id}");
      });
      const [, allow, deny, ...others] = resourcePolicy(json);
      expect(others).to.deep.equal([]);
      expect(allow).to.include({ Effect: "Allow", Action: "execute-api:Invoke" });
      expect(allow.Principal).to.deep.equal({ AWS: OTHER_ACCOUNT_ROLE });
      expect(allow.Resource).to.match(/\.execution_arn\}\/v1\/GET\/items\/\*$/);
      expect(deny).to.deep.equal({ Effect: "Deny", Principal: { AWS: OTHER_ACCOUNT_ROLE }, Action: "execute-api:Invoke", Resource: [`${allow.Resource}/*`] });
      // No account-wide Allow any more: every Allow names a role and a route.
      for (const statement of resourcePolicy(json).filter((s: any) => s.Effect === "Allow")) expect(statement.Resource).not.to.match(/execution_arn\}\/\*$/);
    });

    it("refuses a cross-account grant to a role outside the allowed accounts, naming the construct", () => {
      expect(() =>
        synthInternalApi((fn) => [GET(fn)], { allowedAccountIds: ["111122223333"] }, (api) => api.grantInvoke(OTHER_ACCOUNT_ROLE, "GET", "/items/{id}")),
      ).to.throw(/InternalApi 'svc' cannot grant GET \/items\/\{id\} to 'arn:aws:iam::444455556666:role\/partner': account 444455556666 is not in allowedAccountIds \(111122223333\)/);
      expect(() => synthInternalApi((fn) => [GET(fn)], { allowedAccountIds: ["444455556666"] }, (api) => api.grantInvoke("arn:aws:iam::444455556666:root", "GET", "/items/{id}"))).to.throw(
        /give a role of this stack or the ARN of a role/,
      );
    });

    it("rejects a malformed account or organization id", () => {
      expect(() => synthInternalApi((fn) => [GET(fn)], { allowedAccountIds: ["abc"] })).to.throw(/allowed account 'abc'/);
      expect(() => synthInternalApi((fn) => [GET(fn)], { organizationId: "org-1" })).to.throw(/organizationId 'org-1'/);
    });
  });
});
