import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { InternalApi } from "../../../modules/internal-api.js";
import { NodeFunction } from "../../../modules/node-function.js";
import { ApiWebAcl, type ApiWebAclProps } from "../../../modules/web-acl.js";

const buildDir = mkdtempSync(join(tmpdir(), "sia-waf-"));

/** One internal API with one route, and a web ACL in front of its stage. */
function synthWebAcl(props: Partial<ApiWebAclProps> = {}): Record<string, any> {
  const stack = new TerraformStack(Testing.app(), "test");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  const fn = new NodeFunction(stack, "fn", { entry: "lambdas/users/handler.ts", functionName: "test-fn", buildDir });
  const api = new InternalApi(stack, "svc", { name: "svc", routes: [{ method: "GET", path: "/users/{id}", function: fn }] });
  new ApiWebAcl(stack, "waf", { name: "apis", stages: [api.stage], ...props });
  return JSON.parse(Testing.synth(stack));
}

describe("ApiWebAcl", function () {
  this.timeout(30_000);

  it("is a regional web ACL: allow by default, a per-IP rate rule that blocks, then AWS's IP reputation list", () => {
    const json = synthWebAcl({ rateLimitPerIp: 500, evaluationWindowSec: 60 });
    const [acl] = Object.values(json.resource.aws_wafv2_web_acl) as any[];
    expect(acl).to.include({ name: "apis", scope: "REGIONAL" });
    expect(acl.default_action).to.deep.equal({ allow: {} });
    const [rate, reputation] = acl.rule;
    expect(rate).to.deep.include({ name: "rate-limit-per-ip", priority: 0, action: { block: {} } });
    expect(rate.statement).to.deep.equal({ rate_based_statement: { limit: 500, aggregate_key_type: "IP", evaluation_window_sec: 60 } });
    expect(reputation).to.deep.include({ name: "aws-ip-reputation-list", priority: 1, override_action: { none: {} } });
    expect(reputation.statement).to.deep.equal({ managed_rule_group_statement: { vendor_name: "AWS", name: "AWSManagedRulesAmazonIpReputationList" } });
    for (const rule of acl.rule) expect(rule.visibility_config.cloudwatch_metrics_enabled).to.equal(true);
  });

  it("associates the web ACL with each stage's ARN", () => {
    const json = synthWebAcl();
    const stageAddresses = Object.keys(json.resource.aws_api_gateway_stage).map((name) => `aws_api_gateway_stage.${name}`);
    const aclAddress = `aws_wafv2_web_acl.${Object.keys(json.resource.aws_wafv2_web_acl)[0]}`;
    const associations = Object.values(json.resource.aws_wafv2_web_acl_association) as any[];
    expect(associations.map((a) => a.resource_arn)).to.deep.equal(stageAddresses.map((address) => `\${${address}.arn}`));
    for (const association of associations) expect(association.web_acl_arn).to.equal(`\${${aclAddress}.arn}`);
  });

  it("defaults to 2000 requests per IP per 5 minutes", () => {
    const [acl] = Object.values(synthWebAcl().resource.aws_wafv2_web_acl) as any[];
    expect(acl.rule[0].statement.rate_based_statement).to.deep.include({ limit: 2000, evaluation_window_sec: 300 });
  });

  const bad: Array<[Partial<ApiWebAclProps>, RegExp]> = [
    [{ rateLimitPerIp: 9 }, /rateLimitPerIp 9 must be a whole number from 10 to 2000000000/],
    [{ rateLimitPerIp: 2_000_000_001 }, /rateLimitPerIp 2000000001 must be/],
    [{ rateLimitPerIp: 100.5 }, /rateLimitPerIp 100\.5 must be a whole number/],
    [{ evaluationWindowSec: 30 as 60 }, /evaluationWindowSec 30 must be one of 60, 120, 300, 600/],
    [{ stages: [] }, /at least one stage/],
  ];
  for (const [props, message] of bad) {
    it(`refuses ${JSON.stringify(props)} at synth time, naming the construct`, () => {
      const error = (() => {
        try {
          synthWebAcl(props);
        } catch (caught) {
          return caught as Error;
        }
        return undefined;
      })();
      expect(error?.message).to.match(/^ApiWebAcl 'test\/waf': /).and.to.match(message);
    });
  }
});
