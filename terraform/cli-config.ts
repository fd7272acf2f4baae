import { existsSync } from "node:fs";
import { join } from "node:path";

/** Where the aws provider is installed from: a local filesystem mirror, or the public registry. */
export const AWS_PROVIDER_ADDRESS = "registry.terraform.io/hashicorp/aws";

/** The machine-wide mirror this project looks in first; `SIA_TF_PLUGIN_MIRROR` points elsewhere. */
export const DEFAULT_PLUGIN_MIRROR = "/opt/tf-plugins";

/** A mirror is usable when it holds at least one version of hashicorp/aws (unpacked or packed layout). */
export function findPluginMirror(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const mirror = env.SIA_TF_PLUGIN_MIRROR || DEFAULT_PLUGIN_MIRROR;
  return existsSync(join(mirror, AWS_PROVIDER_ADDRESS)) ? mirror : undefined;
}

/** HCL string literal: the only values we put in the config are paths, but quote them properly. */
const hclString = (value: string): string => JSON.stringify(value);

/**
 * The project-local Terraform CLI configuration: hashicorp/aws from the mirror when there is one
 * (everything else still from the registry), otherwise everything from the registry. A plugin
 * cache only helps downloads: from an unpacked mirror each working directory links the provider
 * in place, and a shared cache would only add a link that a concurrent `init` re-creates under a
 * running command's feet.
 */
export function renderCliConfig(options: { pluginCacheDir?: string; mirror?: string }): string {
  const lines = [...(options.pluginCacheDir ? [`plugin_cache_dir = ${hclString(options.pluginCacheDir)}`, ""] : []), "provider_installation {"];
  if (options.mirror) {
    lines.push(
      "  filesystem_mirror {",
      `    path    = ${hclString(options.mirror)}`,
      `    include = [${hclString(AWS_PROVIDER_ADDRESS)}]`,
      "  }",
      "  direct {",
      `    exclude = [${hclString(AWS_PROVIDER_ADDRESS)}]`,
      "  }",
    );
  } else {
    lines.push("  direct {}");
  }
  lines.push("}", "");
  return lines.join("\n");
}
