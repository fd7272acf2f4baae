/**
 * `npm start`: the offline mode on 127.0.0.1. Flags: --port (default 3000, 0 = any free port),
 * --quiet (no access log or function output), --account-id, --region, --state-dir (default .local),
 * --stack-dir (serve a synthesized stack folder as is, no synth), --organization-id (aws:PrincipalOrgID),
 * --reset (start with empty tables), --seed (default local/seed/dynamodb.json).
 */
import { relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { StackLoadError } from "./loader/terraform-json.js";
import { DEFAULT_STATE_DIR, PROJECT_ROOT, startOfflineMode } from "./offline-mode.js";
import { onStopRequest } from "./stop-requests.js";

const USAGE = [
  "usage: npm start -- [--port 3000] [--quiet] [--account-id 123456789012] [--region us-east-1] [--state-dir .local]",
  "                    [--stack-dir <dir>] [--organization-id o-xxxxxxxxxx] [--reset] [--seed <file>]",
  "  --stack-dir <dir>        serve this synthesized stack folder (one holding cdk.tf.json) as is, without synthesizing",
  "  --organization-id o-…    put the stack account's principals in this AWS organization (aws:PrincipalOrgID)",
  "  --account-id <12 digits> the stack's account; not 444455556666, the other-account role's",
  "  --reset                  start with empty DynamoDB tables (deletes <state-dir>/dynamodb)",
  "  --seed <file>            seed for newly created tables (default local/seed/dynamodb.json)",
  "Stops on Ctrl-C, SIGTERM or SIGHUP, or when npm goes away, with every function instance and the DynamoDB engine.",
].join("\n");

function parseFlags() {
  try {
    const { values } = parseArgs({
      options: {
        port: { type: "string", default: "3000" },
        quiet: { type: "boolean", default: false },
        "account-id": { type: "string" },
        region: { type: "string" },
        "state-dir": { type: "string" },
        "stack-dir": { type: "string" },
        "organization-id": { type: "string" },
        reset: { type: "boolean", default: false },
        seed: { type: "string" },
        help: { type: "boolean", default: false },
      },
      strict: true,
    });
    if (values.help) {
      console.log(USAGE);
      process.exit(0);
    }
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port '${values.port}' is not a port number`);
    const stateDir = values["state-dir"] === undefined ? DEFAULT_STATE_DIR : resolve(values["state-dir"]);
    const stackDir = values["stack-dir"] === undefined ? undefined : resolve(values["stack-dir"]);
    const seedFile = values.seed === undefined ? undefined : resolve(values.seed);
    return {
      port,
      quiet: values.quiet,
      accountId: values["account-id"],
      region: values.region,
      stateDir,
      stackDir,
      organizationId: values["organization-id"],
      reset: values.reset,
      seedFile,
    };
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const flags = parseFlags();
  // Listen for stop requests before starting anything, so a signal during start-up (a synth, the
  // first function) still stops every child instead of killing this process under them.
  let stopRequested: string | undefined;
  let stopNow: ((reason: string) => void) | undefined;
  onStopRequest((reason) => (stopNow ? stopNow(reason) : (stopRequested = reason)));

  let offline;
  try {
    offline = await startOfflineMode({ ...flags, log: (line) => console.log(line) });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") console.error(`Port ${flags.port} is in use: pass --port <another> (or --port 0 for any free port).`);
    else if (error instanceof StackLoadError) console.error(`The offline mode cannot serve this stack: ${error.message}`);
    else console.error(`The offline mode failed to start: ${(error as Error).message}`);
    process.exit(1);
  }

  const { model } = offline;
  const organization = flags.organizationId === undefined ? "" : `, organization ${flags.organizationId}`;
  console.log(`Offline mode: stack ${offline.stackName} on ${offline.endpoint} (account ${model.accountId}, ${model.region}${organization})`);
  for (const api of model.apis.values()) {
    for (const stage of api.stages.values()) console.log(`  ${api.name.padEnd(24)} ${stage.invokeUrl}`);
  }
  const stateDir = relative(PROJECT_ROOT, flags.stateDir) || ".";
  console.log(`Outputs:     ${stateDir}/outputs.json`);
  console.log(`Credentials: ${stateDir}/credentials.json (roles: ${Object.keys(offline.credentials).join(", ")})`);
  for (const pool of offline.issuer.pools) {
    console.log(`User pool:   ${pool.id} (JWKS ${pool.jwksUrl}); a token: npm run -s token -- --email ada@example.com`);
  }
  if (model.tables.size > 0) {
    console.log(`DynamoDB:    ${offline.awsEndpoint} (${stateDir}/endpoints.json), tables ${[...model.tables.keys()].join(", ")}, data in ${stateDir}/dynamodb${flags.reset ? " (reset)" : ""}`);
  }
  const runtimes = new Set([...model.functions.values()].map((fn) => fn.runtime));
  const here = `nodejs${process.versions.node.split(".")[0]}.x`;
  if ([...runtimes].some((runtime) => runtime !== here)) {
    console.log(`Note: functions declare ${[...runtimes].join(", ")}; they run here on Node ${process.versions.node}.`);
  }
  console.log("Ctrl-C (or SIGTERM/SIGHUP, or npm going away) stops the gateway and every function.");

  // Once npm or the terminal is gone, writing to them fails with EPIPE: stopping must go on.
  for (const stream of [process.stdout, process.stderr]) stream.on("error", () => undefined);
  const started = offline;
  stopNow = (reason: string) => {
    if (!flags.quiet) console.log(`${reason}: stopping...`);
    started.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  if (stopRequested !== undefined) stopNow(stopRequested);
}

await main();
