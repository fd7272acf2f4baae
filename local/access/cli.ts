/**
 * `npm run access`: who can call what in the synthesized stack. Flags: --stack-dir (default: the
 * reference stack, synthesized first when stale), --json, --markdown, --check (exit 1 on an error
 * finding), --account-id, --region. Reads only the synthesized Terraform.
 */
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ensureFreshSynth } from "../fresh-synth.js";
import { loadStack } from "../loader/load-stack.js";
import { StackLoadError } from "../loader/terraform-json.js";
import { DEFAULT_ACCOUNT_ID, DEFAULT_STACK_DIR, PROJECT_ROOT, providerRegion } from "../offline-mode.js";
import { buildAccessReport } from "./access-report.js";
import { renderMarkdown, renderText } from "./render.js";

const USAGE = "usage: npm run access -- [--stack-dir cdktf.out/stacks/secure-internal-apis] [--json | --markdown] [--check] [--account-id 123456789012] [--region us-east-1]";

function parseFlags() {
  try {
    const { values } = parseArgs({
      options: {
        "stack-dir": { type: "string" },
        json: { type: "boolean", default: false },
        markdown: { type: "boolean", default: false },
        check: { type: "boolean", default: false },
        "account-id": { type: "string" },
        region: { type: "string" },
        help: { type: "boolean", default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      console.log(USAGE);
      process.exit(0);
    }
    if (values.json && values.markdown) throw new Error("--json and --markdown exclude each other");
    return values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

function main(): number {
  const flags = parseFlags();
  const stackDir = resolve(flags["stack-dir"] ?? DEFAULT_STACK_DIR);
  try {
    if (flags["stack-dir"] === undefined) ensureFreshSynth(PROJECT_ROOT, join(stackDir, "cdk.tf.json"), (line) => console.error(line));
    const model = loadStack({
      stackDir,
      accountId: flags["account-id"] ?? DEFAULT_ACCOUNT_ID,
      region: flags.region ?? providerRegion(stackDir) ?? "us-east-1",
      endpoint: "http://127.0.0.1",
    });
    const report = buildAccessReport(model);
    const heading = { stack: model.stackName, accountId: model.accountId, region: model.region };
    process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : flags.markdown ? renderMarkdown(report, heading) : renderText(report, heading));
    const errors = report.findings.filter((f) => f.severity === "error");
    if (flags.check && errors.length > 0) {
      console.error(`access check failed: ${errors.length} error finding(s)`);
      return 1;
    }
    return 0;
  } catch (error) {
    if (error instanceof StackLoadError) console.error(`The access report cannot read this stack: ${error.message}`);
    else console.error(`The access report failed: ${(error as Error).message}`);
    return 1;
  }
}

process.exitCode = main();
