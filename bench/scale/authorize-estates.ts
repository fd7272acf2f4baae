// Runs in one fresh process over several synthesized estates (`<factor>=<stackDir>` arguments):
// what authorizing one signed request costs in each (the gateway's steps in its order: route
// lookup, SigV4 and IAM, the Lambda permission; no HTTP). Rounds alternate between the estates,
// so every estate is measured under the same JIT state and machine load.
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { authorizeIamRequest, routeArn, type ApiContext } from "../../local/auth/authorize.js";
import type { ReceivedRequest } from "../../local/auth/received-request.js";
import { LocalCredentialStore } from "../../local/credentials/local-credentials.js";
import { LambdaPermissionIndex } from "../../local/gateway/lambda-permissions.js";
import { lookupRoute } from "../../local/gateway/route-lookup.js";
import { loadStack } from "../../local/loader/load-stack.js";
import { median } from "../stats.js";
import { callerGrants, estateRoute, estateShape } from "./estate.js";

const ROUNDS = 21;
const PER_ROUND = 200;
const CALLERS = 8; // every estate has at least 8 callers: the same work at every size
const ACCOUNT = "123456789012";
const REGION = "us-east-1";
const HOST = "127.0.0.1:3000";
const signedAt = new Date();

/** One estate, loaded as the offline mode loads it, with one signed request per caller. */
async function prepare(factor: number, stackDir: string): Promise<() => Promise<void>> {
  const shape = estateShape(factor);
  const model = loadStack({ stackDir, accountId: ACCOUNT, region: REGION, endpoint: `http://${HOST}` });
  const store = new LocalCredentialStore();
  const permissions = new LambdaPermissionIndex(model.permissions);
  const apis = [...model.apis.values()].sort((a, b) => a.name.localeCompare(b.name, "en", { numeric: true }));
  const deps = {
    now: () => signedAt,
    lookupCredentials: store.lookup,
    identityPolicies: (roleArn: string) => model.roles.get(roleArn)?.policies ?? [],
    permissionsBoundary: (roleArn: string) => model.roles.get(roleArn)?.permissionsBoundary,
  };
  const requests = await Promise.all(
    Array.from({ length: CALLERS }, async (_, i) => {
      const role = [...model.roles.values()].find((r) => r.name === `scale-caller${i}`)!;
      const credentials = store.issue(role, "bench");
      const grant = callerGrants(shape, i)[0]!;
      const api = apis[grant.api]!;
      const route = estateRoute(grant.route);
      const path = `/restapis/${api.id}/v1${route.requestPath}`;
      const signer = new SignatureV4({ service: "execute-api", region: REGION, sha256: Hash.bind(null, "sha256"), credentials });
      const signed = await signer.sign(new HttpRequest({ method: route.method, hostname: HOST, path, headers: { host: HOST } }), { signingDate: signedAt });
      const received: ReceivedRequest = { method: route.method, rawPath: path, rawQuery: "", headers: Object.entries(signed.headers).map(([n, v]) => [n, String(v)]), body: Buffer.alloc(0) };
      const context: ApiContext = { region: REGION, accountId: ACCOUNT, apiId: api.id, stage: "v1", resourcePolicy: api.resourcePolicy };
      return { received, context, api, resourcePath: route.requestPath };
    }),
  );
  let next = 0;
  return async () => {
    const request = requests[next++ % requests.length]!;
    const match = lookupRoute(request.api.root, request.resourcePath, request.received.method);
    if (!match) throw new Error(`no route for ${request.resourcePath}`);
    const target = { method: request.received.method, resourcePath: request.resourcePath, sourceIp: "127.0.0.1" };
    const result = await authorizeIamRequest(request.received, target, request.context, deps);
    if (!result.ok) throw new Error(`a granted caller was refused: ${result.reason}`);
    const arn = `${request.api.executionArn}/v1/${target.method}${target.resourcePath}`;
    if (!permissions.mayInvoke(match.method.functionName, arn, ACCOUNT, routeArn(request.context, target.method, match.resource.path))) {
      throw new Error(`no Lambda permission for ${arn}`);
    }
  };
}

const estates = await Promise.all(
  process.argv.slice(2).map(async (arg) => {
    const [factor, stackDir] = arg.split("=") as [string, string];
    return { factor: Number(factor), authorize: await prepare(Number(factor), stackDir) };
  }),
);
for (const estate of estates) for (let i = 0; i < 3000; i++) await estate.authorize(); // warm-up: JIT, caches
const roundP50s = new Map<number, number[]>(estates.map((e) => [e.factor, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (let k = 0; k < estates.length; k++) {
    const estate = estates[(k + round) % estates.length]!;
    const times: number[] = [];
    for (let i = 0; i < PER_ROUND; i++) {
      const started = performance.now();
      await estate.authorize();
      times.push((performance.now() - started) * 1000);
    }
    roundP50s.get(estate.factor)!.push(median(times));
  }
}
process.stdout.write(JSON.stringify(Object.fromEntries([...roundP50s].map(([factor, p50s]) => [factor, p50s]))));
