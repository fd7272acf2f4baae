/**
 * The request context of an execute-api call, as AWS documents it in "AWS global condition
 * context keys" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html)
 * and API Gateway's "AWS condition keys that can be used in API Gateway resource policies"
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-aws-condition-keys.html):
 * which keys AWS sets, with which value and type, and which it leaves absent. The offline mode
 * fills exactly these; a key it cannot fill exactly is refused when policies are loaded, never
 * guessed while serving (see {@link conditionKeySpec}).
 *
 * Present for every call: aws:CurrentTime, aws:EpochTime, aws:SecureTransport (`true`: execute-api
 * endpoints are HTTPS-only, even though the local gateway speaks HTTP), aws:RequestedRegion,
 * aws:SourceIp. Present for IAM-signed calls (absent for anonymous ones): aws:PrincipalArn (the
 * role ARN), aws:PrincipalAccount, aws:PrincipalType (`AssumedRole`), aws:userid, aws:TokenIssueTime,
 * aws:MultiFactorAuthPresent (`false`: temporary credentials made without MFA) and
 * aws:PrincipalIsAWSService (`false`: a function's role calls directly).
 * Present when there is one: aws:PrincipalOrgID (`--organization-id`), aws:PrincipalTag/KEY (the
 * role's tags), aws:UserAgent and aws:Referer (the request's headers).
 * Absent, as AWS leaves them for this call: VPC and VPC-endpoint keys (API Gateway: "only for
 * private APIs"), service-principal and source keys (aws:SourceAccount, …: no service calls on a
 * principal's behalf), aws:CalledVia*, aws:MultiFactorAuthAge (no MFA), aws:username (roles have
 * none), federation, EC2 keys, request tags, aws:SourceIdentity, execute-api:viaDomainArn (no
 * private custom domain). Refused at load (value not documented for this call): see REFUSED.
 *
 * DynamoDB calls (local/aws-endpoint) get the same global keys, plus the DynamoDB keys the request
 * carries ({@link withServiceKeys}): dynamodb:LeadingKeys and dynamodb:Attributes (multivalued),
 * dynamodb:Select and dynamodb:ReturnValues; they are absent from execute-api calls.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
 */

import type { CallerPrincipal } from "./caller-principal.js";

export type ConditionKeyType = "String" | "ARN" | "Numeric" | "Date" | "Bool" | "IPAddress";

/** When AWS puts a key into an execute-api call's context. */
export type KeyPresence =
  | "always" // every call
  | "signed" // every IAM-signed call; absent for anonymous callers
  | "optional" // when the request or principal has the value (header, tag, organization)
  | "never"; // AWS does not set it for this call

export interface ConditionKeySpec {
  /** The key's types: an operator family must fit one (String operators fit every key). */
  readonly types: readonly ConditionKeyType[];
  readonly presence: KeyPresence;
}

const always = (...types: ConditionKeyType[]): ConditionKeySpec => ({ types, presence: "always" });
const signed = (...types: ConditionKeyType[]): ConditionKeySpec => ({ types, presence: "signed" });
const optional = (...types: ConditionKeyType[]): ConditionKeySpec => ({ types, presence: "optional" });
const never = (...types: ConditionKeyType[]): ConditionKeySpec => ({ types, presence: "never" });

/** Lower-cased key name -> what AWS documents for it on an execute-api:Invoke call. */
const KEYS: ReadonlyMap<string, ConditionKeySpec> = new Map([
  ["aws:currenttime", always("Date")],
  ["aws:epochtime", always("Date", "Numeric")],
  ["aws:securetransport", always("Bool")],
  ["aws:requestedregion", always("String")],
  ["aws:sourceip", always("IPAddress")],
  ["aws:principalarn", signed("ARN")],
  ["aws:principalaccount", signed("String")],
  ["aws:principaltype", signed("String")],
  ["aws:userid", signed("String")],
  ["aws:tokenissuetime", signed("Date")],
  ["aws:principalisawsservice", signed("Bool")],
  // API Gateway: "present only in requests that are signed using temporary security credentials";
  // a function's role session was not made with MFA.
  ["aws:multifactorauthpresent", signed("Bool")],
  ["aws:multifactorauthage", never("Numeric")],
  ["aws:principalorgid", optional("String")],
  ["aws:useragent", optional("String")],
  ["aws:referer", optional("String")],
  ["aws:username", never("String")],
  ["aws:sourcevpc", never("String")],
  ["aws:sourcevpcarn", never("ARN")],
  ["aws:sourcevpce", never("String")],
  ["aws:vpcsourceip", never("IPAddress")],
  ["aws:vpceaccount", never("String")],
  ["aws:vpceorgid", never("String")],
  ["aws:sourceaccount", never("String")],
  ["aws:sourceorgid", never("String")],
  ["aws:principalservicename", never("String")],
  ["aws:calledviafirst", never("String")],
  ["aws:calledvialast", never("String")],
  ["aws:federatedprovider", never("String")],
  ["aws:sourceidentity", never("String")],
  ["aws:assumedroot", never("String")],
  ["aws:ec2instancesourcevpc", never("String")],
  ["aws:ec2instancesourceprivateipv4", never("IPAddress")],
  ["execute-api:viadomainarn", never("ARN")],
  ["dynamodb:select", optional("String")],
  ["dynamodb:returnvalues", optional("String")],
]);

/** Multivalued keys a DynamoDB call carries (set operators test each value). */
const SERVICE_MULTIVALUED = new Set(["dynamodb:leadingkeys", "dynamodb:attributes"]);

