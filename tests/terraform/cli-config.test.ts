import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { findPluginMirror, renderCliConfig } from "../../terraform/cli-config.js";
import { providerUnavailableReason, TerraformCommandError } from "../../terraform/cli.js";
import { renderOfflineOverride } from "../../terraform/offline-override.js";

describe("project-local Terraform CLI config", () => {
  it("installs hashicorp/aws from the mirror and everything else from the registry", () => {
    const config = renderCliConfig({ mirror: "/opt/tf-plugins" });
    // No cache: each working directory links the mirror's provider in place.
    expect(config).not.to.include("plugin_cache_dir");
    expect(config).to.match(/filesystem_mirror \{\s+path\s+= "\/opt\/tf-plugins"\s+include = \["registry.terraform.io\/hashicorp\/aws"\]/);
    expect(config).to.match(/direct \{\s+exclude = \["registry.terraform.io\/hashicorp\/aws"\]/);
  });

  it("installs from the registry when there is no mirror, into a plugin cache", () => {
    const config = renderCliConfig({ pluginCacheDir: "/p/cache" });
    expect(config).to.include('plugin_cache_dir = "/p/cache"');
    expect(config).not.to.include("filesystem_mirror");
    expect(config).to.include("direct {}");
  });

  it("uses a mirror only when it holds hashicorp/aws", () => {
    const dir = mkdtempSync(join(tmpdir(), "sia-mirror-"));
    try {
      expect(findPluginMirror({ SIA_TF_PLUGIN_MIRROR: dir })).to.equal(undefined);
      mkdirSync(join(dir, "registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64"), { recursive: true });
      expect(findPluginMirror({ SIA_TF_PLUGIN_MIRROR: dir })).to.equal(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("tells a provider that cannot be installed apart from other init failures", () => {
    const noRegistry = new TerraformCommandError(["init"], "/x", 1, "Error: Failed to query available provider packages\n\ncould not connect to registry.terraform.io");
    expect(providerUnavailableReason(noRegistry)).to.match(/cannot be installed/);
    const badConfig = new TerraformCommandError(["init"], "/x", 1, 'Error: Unsupported argument\n\nAn argument named "nope" is not expected here.');
    expect(providerUnavailableReason(badConfig)).to.equal(undefined);
    expect(providerUnavailableReason(new Error("spawn failed"))).to.equal(undefined);
  });
});

describe("offline plan override", () => {
  it("sets fake credentials, every skip flag, and the backend only when asked", () => {
    const withBackend = JSON.parse(renderOfflineOverride({ region: "eu-west-1", statePath: "/tmp/s/terraform.tfstate" }));
    const aws = withBackend.provider.aws[0];
    expect(aws).to.include({
      region: "eu-west-1",
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
      skip_region_validation: true,
    });
    expect(aws.access_key).to.be.a("string");
    expect(withBackend.terraform[0].backend.local.path).to.equal("/tmp/s/terraform.tfstate");

    const withoutBackend = JSON.parse(renderOfflineOverride({}));
    expect(withoutBackend).not.to.have.property("terraform");
    expect(withoutBackend.provider.aws[0]).not.to.have.property("region");
    expect(withoutBackend).not.to.have.property("data");
  });

  it("points each named remote state at its placeholder state, replacing only its config", () => {
    const override = JSON.parse(renderOfflineOverride({ remoteStatePaths: { "cross-stack-reference-input-users": "/tmp/s/remote-users.tfstate" } }));
    expect(override.data).to.deep.equal({
      terraform_remote_state: { "cross-stack-reference-input-users": { config: { path: "/tmp/s/remote-users.tfstate" } } },
    });
  });
});
