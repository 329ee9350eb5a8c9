#!/usr/bin/env bash
# Makes a Terraform/OpenTofu CLI configuration that installs rampart/rampart from the
# freshly built provider binary (never from a registry), and prints the config file's path.
#   usage: terraform-cli-config.sh BIN_DIR OUT_DIR
# BIN_DIR holds terraform-provider-rampart; OUT_DIR receives a filesystem mirror and
# cli.tfrc. A mirror (rather than dev_overrides) keeps `init` working as users run it.
# Use TF_CLI_CONFIG_FILE=<printed path>, and a fresh working dir (or delete its
# .terraform.lock.hcl) after rebuilding the provider: the lock file pins the binary's hash.
set -euo pipefail
bin_dir="$(cd "$1" && pwd)"
out_dir="$2"
version="0.1.0"
mkdir -p "$out_dir"
out_dir="$(cd "$out_dir" && pwd)"
platform="$(go env GOOS)_$(go env GOARCH)"
for host in registry.terraform.io registry.opentofu.org; do
  package="$out_dir/mirror/$host/rampart/rampart/$version/$platform"
  mkdir -p "$package"
  cp "$bin_dir/terraform-provider-rampart" "$package/terraform-provider-rampart_v$version"
done
cat >"$out_dir/cli.tfrc" <<TFRC
provider_installation {
  filesystem_mirror {
    path    = "$out_dir/mirror"
    include = ["registry.terraform.io/rampart/rampart", "registry.opentofu.org/rampart/rampart"]
  }
  direct {
    exclude = ["registry.terraform.io/rampart/rampart", "registry.opentofu.org/rampart/rampart"]
  }
}
TFRC
echo "$out_dir/cli.tfrc"