/** Multi-valued keys AWS leaves absent on this call (set operators on them see an empty set). */
const ABSENT_MULTIVALUED = new Set(["aws:calledvia", "aws:principalservicenameslist", "aws:tagkeys", "aws:sourceorgpaths", "aws:vpceorgpaths"]);

/** Keys the offline mode cannot fill exactly, with the reason start-up gives. */
const REFUSED: ReadonlyMap<string, string> = new Map([
  ["aws:principalorgpaths", "the offline mode models an organization id (--organization-id), not its OU paths"],
  ["aws:viaawsservice", "AWS includes it \"for most services\" without listing execute-api"],
  ["aws:sourcearn", "API Gateway lists it for resource policies without saying what it holds on a direct call"],
  ["aws:resourceaccount", "AWS does not document it for execute-api:Invoke"],
  ["aws:resourceorgid", "AWS does not document it for execute-api:Invoke"],
  ["aws:resourceorgpaths", "AWS does not document it for execute-api:Invoke"],
]);

/** Which `KEY/…` prefixes mean what. */
const PRINCIPAL_TAG = "aws:principaltag/";
const REQUEST_TAG = "aws:requesttag/";
const RESOURCE_TAG = "aws:resourcetag/";

export type KeyLookup = { readonly spec: ConditionKeySpec; readonly multivalued?: true } | { readonly refused: string };

/**
 * What the offline mode knows of a condition key (name in any case) on an execute-api call:
 * its spec, or why it stops start-up. Unknown keys are refused: AWS would evaluate them as absent
 * only if it truly never sets them, and the offline mode does not assume that.
 */
export function conditionKeySpec(name: string): KeyLookup {
  const key = name.toLowerCase();
  const known = KEYS.get(key);
  if (known !== undefined) return { spec: known };
  if (ABSENT_MULTIVALUED.has(key)) return { spec: never("String"), multivalued: true };
  if (SERVICE_MULTIVALUED.has(key)) return { spec: optional("String"), multivalued: true };
  const refused = REFUSED.get(key);
  if (refused !== undefined) return { refused };
  if (key.startsWith(PRINCIPAL_TAG) && key.length > PRINCIPAL_TAG.length) return { spec: optional("String") };
  if (key.startsWith(REQUEST_TAG) && key.length > REQUEST_TAG.length) return { spec: never("String") };
  if (key.startsWith(RESOURCE_TAG)) return { refused: "AWS does not document resource tags for execute-api:Invoke" };
  return { refused: "the offline mode does not know whether AWS sets this key for execute-api:Invoke" };
}

/** Request context values by lower-cased key; an absent key gives undefined. */
export interface RequestContext {
  get(key: string): string | undefined;
  /** The values of a multivalued key (`dynamodb:LeadingKeys`); undefined when absent. */
  getAll?(key: string): readonly string[] | undefined;
}

/** A service-specific key's value: one string, or the set of a multivalued key. */
export type ServiceKeyValue = string | readonly string[];

/** The global context of a call with a service's own keys (lower-cased names) layered on top. */
export function withServiceKeys(base: RequestContext, keys: ReadonlyMap<string, ServiceKeyValue>): RequestContext {
  return {
    get: (key) => {
      const value = keys.get(key);
      return typeof value === "string" ? value : value === undefined ? base.get(key) : undefined;
    },
    getAll: (key) => {
      const value = keys.get(key);
      return Array.isArray(value) ? value : undefined;
    },
  };
}

/** What the gateway knows of one request, for {@link buildRequestContext}. */
export interface RequestFacts {
  readonly requestTime: Date;
  readonly region: string;
  readonly sourceIp?: string;
  readonly userAgent?: string;
  readonly referer?: string;
}

/** AWS's date format in the request context: ISO 8601 UTC without milliseconds. */
function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The context of one call (`principal` undefined for an anonymous caller). Values are computed when a condition or variable asks: most ask for one or two. */
export function buildRequestContext(request: RequestFacts, principal: CallerPrincipal | undefined): RequestContext {
  return new ExecuteApiRequestContext(request, principal);
}

class ExecuteApiRequestContext implements RequestContext {
  constructor(
    private readonly request: RequestFacts,
    private readonly principal: CallerPrincipal | undefined,
  ) {}

  get(key: string): string | undefined {
    const { request, principal } = this;
    switch (key) {
      case "aws:currenttime":
        return isoSeconds(request.requestTime);
      case "aws:epochtime":
        return String(Math.floor(request.requestTime.getTime() / 1000));
      case "aws:securetransport":
        return "true";
      case "aws:requestedregion":
        return request.region;
      case "aws:sourceip":
        return request.sourceIp;
      case "aws:useragent":
        return request.userAgent;
      case "aws:referer":
        return request.referer;
    }
    if (principal === undefined) return undefined;
    switch (key) {
      case "aws:principalarn":
        return principal.roleArn;
      case "aws:principalaccount":
        return principal.accountId;
      case "aws:principaltype":
        return "AssumedRole";
      case "aws:userid":
        return principal.userId;
      case "aws:tokenissuetime":
        return isoSeconds(principal.tokenIssuedAt);
      case "aws:principalisawsservice":
      case "aws:multifactorauthpresent":
        return "false";
      case "aws:principalorgid":
        return principal.orgId;
    }
    if (key.startsWith(PRINCIPAL_TAG)) {
      // Tag keys are case-insensitive in condition keys; a role has few tags.
      const wanted = key.slice(PRINCIPAL_TAG.length);
      for (const tag in principal.tags) if (tag.toLowerCase() === wanted) return principal.tags[tag];
    }
    return undefined;
  }
}
