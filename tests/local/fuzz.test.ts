import { Agent, request } from "node:http";
import { connect } from "node:net";
import { expect } from "chai";
import { SEEDED_POOL_USERS } from "../../local/issuer/local-users.js";
import { startOfflineMode, type OfflineMode } from "../../local/offline-mode.js";
import { send } from "../unit/local/fixtures/http-client.js";
import { seededRandom } from "../fixtures/seeded-random.js";

const ADA_SUB = SEEDED_POOL_USERS[0]!.sub;


const SEED = Number(process.env.SIA_FUZZ_SEED ?? 20261126);
const REQUESTS = Number(process.env.SIA_FUZZ_REQUESTS ?? 3000);
const CONCURRENCY = 16;

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

function fuzzer(random: () => number, bases: { iam: string; pub: string }, credentials: { accessKeyId: string; sessionToken: string }) {
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  // Header values node will send: tab, printable ASCII and latin-1.
  const headerText = (max: number) => {
    let s = "";
    const length = int(max);
    for (let i = 0; i < length; i++) {
      const r = random();
      s += r < 0.8 ? String.fromCharCode(0x20 + int(95)) : r < 0.9 ? String.fromCharCode(0xa0 + int(96)) : pick(["=", ",", "/", " ", "\t", "%"]);
    }
    return s;
  };
  const hex = (n: number) => Array.from({ length: n }, () => "0123456789abcdef"[int(16)]).join("");
  const amzDate = () => {
    const d = new Date(Date.now() + (int(3) - 1) * int(20) * 60_000);
    return pick([d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, ""), "20260231T000000Z", headerText(20), "", "99999999T999999Z"]);
  };
  const credential = () =>
    pick([
      `${credentials.accessKeyId}/${amzDate().slice(0, 8)}/us-east-1/execute-api/aws4_request`,
      `${credentials.accessKeyId}/${headerText(12)}`,
      `${headerText(30)}/20260101/us-east-1/execute-api/aws4_request`,
      `AKIA${hex(16).toUpperCase()}/20260101/${headerText(10)}/${headerText(10)}/aws4_request`,
      "",
      "/".repeat(int(10)),
    ]);
  const authorization = () =>
    pick([
      () => `AWS4-HMAC-SHA256 Credential=${credential()}, SignedHeaders=${pick(["host;x-amz-date", "host", "", "x-amz-date;host", headerText(30), "host;;x-amz-date", "content-length;host;x-amz-date;x-nope"])}, Signature=${pick([hex(64), hex(int(80)), headerText(70), ""])}`,
      () => `AWS4-HMAC-SHA256 ${headerText(200)}`,
      () => headerText(300),
      () => pick(["", "AWS4-HMAC-SHA256", "Bearer x", "AWS4-HMAC-SHA256 Credential=", "AWS4-HMAC-SHA256 Signature=abc, Signature=def"]),
      () => `AWS4-HMAC-SHA256 Credential=${credential()}, SignedHeaders=host;x-amz-date, Signature=${hex(64)}, ${headerText(20)}=${headerText(20)}`,
      () => `AWS4-HMAC-SHA256 Credential=${credential()}, SignedHeaders=${"a;".repeat(int(2000))}host, Signature=${hex(64)}`,
      () => `AWS4-HMAC-SHA256 Credential=${credential()},SignedHeaders=host;x-amz-date,Signature=${hex(64)}`,
    ])();
  const segment = () =>
    pick([
      () => "users",
      () => `u-${hex(4)}`,
      () => encodeURIComponent(headerText(12)),
      () => pick(["%", "%zz", "%E0%A4%A", "%00", "%2F", "..", ".", "%C0%AF", "%F0%9F%98%80", "%ED%A0%80", "~", "{id}", "*"]),
      () => "x".repeat(int(3000)),
      () => "",
    ])();
  const path = (base: string) => {
    const segments = Array.from({ length: int(5) }, segment);
    const query = random() < 0.3 ? `?${Array.from({ length: int(4) }, () => `${encodeURIComponent(headerText(6))}=${pick(["%", "%zz", encodeURIComponent(headerText(8)), "", "a=b=c"])}`).join(pick(["&", "&&", ";"]))}` : "";
    const known = pick([`/users/${ADA_SUB}`, "/users", `/users/${ADA_SUB}/profile`, "/me", ""]);
    return `${new URL(base).pathname}${random() < 0.5 ? known : `/${segments.join("/")}`}${query}`;
  };
  const body = (): Buffer | undefined =>
    pick([
      () => undefined,
      () => Buffer.from(Array.from({ length: int(4096) }, () => int(256))),
      () => Buffer.from(pick(['{"name":"A","email":"a@example.com"}', "{", "null", "[]", '{"name":' + "1".repeat(int(500)) + "}", '"\\ud800"'])),
      () => Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]),
    ])();

  return (): FuzzRequest => {
    const base = random() < 0.75 ? bases.iam : bases.pub;
    const headers: Record<string, string> = {};
    if (random() < 0.9) headers.Authorization = authorization();
    if (random() < 0.7) headers["X-Amz-Date"] = amzDate();
    if (random() < 0.3) headers["X-Amz-Security-Token"] = pick([credentials.sessionToken, headerText(50), ""]);
    if (random() < 0.2) headers["x-amz-content-sha256"] = pick([hex(64), headerText(20), "UNSIGNED-PAYLOAD"]);
    if (random() < 0.1) headers[`x-${hex(6)}`] = headerText(100);
    return { method: pick(["GET", "GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]), path: path(base), headers, body: body() };
  };
}

function sendRaw(endpoint: string, agent: Agent, r: FuzzRequest): Promise<{ status: number; errorType: string }> {
  const u = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const headers = r.body ? { ...r.headers, "content-length": String(r.body.length) } : r.headers;
    const req = request({ host: u.hostname, port: u.port, method: r.method, path: r.path, headers, agent }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, errorType: String(res.headers["x-amzn-errortype"] ?? "-") }));
    });
    req.on("error", reject);
    req.end(r.body);
  });
}

