/**
 * The local DynamoDB endpoint's added cost: the same GetItem through the endpoint (SigV4
 * verification, IAM mapping and evaluation, forwarding) against the same SDK client calling the
 * engine (dynalite) directly, in one run; plus the in-process cost of verify + map + evaluate alone.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { evaluate } from "../../local/auth/iam-evaluator.js";
import { parsePolicyDocument } from "../../local/auth/iam-policy.js";
import { verifySigV4 } from "../../local/auth/sigv4-verifier.js";
import { AwsEndpoint } from "../../local/aws-endpoint/aws-endpoint.js";
import { mapDynamoDbCall } from "../../local/aws-endpoint/dynamodb-iam-mapping.js";
import { startDynamoDbEngine } from "../../local/aws-endpoint/dynamodb-engine.js";
import { LocalCredentialStore } from "../../local/credentials/local-credentials.js";
import type { RoleModel, TableModel } from "../../local/model.js";
import { markdownTable, ratio, runBenchChild, withSpread, type BenchSection } from "../section.js";
import { pairedRatio, summarize } from "../stats.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const REGION = "us-east-1";
const ACCOUNT = "123456789012";
const ROUNDS = 20;
const CALLS_PER_ROUND = 100;
const IN_PROCESS_CALLS = 2000;

const TABLE: TableModel = {
  address: "aws_dynamodb_table.users",
  name: "users",
  arn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/users`,
  hashKey: "id",
  attributes: new Map([["id", "S"]]),
  globalSecondaryIndexes: [],
  localSecondaryIndexes: [],
};

async function perCallMicros(client: DynamoDBClient, calls: number): Promise<number> {
  const command = new GetItemCommand({ TableName: "users", Key: { id: { S: "u-1001" } } });
  const started = performance.now();
  for (let i = 0; i < calls; i++) await client.send(command);
  return ((performance.now() - started) * 1000) / calls;
}

async function measure(): Promise<BenchSection> {
  const engine = await startDynamoDbEngine({ tables: [TABLE] });
  const store = new LocalCredentialStore();
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/users-fn`;
  const policies = [{ source: "grants", document: parsePolicyDocument({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:PutItem"], Resource: TABLE.arn }] }, "identity") }];
  const role: RoleModel = { address: "aws_iam_role.users", name: "users-fn", arn: roleArn, uniqueId: "AROABENCHROLE0000001", accountId: ACCOUNT, tags: {}, policies };
  const creds = store.issue(role, "bench");
  const endpoint = new AwsEndpoint({ region: REGION, accountId: ACCOUNT, tables: new Map([["users", TABLE]]), engineUrl: engine.url, lookupCredentials: store.lookup, roles: new Map([[roleArn, role]]) });
  const server = createServer({ keepAlive: true }, endpoint.listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const credentials = { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey, sessionToken: creds.sessionToken };
  const viaEndpoint = new DynamoDBClient({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, region: REGION, credentials, maxAttempts: 1 });
  const direct = new DynamoDBClient({ endpoint: engine.url, region: REGION, credentials, maxAttempts: 1 });
  try {
    await viaEndpoint.send(new PutItemCommand({ TableName: "users", Item: { id: { S: "u-1001" }, name: { S: "Ada Lovelace" }, email: { S: "ada@example.com" } } }));
    await perCallMicros(viaEndpoint, 200);
    await perCallMicros(direct, 200);
    const through: number[] = [];
    const straight: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which goes first, so drift in the machine's load does not favour one.
      if (round % 2 === 0) {
        through.push(await perCallMicros(viaEndpoint, CALLS_PER_ROUND));
        straight.push(await perCallMicros(direct, CALLS_PER_ROUND));
      } else {
        straight.push(await perCallMicros(direct, CALLS_PER_ROUND));
        through.push(await perCallMicros(viaEndpoint, CALLS_PER_ROUND));
      }
    }

    // verify + map + evaluate alone, on one signed GetItem as the SDK sends it (fresh date each time).
    const body = JSON.stringify({ TableName: "users", Key: { id: { S: "u-1001" } } });
    const signer = new SignatureV4({ service: "dynamodb", region: REGION, sha256: Hash.bind(null, "sha256"), credentials });
    const signed = await signer.sign(new HttpRequest({ method: "POST", protocol: "http:", hostname: "127.0.0.1", port: 4000, path: "/", headers: { host: "127.0.0.1:4000", "content-type": "application/x-amz-json-1.0", "x-amz-target": "DynamoDB_20120810.GetItem" }, body }));
    const received = { method: "POST", rawPath: "/", rawQuery: "", headers: Object.entries(signed.headers as Record<string, string>), body: Buffer.from(body) };
    const place = { region: REGION, accountId: ACCOUNT, keysOf: () => TABLE };
    const authorizeOnce = async () => {
      const verified = await verifySigV4(received, { region: REGION, service: "dynamodb", now: new Date(), lookup: store.lookup });
      if (!verified.ok) throw new Error(verified.reason);
      const mapped = mapDynamoDbCall("DynamoDB_20120810.GetItem", JSON.parse(body), place);
      if (!mapped.ok) throw new Error(mapped.message);
      for (const check of mapped.checks) {
        const evaluation = evaluate({
          action: check.action,
          resource: check.resource,
          resourceAccountId: ACCOUNT,
          principal: verified.credentials.principal,
          identityPolicies: policies,
          requestTime: new Date(),
          region: REGION,
          sourceIp: "127.0.0.1",
          serviceKeys: check.context,
        });
        if (evaluation.decision !== "Allow") throw new Error(evaluation.reason);
      }
    };
    for (let i = 0; i < 500; i++) await authorizeOnce();
    const inProcess: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now();
      for (let i = 0; i < IN_PROCESS_CALLS / ROUNDS; i++) await authorizeOnce();
      inProcess.push(((performance.now() - started) * 1000) / (IN_PROCESS_CALLS / ROUNDS));
    }

    const addedPerRound = through.map((t, i) => t - straight[i]!);
    const added = summarize(addedPerRound);
    const vsDirect = pairedRatio(through, straight);
    const auth = summarize(inProcess);
    const rows = [
      ["GetItem through the endpoint", withSpread(summarize(through), 0), `${ratio(vsDirect.median)} (${ratio(vsDirect.p25)}–${ratio(vsDirect.p75)})`, withSpread(added, 0)],
      ["GetItem to dynalite directly (baseline)", withSpread(summarize(straight), 0), "1.00×", "—"],
      ["verify + map + evaluate, in process", withSpread(auth, 1), "—", withSpread(auth, 1)],
    ];
    return {
      id: "aws-endpoint",
      title: "The local DynamoDB endpoint",
      method:
        `The same SDK client (@aws-sdk/client-dynamodb, keep-alive) sends one GetItem at a time, ${CALLS_PER_ROUND} per round, ${ROUNDS} rounds alternating ` +
        "through the local endpoint and straight to dynalite; µs per call is each round's mean, median (interquartile range) over rounds, ratio and added µs paired per round. " +
        `The last row times SigV4 verification, the IAM mapping and evaluation of one pre-signed GetItem in process, ${IN_PROCESS_CALLS} times.`,
      table: markdownTable(["Path", "µs per call", "vs direct", "added µs per call"], rows),
      goals: [],
      data: { through, straight, addedPerRound, inProcess, vsDirect, added, auth },
    };
  } finally {
    viaEndpoint.destroy();
    direct.destroy();
    endpoint.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await engine.close();
  }
}

await runBenchChild(measure);
