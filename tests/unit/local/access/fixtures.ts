import { loadStack } from "../../../../local/loader/load-stack.js";
import type { StackModel } from "../../../../local/model.js";
import { miniStackJson, writeStackDir } from "../fixtures/mini-stack.js";

export const ACCOUNT = "123456789012";
export const REGION = "eu-west-1";
const API = "aws_api_gateway_rest_api.iam_api";
const FN = "aws_lambda_function.fn";

/** Loads a hand-written stack the way `npm run access` does. */
export function loadFixture(json: unknown): StackModel {
  const stack = writeStackDir(json);
  try {
    return loadStack({ stackDir: stack.dir, accountId: ACCOUNT, region: REGION, endpoint: "http://127.0.0.1" });
  } finally {
    stack.cleanup();
  }
}

/** Adds `METHOD path` under the mini stack's IAM API (resources by name, integration to its one function). */
export function addIamRoute(json: Record<string, any>, name: string, method: string, parentResource: string | undefined, pathPart?: string): void {
  const r = json.resource;
  const parent = parentResource ?? "";
  let resourceId = parent;
  if (pathPart !== undefined) {
    r.aws_api_gateway_resource[name] = { rest_api_id: `\${${API}.id}`, parent_id: parent || `\${${API}.root_resource_id}`, path_part: pathPart };
    resourceId = `\${aws_api_gateway_resource.${name}.id}`;
  }
  r.aws_api_gateway_method[`${name}_${method}`] = { rest_api_id: `\${${API}.id}`, resource_id: resourceId, http_method: method, authorization: "AWS_IAM" };
  r.aws_api_gateway_integration[`${name}_${method}`] = {
    rest_api_id: `\${${API}.id}`,
    resource_id: resourceId,
    http_method: method,
    type: "AWS_PROXY",
    integration_http_method: "POST",
    uri: `\${${FN}.invoke_arn}`,
  };
}

/** Sets the caller role's one identity policy. */
export function setCallerPolicy(json: Record<string, any>, statements: unknown[]): void {
  json.resource.aws_iam_role_policy.grant.policy = JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** Appends statements to the IAM API's resource policy. */
export function addResourcePolicyStatements(json: Record<string, any>, statements: unknown[]): void {
  const policy = json.resource.aws_api_gateway_rest_api_policy.iam_policy;
  const document = JSON.parse(policy.policy);
  document.Statement.push(...statements);
  policy.policy = JSON.stringify(document);
}

/**
 * The article's Serverless-Framework-style grant on a user service: `execute-api:Invoke` and the
 * bogus `execute-api:GET`, on `arn:aws:execute-api:REGION:ACCOUNT:*\/STAGE/*\/user/*` (any API,
 * any method, and a `*` that crosses `/`). Routes: GET and DELETE /user/{id}, GET /user/{id}/friends.
 */
export function serverlessStyleStack(): Record<string, any> {
  const json = miniStackJson();
  const r = json.resource;
  r.aws_api_gateway_resource.items.path_part = "user";
  addIamRoute(json, "item", "DELETE", "${aws_api_gateway_resource.item.id}");
  addIamRoute(json, "friends", "GET", "${aws_api_gateway_resource.item.id}", "friends");
  setCallerPolicy(json, [
    { Effect: "Allow", Action: ["execute-api:Invoke", "execute-api:GET"], Resource: `arn:aws:execute-api:${REGION}:${ACCOUNT}:*/prod/*/user/*` },
  ]);
  return json;
}

/** The mini stack with its grant made exact: GET /items/{id} allowed, deeper paths denied. */
export function exactGrantStack(): Record<string, any> {
  const json = miniStackJson();
  addIamRoute(json, "tags", "GET", "${aws_api_gateway_resource.item.id}", "tags");
  setCallerPolicy(json, [
    { Effect: "Allow", Action: "execute-api:Invoke", Resource: `\${${API}.execution_arn}/prod/GET/items/*` },
    { Effect: "Deny", Action: "execute-api:Invoke", Resource: `\${${API}.execution_arn}/prod/GET/items/*/*` },
  ]);
  return json;
}
