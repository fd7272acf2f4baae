import { expect } from "chai";
import { arnMatch, wildcardMatch } from "../../../local/auth/iam-wildcard.js";

describe("local auth: IAM wildcard matching", () => {
  const cases: Array<[pattern: string, value: string, matches: boolean]> = [
    ["*", "", true],
    ["*", "anything/at:all", true],
    ["a*b", "ab", true],
    ["a*b", "a/x:y/b", true],
    ["a*b", "a/x:y/bc", false],
    ["a?c", "abc", true],
    ["a?c", "ac", false],
    ["a/b", "axb", false],
    ["*/GET/*", "api/prod/GET/users/42", true],
    ["*/GET/*", "api/prod/POST/users/42", false],
    ["**a", "bba", true],
    ["*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false],
  ];
  for (const [pattern, value, matches] of cases) {
    it(`${matches ? "matches" : "does not match"} '${value.slice(0, 24)}' with '${pattern}'`, () => {
      expect(wildcardMatch(pattern, value)).to.equal(matches);
    });
  }

  it("is case-sensitive unless asked (actions ignore case)", () => {
    expect(wildcardMatch("execute-api:invoke", "execute-api:Invoke")).to.equal(false);
    expect(wildcardMatch("execute-api:invoke", "execute-api:Invoke", true)).to.equal(true);
  });

  it("matches ARNs part by part, keeping colons inside the resource part", () => {
    expect(arnMatch("arn:aws:iam::*:role/*", "arn:aws:iam::111111111111:role/a")).to.equal(true);
    expect(arnMatch("arn:aws:s3:::bucket:with:colons", "arn:aws:s3:::bucket:with:colons")).to.equal(true);
    expect(arnMatch("arn:aws:*", "arn:aws:iam::111111111111:role/a")).to.equal(false);
    expect(arnMatch("not-an-arn", "not-an-arn")).to.equal(false);
  });
});
