import { expect } from "chai";
import { canonicalQueryFromRaw } from "../../../local/auth/sigv4-canonical-query.js";

describe("local auth: canonical query from the raw query", () => {
  const cases: Array<[string, string, string]> = [
    ["no query", "", ""],
    ["sorts by key, then by value, in byte order", "b=2&a=2&a=1&B=0", "B=0&a=1&a=2&b=2"],
    ["signs a bare key as key=", "flag&a=1", "a=1&flag="],
    ["keeps a literal plus as %2B, never a space", "q=a+b", "q=a%2Bb"],
    ["upper-cases escapes and un-escapes unreserved bytes", "k=%7e%2d%41%2f", "k=~-A%2F"],
    ["encodes raw UTF-8 and reserved characters", "ሴ=a b&x=$", "%E1%88%B4=a%20b&x=%24"],
    ["keeps a byte that is not UTF-8 as that byte", "k=%ff%FE", "k=%FF%FE"],
    ["treats a stray % as a literal percent sign", "k=100%&j=%zz", "j=%25zz&k=100%25"],
    ["drops empty segments", "a=1&&b=2&", "a=1&b=2"],
    ["keeps = inside a value", "k=a=b", "k=a%3Db"],
    ["sorts encoded keys, as the suite's get-vanilla-query-order-encoded", "Param-3=Value3&Param=Value2&%E1%88%B4=Value1", "%E1%88%B4=Value1&Param=Value2&Param-3=Value3"],
  ];
  for (const [what, raw, canonical] of cases) {
    it(what, () => expect(canonicalQueryFromRaw(raw)).to.equal(canonical));
  }
});
