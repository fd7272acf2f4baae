/**
 * `npm run token -- --email ada@example.com [--access] [--scope s]... [--expires-in 60]
 * [--pool-id id] [--client-id id] [--state-dir .local]`: prints one token of the local user pool
 * on stdout and nothing else, so that `$(npm run -s token -- …)` is the token. Errors go to stderr.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_STATE_DIR } from "../offline-mode.js";
import { mintFromStateDir } from "./local-issuer.js";

const USAGE =
  "usage: npm run -s token -- --email ada@example.com [--access] [--scope <scope>]... [--expires-in <seconds> (negative: --expires-in=-60)] [--pool-id <id>] [--client-id <id>] [--state-dir .local]";

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        email: { type: "string" },
        access: { type: "boolean", default: false },
        scope: { type: "string", multiple: true },
        "expires-in": { type: "string" },
        "pool-id": { type: "string" },
        "client-id": { type: "string" },
        "state-dir": { type: "string" },
        help: { type: "boolean", default: false },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stderr.write(`${USAGE}\n`);
    return 0;
  }
  if (!values.email) {
    process.stderr.write(`--email is required\n${USAGE}\n`);
    return 2;
  }
  const expiresIn = values["expires-in"];
  if (expiresIn !== undefined && !/^-?\d+$/.test(expiresIn)) {
    process.stderr.write(`--expires-in '${expiresIn}' is not a whole number of seconds\n${USAGE}\n`);
    return 2;
  }
  try {
    const token = await mintFromStateDir(values["state-dir"] === undefined ? DEFAULT_STATE_DIR : resolve(values["state-dir"]), {
      email: values.email,
      use: values.access ? "access" : "id",
      scopes: values.scope,
      expiresInSeconds: expiresIn === undefined ? undefined : Number(expiresIn),
      poolId: values["pool-id"],
      clientId: values["client-id"],
    });
    process.stdout.write(`${token}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`token: ${(error as Error).message}\n`);
    return 1;
  }
}

process.exitCode = await main();
