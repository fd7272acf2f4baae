/**
 * Bench-only variants of the synthesized reference stack, written as copies of its Terraform JSON
 * (the offline mode serves any stack directory): the same APIs, routes and functions, with IAM
 * taken off the internal API, and then also signing taken out of the caller.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

type Resources = Record<string, Record<string, Record<string, unknown>>>;
interface TerraformJson {
  resource: Resources;
  [key: string]: unknown;
}

export interface VariantChanges {
  /** Turn every AWS_IAM method into NONE and drop the resource policies of the APIs that had one. */
  readonly withoutIam: boolean;
  /** Function name -> a zip to run instead of its own. */
  readonly replaceZips?: Readonly<Record<string, string>>;
}

/** `${aws_api_gateway_rest_api.NAME.id}` -> NAME. */
function restApiName(reference: unknown): string | undefined {
  return typeof reference === "string" ? /^\$\{aws_api_gateway_rest_api\.([^.}]+)\.id\}$/.exec(reference)?.[1] : undefined;
}

/** Writes a changed copy of `stackDir`'s cdk.tf.json into `outDir` (zips stay where they are). */
export function writeVariantStack(stackDir: string, outDir: string, changes: VariantChanges): string {
  const json = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as TerraformJson;
  const resources = json.resource;

  if (changes.withoutIam) {
    const iamApis = new Set<string>();
    for (const method of Object.values(resources["aws_api_gateway_method"] ?? {})) {
      if (method["authorization"] !== "AWS_IAM") continue;
      method["authorization"] = "NONE";
      const api = restApiName(method["rest_api_id"]);
      if (api) iamApis.add(api);
    }
    if (iamApis.size === 0) throw new Error(`no AWS_IAM method in ${stackDir}: nothing to take IAM off`);
    // A resource policy that names principals refuses anonymous callers: it goes with IAM.
    const policies = resources["aws_api_gateway_rest_api_policy"] ?? {};
    for (const [name, policy] of Object.entries(policies)) {
      const api = restApiName(policy["rest_api_id"]);
      if (api && iamApis.has(api)) delete policies[name];
    }
    for (const api of iamApis) delete resources["aws_api_gateway_rest_api"]?.[api]?.["policy"];
  }

  const functions = resources["aws_lambda_function"] ?? {};
  const replaced = new Set<string>();
  for (const fn of Object.values(functions)) {
    const name = String(fn["function_name"]);
    const replacement = changes.replaceZips?.[name];
    // Zip paths are relative to the stack directory: make them absolute so the copy finds them.
    fn["filename"] = replacement ?? resolve(stackDir, String(fn["filename"]));
    if (replacement) replaced.add(name);
  }
  for (const name of Object.keys(changes.replaceZips ?? {})) {
    if (!replaced.has(name)) throw new Error(`no function '${name}' in ${stackDir} to give another zip`);
  }

  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "cdk.tf.json"), JSON.stringify(json, null, 2));
  return outDir;
}
