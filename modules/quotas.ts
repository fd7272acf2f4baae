/**
 * The AWS quotas these constructs can break, checked at synth so that `terraform apply` never
 * finds them first. Each check bounds what the applied value can be (`reference-lengths.ts`) and
 * fails synth with a message naming the construct, the quota, the size and the excess, and a fix.
 */

/** One documented AWS quota. */
export interface Quota {
  /** What is limited, as AWS names it. */
  readonly name: string;
  readonly limit: number;
  /** `characters` are counted as IAM counts them (whitespace excluded) where `name` says so. */
  readonly unit: "bytes" | "characters" | "resources" | "variables";
  /** Whether Service Quotas can raise it. */
  readonly adjustable: boolean;
  /** The AWS page that states it. */
  readonly source: { readonly title: string; readonly url: string };
}

const LAMBDA_QUOTAS = { title: "Lambda quotas", url: "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html" };
const IAM_QUOTAS = { title: "IAM and AWS STS quotas", url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html" };
const REST_API_QUOTAS = {
  title: "Quotas for configuring and running a REST API in API Gateway",
  url: "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html",
};

export const QUOTAS = {
  /** Every `aws_lambda_permission` of one function, as the policy document Lambda stores. */
  lambdaResourcePolicy: { name: "Lambda function resource-based policy size", limit: 20 * 1024, unit: "bytes", adjustable: false, source: LAMBDA_QUOTAS },
  /** A function's environment variables, all together. */
  lambdaEnvironment: { name: "Lambda environment variables size", limit: 4 * 1024, unit: "bytes", adjustable: false, source: LAMBDA_QUOTAS },
  /** All inline policies of one role together; IAM does not count whitespace. */
  iamRoleInlinePolicies: { name: "IAM role policy size (all inline policies of a role)", limit: 10_240, unit: "characters", adjustable: false, source: IAM_QUOTAS },
  /** A REST API's resource policy. */
  restApiResourcePolicy: { name: "API Gateway resource policy length", limit: 8192, unit: "characters", adjustable: true, source: REST_API_QUOTAS },
  /** Resources of one REST API (every path, the root included). */
  restApiResources: { name: "API Gateway resources per API", limit: 300, unit: "resources", adjustable: true, source: REST_API_QUOTAS },
} as const satisfies Record<string, Quota>;

/** Thrown, or reported by a construct's validation, when a quota would be exceeded. */
export class QuotaExceededError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "QuotaExceededError";
  }
}

/** Characters as IAM counts them against its size quotas: whitespace is not counted. */
export function iamCharacters(text: string): number {
  return text.replace(/\s/g, "").length;
}

/** UTF-8 bytes, as Lambda counts its policy and environment. */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/**
 * The message for `measured` over `quota`, or undefined within it.
 * @param subject names the construct and what was measured, e.g. "NodeFunction 'app/users' role 'users-role': its inline policies".
 * @param fix what to change, in a sentence.
 */
export function overQuota(quota: Quota, measured: number, subject: string, fix: string): string | undefined {
  if (measured <= quota.limit) return undefined;
  const raise = quota.adjustable ? " (adjustable: or ask for a higher quota in Service Quotas)" : "";
  return (
    `${subject} would be ${measured} ${quota.unit}, over the "${quota.name}" quota of ${quota.limit} by ${measured - quota.limit} ` +
    `(${quota.source.title}, ${quota.source.url}). Fix: ${fix}${raise}.`
  );
}
