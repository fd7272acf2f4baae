/**
 * IAM's wildcard matching: `*` matches any run of characters and `?` exactly one, both
 * across `/` and `:`, so a Resource of `arn:aws:execute-api:*:*:*` followed by
 * `/prod/GET/users` matches that route of every API. Greedy matching with one backtrack point:
 * at worst pattern × value steps, never exponential, and no regex is built from policy text.
 *
 * Patterns are compiled once ({@link compileWildcard}): their wildcards become private-use
 * characters, so text that must match literally (a policy variable's value, `${*}`, `${?}`) can
 * sit beside them without being read as a wildcard.
 */

/** A compiled `*` (any run) and `?` (one character). Private-use code points no ARN, header or key value carries. */
export const ANY_RUN = "\uE000";
export const ANY_ONE = "\uE001";

/** Policy text -> compiled pattern: `*` and `?` become wildcards, everything else stays literal. */
export function compileWildcard(text: string): string {
  return text.replaceAll("*", ANY_RUN).replaceAll("?", ANY_ONE);
}

/**
 * Matches a compiled pattern against `value` from `start` on (so a literal prefix can be checked
 * apart without building a string). `ignoreCase` lower-cases the value (actions); the pattern must
 * be compiled in lower case then.
 */
export function matchCompiled(pattern: string, value: string, ignoreCase = false, start = 0): boolean {
  const p = pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  let pi = 0;
  let vi = start;
  let starAt = -1;
  let starMatchedUpTo = 0;
  while (vi < v.length) {
    if (pi < p.length && (p[pi] === ANY_ONE || p[pi] === v[vi])) {
      pi++;
      vi++;
    } else if (pi < p.length && p[pi] === ANY_RUN) {
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
  while (pi < p.length && p[pi] === ANY_RUN) pi++;
  return pi === p.length;
}

/** Matches policy text with `*` and `?` as wildcards. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  return matchCompiled(compileWildcard(ignoreCase ? pattern.toLowerCase() : pattern), value, ignoreCase);
}

/**
 * `ArnLike` / `ArnEquals`: the six colon-separated parts (`arn:partition:service:region:
 * account:resource`, the resource part keeping its own colons) are matched one by one,
 * so a `*` never spans parts there, unlike in the Resource element. Takes a compiled pattern.
 */
export function arnMatchCompiled(pattern: string, value: string): boolean {
  const patternParts = arnParts(pattern);
  const valueParts = arnParts(value);
  if (patternParts === undefined || valueParts === undefined) return false;
  return patternParts.every((part, i) => matchCompiled(part, valueParts[i]!));
}

/** {@link arnMatchCompiled} on policy text. */
export function arnMatch(pattern: string, value: string): boolean {
  return arnMatchCompiled(compileWildcard(pattern), value);
}

function arnParts(arn: string): string[] | undefined {
  const parts = arn.split(":");
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(":")];
}
