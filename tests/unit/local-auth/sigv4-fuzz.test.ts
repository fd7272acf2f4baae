/**
 * Bounded, deterministic fuzzing (seeded PRNG, fixed iteration count): malformed
 * Authorization headers, dates, paths, queries, headers and bodies must never make the
 * verifier throw, and must always come back as a 4xx API Gateway error that leaks nothing.
 * Every generated request carries a signature that is not the right one, so none may pass.
 */
import { expect } from "chai";
import type { ReceivedRequest } from "../../../local/auth/received-request.js";
import { verifySigV4 } from "../../../local/auth/sigv4-verifier.js";
import { ERROR_TYPES, expectNoLeak } from "./assertions.js";
import { CALLER, REGION, SERVICE, SIGNED_AT, header, lookupOf, signAsClient, withHeader } from "./signing-client.js";
import { seededRandom } from "../../fixtures/seeded-random.js";

const SEED = 0x5eed_2026;
const ITERATIONS = 3000;


class Gen {
  constructor(private readonly next: () => number) {}
  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  hex(length: number): string {
    let s = "";
    for (let i = 0; i < length; i++) s += "0123456789abcdef"[this.int(16)];
    return s;
  }
  /** Printable ASCII, control characters, non-ASCII and lone surrogates mixed. */
  junk(maxLength: number): string {
    const alphabet = [..."abcXYZ019 =,;/:%+-_.~*?\"'\\\t", "\u0000", "\n", "\r", "é", "ሴ", "\uD800", "\uDFFF", "😀", "%FF", "%zz"];
    let s = "";
    const length = this.int(maxLength + 1);
    for (let i = 0; i < length; i++) s += this.pick(alphabet);
    return s;
  }
  /** Tokens that look like parts of a real request, recombined. */
  fromTokens(tokens: readonly string[], maxCount: number): string {
    let s = "";
    const count = this.int(maxCount + 1);
    for (let i = 0; i < count; i++) s += this.pick(tokens);
    return s;
  }
}

const PATH_TOKENS = ["/", "//", ".", "..", "prod", "users", "42", "%20", "%2F", "%25", "%FF", "%zz", "%", " ", "é", "\uD800", "?", "#", "~", "*"];
const QUERY_TOKENS = ["&", "=", "a", "b", "%3D", "%26", "+", "%2B", "%FF", "%", "%E1%88", "ሴ", " ", "==", "&&"];
const SCOPE_PARTS = ["FAKELOCALCALLER00001", "AKIDEXAMPLE", "", "20260301", "20260302", "2026030", REGION, "us-east-1", SERVICE, "service", "aws4_request", "x"];

function authorizationVariant(g: Gen, valid: string): string {
  const randomSignature = () => g.pick([g.hex(64), g.hex(g.int(80)), g.junk(70), ""]);
  switch (g.int(5)) {
    case 0:
      return g.junk(200);
    case 1: {
      const credential = Array.from({ length: g.int(8) }, () => g.pick(SCOPE_PARTS)).join("/");
      const signedHeaders = Array.from({ length: g.int(5) }, () => g.pick(["host", "x-amz-date", "authorization", "", "x-amz-security-token", "X-Tenant", "ሴ"])).join(";");
      const params = [`Credential=${credential}`, `SignedHeaders=${signedHeaders}`, `Signature=${randomSignature()}`, g.junk(10)].filter(() => g.chance(0.8));
      const shuffled = params.sort(() => (g.chance(0.5) ? -1 : 1));
      return `${g.pick(["AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512", "", "Bearer", "aws4-hmac-sha256"])} ${shuffled.join(g.pick([", ", ",", " ", ",,", ", \t"]))}`;
    }
    case 2: {
      // The real header with a wrong signature, then a few characters inserted, deleted or replaced.
      let value = valid.replace(/Signature=[0-9a-f]+/, `Signature=${g.hex(64)}`);
      for (let edits = 1 + g.int(3); edits > 0; edits--) {
        const at = g.int(value.length + 1);
        const op = g.int(3);
        value = op === 0 ? value.slice(0, at) + g.junk(3) + value.slice(at) : op === 1 ? value.slice(0, at) + value.slice(at + 1) : value.slice(0, at) + g.junk(1) + value.slice(at + 1);
      }
      return value;
    }
    case 3:
      return valid.replace(/Signature=[0-9a-f]+/, `Signature=${randomSignature()}`);
    default:
      return valid.replace(/Signature=[0-9a-f]+/, `Signature=${g.hex(64)}`) + g.junk(20);
  }
}

