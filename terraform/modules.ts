/**
 * The hand-written Terraform modules under `modules/terraform/`: where they are, and their
 * examples. Tests and `npm run tf:docs` find them here rather than each keeping a list.
 */
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";

/** The folder a Terraform user sources modules from (`//modules/terraform/<name>?ref=…`). */
export const TERRAFORM_MODULES_DIR = resolve("modules/terraform");

/** Every module folder's name (`internal-api`, `lambda-routes`, …), sorted. */
export function terraformModuleNames(root: string = TERRAFORM_MODULES_DIR): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, entry.name, "main.tf")))
    .map((entry) => entry.name)
    .sort();
}

/** Every example folder, relative to `root` (`internal-api/examples/basic`), sorted. */
export function terraformExampleDirs(root: string = TERRAFORM_MODULES_DIR): string[] {
  return terraformModuleNames(root).flatMap((name) => {
    const examples = join(root, name, "examples");
    if (!existsSync(examples)) return [];
    return readdirSync(examples, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${name}/examples/${entry.name}`)
      .sort();
  });
}
