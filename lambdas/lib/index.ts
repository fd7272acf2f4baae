export { createSignedGot } from "./signed-got.js";
export type { SignedGotOptions } from "./signed-got.js";
export { SignatureMismatchError, SigningError } from "./errors.js";
export { defaultCredentials, fromLambdaEnvironment, memoizeCredentials } from "./credentials.js";
export type { Credentials, CredentialsProvider } from "./credentials.js";
export { regionFromHostname } from "./region.js";
export { ERROR_CODES } from "./constants.js";
