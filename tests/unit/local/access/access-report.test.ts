import { expect } from "chai";
import { buildAccessReport, type AccessReport } from "../../../../local/access/access-report.js";
import { renderMarkdown, renderText } from "../../../../local/access/render.js";
import { miniStackJson } from "../fixtures/mini-stack.js";
import { ACCOUNT, addIamRoute, addResourcePolicyStatements, exactGrantStack, loadFixture, serverlessStyleStack, setCallerPolicy } from "./fixtures.js";

const report = (json: Record<string, any>) => buildAccessReport(loadFixture(json));
const codes = (r: AccessReport) => r.findings.map((f) => `${f.severity} ${f.code}`);
const allowedRoutes = (r: AccessReport, label: string) => {
  const id = r.principals.find((p) => p.label === label)!.id;
  return r.decisions.filter((d) => d.principal === id && d.decision === "allow").map((d) => `${d.api} ${d.route}`);
};
const messages = (r: AccessReport, code: string) => r.findings.filter((f) => f.code === code).map((f) => f.message);

describe("access report", () => {
  describe("the matrix", () => {
    it("evaluates every role, anonymous, and every route of every API, naming the deciding statement", () => {
      const r = report(exactGrantStack());
      expect(r.principals.map((p) => `${p.label}:${p.kind}`)).to.deep.equal(["fn-role:function-role", "caller-role:role", "anonymous:anonymous"]);
      expect(r.apis.map((a) => [a.name, a.routes])).to.deep.equal([
        ["iam-api", ["GET /items/{id}", "GET /items/{id}/tags"]],
        ["pub-api", ["GET /hello"]],
      ]);
      expect(r.decisions).to.have.length(3 * 3);
      const call = r.decisions.find((d) => d.principal.endsWith("role/caller-role") && d.route === "GET /items/{id}")!;
      expect(call).to.deep.include({ api: "iam-api", decision: "allow" });
      expect(call.reason).to.match(/^allowed by aws_iam_role_policy\.grant statement 0$/);
    });

    it("shows the exactness Deny at work: the granted route only, not the deeper one", () => {
      const r = report(exactGrantStack());
      expect(allowedRoutes(r, "caller-role")).to.deep.equal(["iam-api GET /items/{id}", "pub-api GET /hello"]);
      const deeper = r.decisions.find((d) => d.principal.endsWith("role/caller-role") && d.route === "GET /items/{id}/tags")!;
      expect(deeper.reason).to.match(/^explicitly denied by aws_iam_role_policy\.grant statement 1$/);
      expect(codes(r)).to.deep.equal(["warning uncallable-route"]);
    });

    it("denies anonymous callers every AWS_IAM route and allows them public routes", () => {
      const r = report(exactGrantStack());
      expect(allowedRoutes(r, "anonymous")).to.deep.equal(["pub-api GET /hello"]);
    });

    it("renders text and markdown with the same matrix", () => {
      const r = report(exactGrantStack());
      const heading = { stack: "mini", accountId: ACCOUNT, region: "eu-west-1" };
      const text = renderText(r, heading);
      expect(text).to.match(/^iam-api +GET \/items\/\{id\} +- +allow +-$/m);
      expect(text).to.match(/^Who can call what: stack mini \(account 123456789012, eu-west-1\)$/m);
      expect(renderMarkdown(r, heading)).to.include("| `iam-api` | `GET /items/{id}` | — | ✅ allow | — |");
    });
  });

  describe("--check findings", () => {
    it("flags the article's Serverless-style policy, naming each defect", () => {
      const r = report(serverlessStyleStack());
      expect(messages(r, "bogus-action")).to.deep.equal([
        "aws_iam_role_policy.grant statement 0: 'execute-api:GET' is not an execute-api action (Invoke, InvalidateCache, ManageConnections); it allows nothing, and reads as if it did",
      ]);
      const wide = messages(r, "wide-grant");
      expect(wide).to.have.length(2);
      expect(wide[0]).to.match(/:\*\/prod\/\*\/user\/\*' has a wildcard API id$/);
      expect(wide[1]).to.match(/has a wildcard method$/);
      expect(messages(r, "ungranted-access").map((m) => m.replace(/ \(.*\)$/, ""))).to.deep.equal([
        "caller-role can call iam-api DELETE /user/{id} but was never granted it",
        "caller-role can call iam-api GET /user/{id} but was never granted it",
        "caller-role can call iam-api GET /user/{id}/friends but was never granted it",
      ]);
      expect(r.findings.filter((f) => f.severity === "error")).to.have.length(6);
    });

    it("flags a path wildcard beyond the declared parameters", () => {
      const json = miniStackJson();
      setCallerPolicy(json, [{ Effect: "Allow", Action: "execute-api:Invoke", Resource: "${aws_api_gateway_rest_api.iam_api.execution_arn}/prod/GET/*" }]);
      expect(messages(report(json), "wide-grant")[0]).to.match(/\/prod\/GET\/\*': the path wildcard goes beyond the declared parameters \(it matches GET \/items\/\{id\}, and any deeper path\)$/);
    });

    it("flags a grant that lets a principal call a route it was never granted", () => {
      const json = miniStackJson();
      addIamRoute(json, "tags", "GET", "${aws_api_gateway_resource.item.id}", "tags");
      // The grant is exact for GET /items/{id}, but without the Deny its `*` also covers /tags.
      const r = report(json);
      expect(codes(r)).to.deep.equal(["error ungranted-access"]);
      expect(messages(r, "ungranted-access")[0]).to.match(/^caller-role can call iam-api GET \/items\/\{id\}\/tags but was never granted it \(allowed by aws_iam_role_policy\.grant statement 0\)$/);
    });

    it("flags an Allow to everyone, and to another account on every method", () => {
      const json = miniStackJson();
      addResourcePolicyStatements(json, [
        { Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/prod/GET/items/*" },
        { Effect: "Allow", Principal: { AWS: "arn:aws:iam::444455556666:root" }, Action: "execute-api:Invoke", Resource: "${aws_api_gateway_rest_api.iam_api.execution_arn}/*" },
      ]);
      const broad = messages(report(json), "broad-allow");
      expect(broad).to.deep.equal([
        "aws_api_gateway_rest_api_policy.iam_policy statement 1: allows everyone ('*') to invoke",
        "aws_api_gateway_rest_api_policy.iam_policy statement 2: allows account 444455556666 (any of its principals) every method",
      ]);
    });

    it("flags a policy naming an API that is not in the stack", () => {
      const json = miniStackJson();
      setCallerPolicy(json, [
        { Effect: "Allow", Action: "execute-api:Invoke", Resource: "${aws_api_gateway_rest_api.iam_api.execution_arn}/prod/GET/items/*" },
        { Effect: "Allow", Action: "execute-api:Invoke", Resource: `arn:aws:execute-api:eu-west-1:${ACCOUNT}:zzzzzzzzzz/prod/GET/items/*` },
      ]);
      const r = report(json);
      expect(messages(r, "unknown-api")).to.deep.equal([
        `aws_iam_role_policy.grant statement 1: 'arn:aws:execute-api:eu-west-1:${ACCOUNT}:zzzzzzzzzz/prod/GET/items/*' names API 'zzzzzzzzzz', which is not in this stack`,
      ]);
      expect(messages(r, "unused-grant")).to.deep.equal(["aws_iam_role_policy.grant statement 1 allows no call of any route in this stack"]);
    });

    it("warns about a route nobody can call", () => {
      const json = miniStackJson();
      setCallerPolicy(json, [{ Effect: "Allow", Action: "logs:PutLogEvents", Resource: "*" }]);
      expect(codes(report(json))).to.deep.equal(["warning uncallable-route"]);
    });

    it("reports a grant that a Deny of the same role always overrides as unused, and its route as uncallable", () => {
      const json = exactGrantStack();
      setCallerPolicy(json, JSON.parse(json.resource.aws_iam_role_policy.grant.policy).Statement.concat([
        { Effect: "Allow", Action: "execute-api:Invoke", Resource: "${aws_api_gateway_rest_api.iam_api.execution_arn}/prod/GET/items/*/tags" },
      ]));
      // The Deny of GET /items/*/* now also hits /tags: the grant was never exact and the report says so.
      expect(codes(report(json))).to.deep.equal(["warning uncallable-route", "warning unused-grant"]);
    });
  });

  describe("other accounts", () => {
    const crossAccount = () => {
      const json = miniStackJson();
      const policy = json.resource.aws_api_gateway_rest_api_policy.iam_policy;
      const document = JSON.parse(policy.policy);
      document.Statement[0].Condition.StringNotEquals["aws:PrincipalAccount"].push("444455556666");
      policy.policy = JSON.stringify(document);
      addIamRoute(json, "tags", "GET", "${aws_api_gateway_resource.item.id}", "tags");
      const partner = "arn:aws:iam::444455556666:role/partner";
      addResourcePolicyStatements(json, [
        { Effect: "Allow", Principal: { AWS: partner }, Action: "execute-api:Invoke", Resource: "${aws_api_gateway_rest_api.iam_api.execution_arn}/prod/GET/items/*" },
        { Effect: "Deny", Principal: { AWS: partner }, Action: "execute-api:Invoke", Resource: "${aws_api_gateway_rest_api.iam_api.execution_arn}/prod/GET/items/*/*" },
      ]);
      return json;
    };

    it("evaluates the role a resource policy names and any other principal of the allowed account", () => {
      const r = report(crossAccount());
      expect(r.principals.map((p) => `${p.label}:${p.kind}`)).to.include.members(["partner (444455556666):other-account-role", "account 444455556666:other-account"]);
      expect(allowedRoutes(r, "partner (444455556666)")).to.deep.equal(["iam-api GET /items/{id}", "pub-api GET /hello"]);
      expect(allowedRoutes(r, "account 444455556666")).to.deep.equal(["pub-api GET /hello"]);
      const partnerCall = r.decisions.find((d) => d.principal.endsWith("role/partner") && d.route === "GET /items/{id}")!;
      expect(partnerCall.reason).to.match(/^cross-account call allowed by .* and aws_api_gateway_rest_api_policy\.iam_policy statement 1$/);
    });
  
    it("counts an exact-route Allow to another account's root as that account's grant (no ungranted-access)", () => {
      const json = crossAccount();
      setCallerPolicy(json, JSON.parse(exactGrantStack().resource.aws_iam_role_policy.grant.policy).Statement);
      addResourcePolicyStatements(json, [
        { Effect: "Allow", Principal: { AWS: "arn:aws:iam::444455556666:root" }, Action: "execute-api:Invoke", Resource: "${aws_api_gateway_rest_api.iam_api.execution_arn}/prod/GET/items/*/tags" },
      ]);
      const r = report(json);
      expect(allowedRoutes(r, "account 444455556666")).to.deep.equal(["iam-api GET /items/{id}/tags", "pub-api GET /hello"]);
      expect(r.findings.filter((f) => f.severity === "error").map((f) => f.message)).to.deep.equal([]);
    });

    it("adds a member of the organization a resource policy requires, and takes the stack's roles to be members", () => {
      const json = miniStackJson();
      addResourcePolicyStatements(json, [
        { Effect: "Deny", Principal: "*", Action: "execute-api:Invoke", Resource: "${aws_api_gateway_rest_api.iam_api.execution_arn}/*", Condition: { StringNotEquals: { "aws:PrincipalOrgID": "o-abcdefghij" } } },
      ]);
      const r = report(json);
      const member = r.principals.find((p) => p.kind === "organization-member")!;
      expect(member.label).to.equal("o-abcdefghij member");
      expect(allowedRoutes(r, member.label)).to.deep.equal(["pub-api GET /hello"]);
      expect(allowedRoutes(r, "caller-role")).to.deep.equal(["iam-api GET /items/{id}", "pub-api GET /hello"]);
    });
  });
});
