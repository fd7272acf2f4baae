/**
 * The test-only override that lets `terraform plan` run with no AWS account and no network: fake
 * static credentials, every provider call that would reach AWS at plan time switched off, the
 * state in a throwaway directory, and cross-stack references read from placeholder states. It is written beside a *copy* of the synthesized stack,
 * never into what users deploy.
 */

/** The file name: Terraform merges `*_override.tf.json` files last, over the stack's own blocks. */
export const OFFLINE_OVERRIDE_FILE = "zz_test_override.tf.json";

/** An account id no one owns; with `skip_requesting_account_id` the provider uses it in ARNs it builds. */
export const FAKE_ACCOUNT_ID = "123456789012";

/** Provider settings that make `validate`/`plan` work offline (also used by mocked module tests). */
export function offlineProviderSettings(region?: string): Record<string, unknown> {
  return {
    ...(region ? { region } : {}),
    access_key: "offline-test-only-access-key",
    secret_key: "offline-test-only-not-a-secret",
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
    skip_region_validation: true,
  };
}

/**
 * The override document: provider `aws` settings; for a configuration that declares a backend
 * (the synthesized stack does, with an absolute path), a local backend at `statePath`; and each
 * `terraform_remote_state` named in `remoteStatePaths` reading the (placeholder) state at its path
 * instead of the producer's real one, which a deployment may have left beside the app.
 */
export function renderOfflineOverride(options: { region?: string; statePath?: string; remoteStatePaths?: Readonly<Record<string, string>> }): string {
  const remoteStates = Object.entries(options.remoteStatePaths ?? {});
  const document = {
    provider: { aws: [offlineProviderSettings(options.region)] },
    ...(options.statePath ? { terraform: [{ backend: { local: { path: options.statePath } } }] } : {}),
    ...(remoteStates.length > 0
      ? { data: { terraform_remote_state: Object.fromEntries(remoteStates.map(([name, path]) => [name, { config: { path } }])) } }
      : {}),
  };
  return JSON.stringify(document, null, 2) + "\n";
}