function mutate(g: Gen, base: ReceivedRequest): ReceivedRequest {
  let req: ReceivedRequest = withHeader(base, "authorization", authorizationVariant(g, header(base, "authorization")!));
  if (g.chance(0.3)) {
    const date = g.pick([
      g.junk(20),
      "",
      `2026030${g.int(10)}T${String(g.int(30)).padStart(2, "0")}${String(g.int(70)).padStart(2, "0")}00Z`,
      new Date(SIGNED_AT.getTime() + (g.int(40) - 20) * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-:]/g, ""),
    ]);
    req = g.chance(0.1) ? withHeader(req, "x-amz-date", undefined) : withHeader(req, "x-amz-date", date);
  }
  if (g.chance(0.3)) req = { ...req, rawPath: g.fromTokens(PATH_TOKENS, 12) };
  if (g.chance(0.3)) req = { ...req, rawQuery: g.fromTokens(QUERY_TOKENS, 12) };
  if (g.chance(0.2)) req = { ...req, body: Buffer.from(Array.from({ length: g.int(64) }, () => g.int(256))) };
  if (g.chance(0.2)) req = { ...req, headers: [...req.headers, [g.pick(["Authorization", "X-Amz-Date", "Host", "x-amz-security-token", "x-amz-content-sha256", g.junk(8)]), g.junk(30)]] };
  if (g.chance(0.1)) req = withHeader(req, g.pick(["host", "x-amz-security-token", "x-amz-content-sha256"]), undefined);
  if (g.chance(0.02)) req = withHeader(req, "authorization", undefined);
  if (g.chance(0.05)) req = { ...req, method: g.pick(["", "get", "PO ST", g.junk(6)]) };
  return req;
}

describe("local auth: SigV4 verifier under fuzzing", () => {
  it(`answers ${ITERATIONS} malformed requests (seed ${SEED}) with a 4xx error, never a throw`, async () => {
    const g = new Gen(seededRandom(SEED));
    const bases = [
      await signAsClient({ query: "a=1&b=2" }),
      await signAsClient({ method: "POST", body: '{"x":1}', applyChecksum: false, headers: { "content-type": "application/json" } }),
    ];
    const seen = new Set<string>();
    for (let i = 0; i < ITERATIONS; i++) {
      const req = mutate(g, g.pick(bases));
      let result;
      try {
        result = await verifySigV4(req, { region: REGION, service: SERVICE, now: SIGNED_AT, lookup: lookupOf(CALLER) });
      } catch (error) {
        expect.fail(`iteration ${i} threw ${String(error)}`);
      }
      if (result.ok) expect.fail(`iteration ${i} verified a request with a wrong signature`);
      expect(result.error.statusCode, `iteration ${i}`).to.be.within(400, 499);
      expect(ERROR_TYPES, `iteration ${i}`).to.include(result.error.errorType);
      for (const value of Object.values(result.error.body)) expect(value).to.be.a("string");
      expect(JSON.parse(JSON.stringify(result.error.body))).to.deep.equal(result.error.body);
      expectNoLeak(result, req, [CALLER]);
      // The catch-all in verifySigV4 is a last resort; reaching it means an unhandled input.
      expect(result.reason, `iteration ${i}`).not.to.match(/^verifier error/);
      seen.add(result.error.errorType);
    }
    // The generator must reach every failure the verifier can give, or it fuzzes too narrowly.
    expect([...seen].sort()).to.deep.equal([
      "IncompleteSignatureException",
      "InvalidSignatureException",
      "MissingAuthenticationTokenException",
      "UnrecognizedClientException",
    ]);
  });
});
