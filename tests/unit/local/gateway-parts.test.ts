import { expect } from "chai";
import { formatAccessLog } from "../../../local/gateway/access-log.js";
import { integrationFailure, missingAuthenticationToken, requestTooLarge } from "../../../local/auth/api-gateway-errors.js";
import { renderGatewayError, unsupportedTemplateVariables } from "../../../local/gateway/gateway-responses.js";
import { routeArn } from "../../../local/auth/authorize.js";
import { apiGatewayMayInvoke, LambdaPermissionIndex } from "../../../local/gateway/lambda-permissions.js";
import { parseLocalTarget } from "../../../local/local-urls.js";
import { proxyResultToAnswer } from "../../../local/gateway/proxy-response.js";
import { lookupRoute } from "../../../local/gateway/route-lookup.js";
import { StageThrottle } from "../../../local/gateway/stage-throttle.js";
import type { GatewayResponseModel, MethodModel, ResourceModel, RestApiModel } from "../../../local/model.js";

function node(path: string, pathPart: string, methods: string[] = [], children: ResourceModel[] = []): ResourceModel {
  const map = new Map<string, MethodModel>(methods.map((m) => [m, { address: `m ${m} ${path}`, httpMethod: m, authorization: "NONE", functionName: `${m} ${path}` }]));
  return { id: path, path, pathPart, children, methods: map };
}

describe("route lookup", () => {
  const root = node("/", "", ["GET"], [
    node("/users", "users", ["POST"], [node("/users/{id}", "{id}", ["GET"], [node("/users/{id}/profile", "profile", ["GET"])]), node("/users/me", "me", ["GET"])]),
    node("/any", "any", ["ANY"]),
  ]);

  it("matches literal and parameter segments, decoding parameter values", () => {
    const match = lookupRoute(root, "/users/u%2D1/profile", "GET")!;
    expect(match.resource.path).to.equal("/users/{id}/profile");
    expect(match.pathParameters).to.deep.equal({ id: "u-1" });
  });

  it("prefers a literal child over a parameter child", () => {
    expect(lookupRoute(root, "/users/me", "GET")!.resource.path).to.equal("/users/me");
  });

  it("matches the root and ANY methods", () => {
    expect(lookupRoute(root, "/", "GET")!.resource.path).to.equal("/");
    expect(lookupRoute(root, "/any", "PATCH")!.method.httpMethod).to.equal("ANY");
  });

  it("finds nothing for an unknown path, an unknown method, a trailing or doubled slash", () => {
    expect(lookupRoute(root, "/nope", "GET")).to.equal(undefined);
    expect(lookupRoute(root, "/users", "GET")).to.equal(undefined);
    expect(lookupRoute(root, "/users/u-1/", "GET")).to.equal(undefined);
    expect(lookupRoute(root, "//users", "POST")).to.equal(undefined);
  });

  it("keeps a malformed percent escape as sent instead of failing", () => {
    expect(lookupRoute(root, "/users/%E0%A4%A", "GET")!.pathParameters).to.deep.equal({ id: "%E0%A4%A" });
  });
});

describe("proxy responses", () => {
  it("accepts a minimal response and defaults the content type to JSON", () => {
    expect(proxyResultToAnswer({ statusCode: 204 })).to.deep.equal({ statusCode: 204, headers: { "Content-Type": "application/json" }, body: "" });
  });

  it("merges multi-value headers and drops the framing headers the gateway owns", () => {
    const answer = proxyResultToAnswer({ statusCode: 200, headers: { "Content-Length": "3", "x-a": "1" }, multiValueHeaders: { "x-a": ["2"], "x-b": ["3", "4"] }, body: "abc" });
    expect(answer).to.deep.equal({ statusCode: 200, headers: { "x-a": "1, 2", "x-b": "3, 4", "Content-Type": "application/json" }, body: "abc" });
  });

  for (const [label, result] of [
    ["a string", "hello"],
    ["null", null],
    ["a status code as a string", { statusCode: "200", body: "" }],
    ["an out-of-range status", { statusCode: 99 }],
    ["a body that is an object", { statusCode: 200, body: {} }],
    ["an unknown key", { statusCode: 200, cookies: [] }],
    ["a header value that is an object", { statusCode: 200, headers: { a: {} } }],
    ["a header with a newline", { statusCode: 200, headers: { a: "x\r\nSet-Cookie: y" } }],
    ["multi-value headers that are not lists", { statusCode: 200, multiValueHeaders: { a: "x" } }],
    ["isBase64Encoded that is not a boolean", { statusCode: 200, isBase64Encoded: "yes" }],
  ] as const) {
    it(`calls ${label} malformed`, () => {
      expect(proxyResultToAnswer(result)).to.have.property("malformed");
    });
  }
});