/** Bytes that are not HTTP at all, straight on a socket: node's parser must refuse them without crashing us. */
function sendGarbage(port: number, bytes: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let answer = "";
    socket.on("data", (d) => (answer += d.toString("latin1")));
    socket.on("error", () => resolve(answer));
    socket.on("close", () => resolve(answer));
    socket.end(bytes);
  });
}

describe("offline mode: fuzzing the gateway (seeded, loopback only)", function () {
  this.timeout(60_000);
  let offline: OfflineMode;

  before(async () => {
    // Throttling off: the fuzz is about parsing and authorization, not about 429s.
    offline = await startOfflineMode({ port: 0, quiet: true, throttling: false });
  });
  after(() => offline?.close());

  it(`answers ${REQUESTS} malformed requests without a 5xx and keeps serving (seed ${SEED})`, async () => {
    const random = seededRandom(SEED);
    const next = fuzzer(random, { iam: offline.outputs.users_api_url!, pub: offline.outputs.public_api_url! }, offline.credentials["sia-profile-role"]!);
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    const errorTypes = new Set<string>();
    let sent = 0;
    const worker = async () => {
      while (sent < REQUESTS) {
        sent++;
        const r = next();
        let status: number;
        try {
          const answer = await sendRaw(offline.endpoint, agent, r);
          status = answer.status;
          errorTypes.add(answer.errorType);
        } catch (error) {
          failures.push(`${r.method} ${r.path.slice(0, 120)}: ${(error as Error).message}`);
          continue;
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status >= 500 || status === 0) failures.push(`${status} for ${r.method} ${r.path.slice(0, 120)} ${JSON.stringify(r.headers).slice(0, 300)}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    agent.destroy();
    for (let i = 0; i < 50; i++) {
      const bytes = Buffer.from(Array.from({ length: 1 + Math.floor(random() * 200) }, () => Math.floor(random() * 256)));
      const answer = await sendGarbage(offline.port, bytes);
      if (/^HTTP\/1\.1 5/.test(answer)) failures.push(`5xx for raw bytes ${bytes.toString("hex").slice(0, 80)}`);
    }
    expect(failures.slice(0, 10), `${failures.length} failures; statuses ${JSON.stringify([...statuses])}`).to.deep.equal([]);
    // The fuzz must reach every stage of the verifier, not stop at the first check.
    expect([...errorTypes]).to.include.members([
      "MissingAuthenticationTokenException",
      "IncompleteSignatureException",
      "InvalidSignatureException",
      "UnrecognizedClientException",
    ]);
    const alive = await send(`${offline.outputs.public_api_url}/users/${ADA_SUB}/profile`, { headers: { authorization: await offline.issuer.mint({ email: "ada@example.com" }) } });
    expect(alive.status).to.equal(200);
  });
});
