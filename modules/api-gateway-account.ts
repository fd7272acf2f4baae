import { Construct } from "constructs";
import { ApiGatewayAccount, DataAwsCallerIdentity, IamRole, IamRolePolicyAttachment } from "./aws-provider-classes.js";
import { policyJson } from "./grants.js";

/** Props of {@link ApiGatewayCloudWatchRole}. */
export interface ApiGatewayCloudWatchRoleProps {
  /** The role's name. @default "apigateway-cloudwatch-logs" */
  readonly roleName?: string;
  /**
   * The account whose API Gateway may assume the role (the trust policy's `aws:SourceAccount`).
   * @default the deploying account, read from an `aws_caller_identity` data source at plan time
   */
  readonly accountId?: string;
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
    const accountId = props.accountId ?? new DataAwsCallerIdentity(this, "current").accountId;
    this.role = new IamRole(this, "role", {
      name: props.roleName ?? "apigateway-cloudwatch-logs",
      // aws:SourceAccount stops API Gateway acting for another account from assuming this role
      // (IAM User Guide, "The confused deputy problem":
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html).
      assumeRolePolicy: policyJson([
        {
          Effect: "Allow",
          Principal: { Service: "apigateway.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": accountId } },
        },
      ]),
    });
    new IamRolePolicyAttachment(this, "push-to-logs", {
      role: this.role.name,
      policyArn: "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs",
    });
    new ApiGatewayAccount(this, "account", { cloudwatchRoleArn: this.role.arn });
  }
}