describe("gateway responses", () => {
  const api = (responses: GatewayResponseModel[]): RestApiModel =>
    ({ gatewayResponses: new Map(responses.map((r) => [r.responseType, r])) }) as unknown as RestApiModel;

  it("answers AWS's defaults when the API customises nothing", () => {
    expect(renderGatewayError(api([]), missingAuthenticationToken(), "r")).to.deep.include({ statusCode: 403, body: '{"message":"Missing Authentication Token"}' });
  });

  it("uses the specific response type first, then the DEFAULT_4XX/5XX family, filling the message", () => {
    const custom = api([
      { address: "a", responseType: "MISSING_AUTHENTICATION_TOKEN", statusCode: 404, template: '{"message":"Not Found"}', headers: {} },
      { address: "b", responseType: "DEFAULT_4XX", template: '{"message":$context.error.messageString,"type":"$context.error.responseType"}', headers: { "x-static": "1" } },
      { address: "c", responseType: "DEFAULT_5XX", template: '{"message":"Internal server error"}', headers: {} },
    ]);
    expect(renderGatewayError(custom, missingAuthenticationToken(), "r")).to.deep.include({ statusCode: 404, body: '{"message":"Not Found"}' });
    const tooLarge = renderGatewayError(custom, requestTooLarge(), "r");
    expect(tooLarge).to.deep.include({ statusCode: 413, body: '{"message":"Request Too Long","type":"REQUEST_TOO_LARGE"}' });
    expect(tooLarge.headers["x-static"]).to.equal("1");
    expect(renderGatewayError(custom, integrationFailure(), "r")).to.deep.include({ statusCode: 502, body: '{"message":"Internal server error"}' });
  });

  it("names the template variables it cannot fill", () => {
    expect(unsupportedTemplateVariables('{"a":$context.error.messageString,"b":"$context.identity.sourceIp"}')).to.deep.equal(["$context.identity.sourceIp"]);
  });
});

describe("stage throttling", () => {
  it("lets a burst through, refuses the next request, and refills at the rate", () => {
    let now = 0;
    const throttle = new StageThrottle({ rateLimit: 2, burstLimit: 3 }, () => now);
    expect([throttle.tryTake(), throttle.tryTake(), throttle.tryTake(), throttle.tryTake()]).to.deep.equal([true, true, true, false]);
    now += 500; // half a second at 2/s gives one token back
    expect([throttle.tryTake(), throttle.tryTake()]).to.deep.equal([true, false]);
  });
});

describe("Lambda permissions", () => {
  const permissions = [{ address: "p", functionName: "fn", sourceArn: "arn:aws:execute-api:eu-west-1:123456789012:abc/v1/GET/users/*" }];
  it("lets API Gateway invoke only for a matching source ARN and function", () => {
    expect(apiGatewayMayInvoke(permissions, "fn", "arn:aws:execute-api:eu-west-1:123456789012:abc/v1/GET/users/u-1", "123456789012")).to.equal(true);
    expect(apiGatewayMayInvoke(permissions, "fn", "arn:aws:execute-api:eu-west-1:123456789012:abc/v1/POST/users", "123456789012")).to.equal(false);
    expect(apiGatewayMayInvoke(permissions, "fn", "arn:aws:execute-api:eu-west-1:123456789012:other/v1/GET/users/u-1", "123456789012")).to.equal(false);
    expect(apiGatewayMayInvoke(permissions, "other", "arn:aws:execute-api:eu-west-1:123456789012:abc/v1/GET/users/u-1", "123456789012")).to.equal(false);
  });

  it("answers through its index exactly as a scan of every permission does, whatever route ARN it is told", () => {
    const api = "arn:aws:execute-api:eu-west-1:123456789012:abc/v1";
    const all = [
      ...permissions,
      { address: "q", functionName: "fn", sourceArn: `${api}/POST/*` },
      { address: "r", functionName: "other", sourceArn: `${api}/GET/items` },
      { address: "s", functionName: "fn", sourceArn: `${api}/PUT/users/*`, sourceAccount: "999999999999" },
    ];
    const index = new LambdaPermissionIndex(all);
    const requests = ["GET/users/u-1", "POST/users", "POST/items/x", "GET/items", "PUT/users/u-1", "DELETE/users/u-1", "GET/users"];
    const routes = ["GET/users/*", "POST/users", "GET/items", "PUT/users/*", "DELETE/users/*", "GET/other"];
    for (const fn of ["fn", "other"]) {
      for (const request of requests) {
        for (const route of routes) {
          const expected = apiGatewayMayInvoke(all, fn, `${api}/${request}`, "123456789012");
          expect(index.mayInvoke(fn, `${api}/${request}`, "123456789012", `${api}/${route}`), `${fn} ${request} (route ${route})`).to.equal(expected);
        }
      }
    }
  });

  it("writes a route's ARN with * for each parameter, as its own permission names it", () => {
    const context = { region: "eu-west-1", accountId: "123456789012", apiId: "abc", stage: "v1" };
    expect(routeArn(context, "GET", "/users/{id}/orders/{orderId}")).to.equal("arn:aws:execute-api:eu-west-1:123456789012:abc/v1/GET/users/*/orders/*");
    expect(routeArn(context, "GET", "/")).to.equal("arn:aws:execute-api:eu-west-1:123456789012:abc/v1/GET/");
  });
});

describe("local URLs and the access log", () => {
  it("splits /restapis/ID/STAGE/path", () => {
    expect(parseLocalTarget("/restapis/abc/v1/users/1")).to.deep.equal({ apiId: "abc", stage: "v1", rawPath: "/users/1" });
    expect(parseLocalTarget("/restapis/abc/v1")).to.deep.equal({ apiId: "abc", stage: "v1", rawPath: "/" });
    expect(parseLocalTarget("/restapis/abc")).to.deep.equal({ apiId: "abc", stage: undefined, rawPath: "/" });
    expect(parseLocalTarget("/v1/users")).to.equal(undefined);
  });

  it("writes one printable line with method, path, status, principal and latency", () => {
    const line = formatAccessLog({ method: "GET", path: "/a b\n", status: 200, principal: "anonymous", latencyMs: 3.4 }, new Date(0));
    expect(line).to.equal("1970-01-01T00:00:00.000Z GET /a%20b%0A 200 anonymous 3ms");
  });
});
