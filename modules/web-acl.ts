import { Construct } from "constructs";
import type { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import type { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import type { ApiStage } from "./api-stage.js";
import { wafClasses } from "./aws-provider-classes.js";

/** Props of {@link ApiWebAcl}. */
export interface ApiWebAclProps {
  /** The web ACL's name (also its CloudWatch metric prefix). */
  readonly name: string;
  /** The API stages the web ACL protects; each gets an association. */
  readonly stages: readonly ApiStage[];
  /**
   * Requests one source IP may send per evaluation window before WAF blocks it (10 to 2,000,000,000).
   * @default 2000
   */
  readonly rateLimitPerIp?: number;
  /**
   * The window the rate is counted over, in seconds: 60, 120, 300 or 600.
   * @default 300
   */
  readonly evaluationWindowSec?: 60 | 120 | 300 | 600;
}

/** WAF's bounds for a rate-based rule ("RateBasedStatement", AWS WAF API reference). */
const RATE_LIMIT_MIN = 10;
const RATE_LIMIT_MAX = 2_000_000_000;
const EVALUATION_WINDOWS: readonly number[] = [60, 120, 300, 600];


/**
 * A regional AWS WAF web ACL in front of API Gateway stages, against unauthenticated floods.
 *
 * A regional API's endpoint is on the internet even when every method is AWS_IAM: unsigned
 * requests are refused with 403 and are not billed, but they still reach API Gateway, and its
 * stage throttle counts every request, so a flood can push signed callers into 429. WAF runs before
 * API Gateway's other access controls (resource policies, IAM, authorizers: "Use AWS WAF to
 * protect your REST APIs in API Gateway",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-aws-waf.html),
 * so its rules stop a flood before it spends the stage's tokens:
 * - a rate-based rule per source IP (block above `rateLimitPerIp` per window);
 * - AWS's managed `AWSManagedRulesAmazonIpReputationList` (addresses Amazon threat intelligence
 *   flags: bots, reconnaissance, DDoS sources).
 *
 * Opt-in (SIA_WAF=true): a web ACL costs a monthly fee plus a fee per million requests, and
 * Lambda callers share AWS's outbound addresses, so size `rateLimitPerIp` for the busiest caller.
 */
export class ApiWebAcl extends Construct {
  readonly webAcl: Wafv2WebAcl;
  readonly associations: readonly Wafv2WebAclAssociation[];

  constructor(scope: Construct, id: string, props: ApiWebAclProps) {
    super(scope, id);
    const owner = `ApiWebAcl '${this.node.path}'`;
    const { Wafv2WebAcl, Wafv2WebAclAssociation } = wafClasses();
    const rateLimit = props.rateLimitPerIp ?? 2000;
    if (!Number.isInteger(rateLimit) || rateLimit < RATE_LIMIT_MIN || rateLimit > RATE_LIMIT_MAX) {
      throw new Error(`${owner}: rateLimitPerIp ${rateLimit} must be a whole number from ${RATE_LIMIT_MIN} to ${RATE_LIMIT_MAX} (WAF's bounds).`);
    }
    const window = props.evaluationWindowSec ?? 300;
    if (!EVALUATION_WINDOWS.includes(window)) {
      throw new Error(`${owner}: evaluationWindowSec ${window} must be one of ${EVALUATION_WINDOWS.join(", ")}.`);
    }
    if (props.stages.length === 0) throw new Error(`${owner}: give it at least one stage to protect.`);

    const metrics = (metricName: string) => ({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });
    this.webAcl = new Wafv2WebAcl(this, "this", {
      name: props.name,
      description: "Rate limit per source IP and AWS IP reputation list, before API Gateway's own checks",
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      rule: [
        {
          name: "rate-limit-per-ip",
          priority: 0,
          action: { block: {} },
          // `statement` is untyped in the provider bindings: Terraform's own block names.
          statement: { rate_based_statement: { limit: rateLimit, aggregate_key_type: "IP", evaluation_window_sec: window } },
          visibilityConfig: metrics(`${props.name}-rate-limit-per-ip`),
        },
        {
          name: "aws-ip-reputation-list",
          priority: 1,
          overrideAction: { none: {} },
          statement: { managed_rule_group_statement: { vendor_name: "AWS", name: "AWSManagedRulesAmazonIpReputationList" } },
          visibilityConfig: metrics(`${props.name}-aws-ip-reputation-list`),
        },
      ],
      visibilityConfig: metrics(props.name),
    });
    this.associations = props.stages.map(
      (stage) => new Wafv2WebAclAssociation(this, `for-${stage.node.path.replace(/\//g, "-")}`, { resourceArn: stage.stage.arn, webAclArn: this.webAcl.arn }),
    );
  }
}
