import { ERROR_CODES, EXECUTE_API_HOST } from "./constants.js";
import { SigningError } from "./errors.js";

/** The region in an execute-api (or VPC endpoint) host name, else undefined. */
export function regionFromHostname(hostname: string): string | undefined {
  return EXECUTE_API_HOST.exec(hostname)?.[1]?.toLowerCase();
}

/**
 * The signing region: the caller's, else the one in the host name, else `AWS_REGION`.
 * A custom domain with neither is an error, never a guess.
 */
export function resolveRegion(hostname: string, explicit: string | undefined, env: NodeJS.ProcessEnv): string {
  const region = explicit ?? regionFromHostname(hostname) ?? env["AWS_REGION"];
  if (!region) {
    throw new SigningError(
      `cannot tell which region to sign for: "${hostname}" is not an execute-api host name and AWS_REGION is not set; pass { region } to createSignedGot`,
      ERROR_CODES.region,
    );
  }
  return region;
}
