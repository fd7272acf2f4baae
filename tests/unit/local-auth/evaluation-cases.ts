import type { CallerPrincipal } from "../../../local/auth/caller-principal.js";
import { type Decision, type Evaluation, type EvaluationRequest, evaluate } from "../../../local/auth/iam-evaluator.js";
import { parsePolicyDocument } from "../../../local/auth/iam-policy.js";

/** A policy statement as a test writes it. */
export type Statement = Record<string, unknown>;

/** One evaluation a table of cases describes: what differs from the table's defaults. */
export interface EvaluationCase {
  principal?: CallerPrincipal | "anonymous";
  identity?: Statement[];
  /** Statements of the caller role's permissions boundary. */
  boundary?: Statement[];
  resource?: Statement[];
  /** Policy Version of the identity and resource policies; "none" leaves it out (AWS reads 2008-10-17). @default "2012-10-17" */
  version?: string;
  arn?: string;
  action?: string;
  /** Account owning the API. */
  resourceAccountId?: string;
  sourceIp?: string;
  userAgent?: string;
}

/** A named case and the decision it must get. */
export interface DecisionCase extends EvaluationCase {
  name: string;
  expect: Decision;
}

/** What a table's cases share: the caller, the API, the request and the policies' names. */
export interface CaseDefaults {
  readonly principal: CallerPrincipal;
  readonly action: string;
  readonly arn: string;
  readonly accountId: string;
  readonly apiArn: string;
  readonly region: string;
  readonly requestTime: Date;
  /** The `source` each policy is reported under. */
  readonly sources: { readonly identity: string; readonly boundary: string; readonly resource: string };
}

/** Parses the case's policies and evaluates its request with the real evaluator. */
export function evaluateCase(c: EvaluationCase, defaults: CaseDefaults): Evaluation {
  const version = c.version === "none" ? undefined : (c.version ?? "2012-10-17");
  const request: EvaluationRequest = {
    action: c.action ?? defaults.action,
    resource: c.arn ?? defaults.arn,
    resourceAccountId: c.resourceAccountId ?? defaults.accountId,
    principal: c.principal ?? defaults.principal,
    identityPolicies: c.identity === undefined ? [] : [{ source: defaults.sources.identity, document: parsePolicyDocument({ Version: version, Statement: c.identity }, "identity") }],
    ...(c.boundary !== undefined
      ? { permissionsBoundary: { source: defaults.sources.boundary, document: parsePolicyDocument({ Version: "2012-10-17", Statement: c.boundary }, "identity") } }
      : {}),
    ...(c.resource !== undefined
      ? { resourcePolicy: { source: defaults.sources.resource, document: parsePolicyDocument({ Version: version, Statement: c.resource }, "resource") }, apiArn: defaults.apiArn }
      : {}),
    requestTime: defaults.requestTime,
    region: defaults.region,
    ...(c.sourceIp !== undefined ? { sourceIp: c.sourceIp } : {}),
    ...(c.userAgent !== undefined ? { userAgent: c.userAgent } : {}),
  };
  return evaluate(request);
}
