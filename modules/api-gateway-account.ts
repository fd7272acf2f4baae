import { Construct } from "constructs";
import { ApiGatewayAccount } from "@cdktf/provider-aws/lib/api-gateway-account";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { policyJson } from "./grants.js";

/** Props of {@link ApiGatewayCloudWatchRole}. */
export interface ApiGatewayCloudWatchRoleProps {
  /** The role's name. @default "apigateway-cloudwatch-logs" */
  readonly roleName?: string;
}

/**
 * The region-wide API Gateway setting that lets stages write access logs to CloudWatch.
 *
 * Opt-in, off by default, because `aws_api_gateway_account` is one setting per account and
 * region, not a resource this stack owns: creating it overwrites whatever role the account
 * already uses, and destroying the stack does not restore it. Turn it on (SIA_MANAGE_APIGW_ACCOUNT=true)
 * only in an account where no other stack manages it and stages fail with "CloudWatch Logs role
 * ARN must be set in account settings to enable logging".
 */
export class ApiGatewayCloudWatchRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: ApiGatewayCloudWatchRoleProps = {}) {
    super(scope, id);
    this.role = new IamRole(this, "role", {
      name: props.roleName ?? "apigateway-cloudwatch-logs",
      assumeRolePolicy: policyJson([
        { Effect: "Allow", Principal: { Service: "apigateway.amazonaws.com" }, Action: "sts:AssumeRole" },
      ]),
    });
    new IamRolePolicyAttachment(this, "push-to-logs", {
      role: this.role.name,
      policyArn: "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs",
    });
    new ApiGatewayAccount(this, "account", { cloudwatchRoleArn: this.role.arn });
  }
}
