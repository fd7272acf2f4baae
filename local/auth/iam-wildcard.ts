/**
 * IAM's wildcard matching: `*` matches any run of characters and `?` exactly one, both
 * across `/` and `:`, so a Resource of `arn:aws:execute-api:*:*:*` followed by
 * `/prod/GET/users` matches that route of every API. Greedy matching with one backtrack point: at worst pattern × value steps, never
 * exponential, and no regex is built from policy text.
 */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  let pi = 0;
  let vi = 0;
  let starAt = -1;
  let starMatchedUpTo = 0;
  while (vi < v.length) {
    if (pi < p.length && (p[pi] === "?" || p[pi] === v[vi])) {
      pi++;
      vi++;
    } else if (pi < p.length && p[pi] === "*") {
      starAt = pi++;
      starMatchedUpTo = vi;
    } else if (starAt >= 0) {
      // Let the last `*` swallow one more character and retry from there.
      pi = starAt + 1;
      vi = ++starMatchedUpTo;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === "*") pi++;
  return pi === p.length;
}

/**
 * `ArnLike` / `ArnEquals`: the six colon-separated parts (`arn:partition:service:region:
 * account:resource`, the resource part keeping its own colons) are matched one by one,
 * so a `*` never spans parts there, unlike in the Resource element.
 */
export function arnMatch(pattern: string, value: string): boolean {
  const patternParts = arnParts(pattern);
  const valueParts = arnParts(value);
  if (patternParts === undefined || valueParts === undefined) return false;
  return patternParts.every((part, i) => wildcardMatch(part, valueParts[i]!));
}

function arnParts(arn: string): string[] | undefined {
  const parts = arn.split(":");
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(":")];
}
