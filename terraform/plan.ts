import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { providerUnavailableReason, type TerraformCli } from "./cli.js";
import { OFFLINE_OVERRIDE_FILE, renderOfflineOverride } from "./offline-override.js";

/** One resource change of `terraform show -json PLAN`, the parts the checks read. */
export interface PlannedResource {
  readonly address: string;
  readonly type: string;
  readonly actions: readonly string[];
  /** Attribute values known at plan time. */
  readonly after: Record<string, unknown>;
  /** Which attributes of `after` are unknown until apply (`true` at their path), as `terraform show -json` reports. */
  readonly afterUnknown: Record<string, unknown>;
}

/** The outcome of init + validate + plan on one Terraform directory. */
export type OfflinePlanResult =
  | { readonly status: "planned"; readonly resources: readonly PlannedResource[] }
  | { readonly status: "skipped"; readonly reason: string };

/** Options of {@link planOffline}. */
export interface PlanOfflineOptions {
  /** Region the provider is configured for. @default the configuration's own */
  readonly region?: string;
  /** Redirect the configuration's backend to a local state under `dir`; only for a configuration that declares one. @default true */
  readonly overrideBackend?: boolean;
  /**
   * A Terraform state (v4 JSON) to plan against, so that resources in it have known attributes
   * (ids, ARNs) and what derives from them is known at plan time too. @default no prior state
   */
  readonly priorState?: unknown;
  /**
   * States (v4 JSON) that `terraform_remote_state` data sources read instead of the ones they
   * name, by data source name (see `terraform/cross-stack.ts`). @default none
   */
  readonly remoteStates?: Readonly<Record<string, unknown>>;
}

/**
 * Runs `terraform init`, `validate` and `plan` on `dir` offline and returns the planned changes.
 * `dir` must be a throwaway copy: the override file and `.terraform/` are written into it.
 */
/** A Terraform v4 state file's content holding these outputs and resources, as if applied. */
export function terraformState(contents: { readonly outputs?: Readonly<Record<string, unknown>>; readonly resources?: readonly unknown[] }): unknown {
  return {
    version: 4,
    terraform_version: "1.11.0",
    serial: 1,
    lineage: "00000000-0000-4000-8000-000000000000",
    outputs: contents.outputs ?? {},
    resources: contents.resources ?? [],
  };
}

export async function planOffline(cli: TerraformCli, dir: string, options: PlanOfflineOptions = {}): Promise<OfflinePlanResult> {
  const stateDir = join(dir, ".offline-state");
  mkdirSync(stateDir, { recursive: true });
  const statePath = (options.overrideBackend ?? true) ? join(stateDir, "terraform.tfstate") : undefined;
  const remoteStatePaths = Object.fromEntries(
    Object.entries(options.remoteStates ?? {}).map(([dataSource, state]) => {
      const path = join(stateDir, `remote-${dataSource}.tfstate`);
      writeFileSync(path, JSON.stringify(state));
      return [dataSource, path];
    }),
  );
  writeFileSync(join(dir, OFFLINE_OVERRIDE_FILE), renderOfflineOverride({ region: options.region, statePath, remoteStatePaths }));
  if (options.priorState !== undefined) {
    writeFileSync(statePath ?? join(dir, "terraform.tfstate"), JSON.stringify(options.priorState));
  }
  try {
    await cli.run(["init", "-input=false", "-no-color"], dir);
  } catch (error) {
    const reason = providerUnavailableReason(error);
    if (reason) return { status: "skipped", reason };
    throw error;
  }
  await cli.run(["validate", "-no-color"], dir);
  await cli.run(["plan", "-input=false", "-no-color", "-lock=false", "-refresh=false", "-out=offline.tfplan"], dir);
  const shown = JSON.parse(await cli.run(["show", "-json", "offline.tfplan"], dir)) as {
    resource_changes?: { address: string; type: string; change: { actions: string[]; after: Record<string, unknown> | null; after_unknown?: Record<string, unknown> } }[];
  };
  return {
    status: "planned",
    resources: (shown.resource_changes ?? []).map((r) => ({
      address: r.address,
      type: r.type,
      actions: r.change.actions,
      after: r.change.after ?? {},
      afterUnknown: r.change.after_unknown ?? {},
    })),
  };
}

/** Every `type.name` address a Terraform JSON document declares, sorted. */
export function declaredResourceAddresses(terraformJsonFile: string): string[] {
  const document = JSON.parse(readFileSync(terraformJsonFile, "utf8")) as { resource?: Record<string, Record<string, unknown>> };
  return Object.entries(document.resource ?? {})
    .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`))
    .sort();
}
