/**
 * The authenticated caller of a request: an assumed-role session, as the local STS issued it and
 * the SigV4 verifier resolved it. The one principal shape the verifier, the IAM evaluator, the
 * proxy event (`requestContext.identity`) and the gateway share.
 */
export interface CallerPrincipal {
  /** Session ARN, `arn:aws:sts::ACCT:assumed-role/ROLE/SESSION`. */
  readonly arn: string;
  /** The role's IAM ARN, `arn:aws:iam::ACCT:role/PATH/ROLE` (what `aws:PrincipalArn` holds). */
  readonly roleArn: string;
  readonly accountId: string;
  /** `ROLEID:SESSION`, as `aws:userid` and the Lambda event's `identity.user`. */
  readonly userId: string;
  /** When the session's credentials were issued (`aws:TokenIssueTime`). */
  readonly tokenIssuedAt: Date;
  /** The role's tags, provider `default_tags` included (`aws:PrincipalTag/KEY`). */
  readonly tags: Readonly<Record<string, string>>;
  /** AWS Organizations id, when the account is in one (`aws:PrincipalOrgID`, from `--organization-id`). */
  readonly orgId?: string;
}
