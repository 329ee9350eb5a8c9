#!/usr/bin/env bash
# Generates provider-shim/docs with terraform-plugin-docs (pinned) from the provider's schema
# descriptions and provider-shim/examples. With --check, fails when the checked-in docs
# differ from what would be generated (CI runs this, so docs cannot go stale).
# REQUIRES: build/bin/terraform-provider-rampart is built (make build).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tfplugindocs="github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs@v0.25.0"

# The schema comes from our own CLI (Terraform or OpenTofu) with the locally built provider,
# so tfplugindocs neither builds nor downloads anything. It looks the schema up under the
# provider's short name, hence the key rename.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cli="$("$root/.ci/terraform-cli.sh")"
export TF_CLI_CONFIG_FILE CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
TF_CLI_CONFIG_FILE="$("$root/.ci/terraform-cli-config.sh" "$root/build/bin" "$scratch/cli")"
mkdir "$scratch/work"
printf 'terraform {\n  required_providers {\n    rampart = { source = "rampart/rampart" }\n  }\n}\n' \
  >"$scratch/work/main.tf"
(cd "$scratch/work" && "$cli" init -input=false >/dev/null &&
  "$cli" providers schema -json) |
  jq '.provider_schemas |= with_entries(select(.key | endswith("/rampart/rampart")) | .key = "rampart")' \
    >"$scratch/schema.json"

cd "$root/provider-shim"
go run "$tfplugindocs" generate --provider-dir . --provider-name rampart \
  --rendered-provider-name Rampart --providers-schema "$scratch/schema.json" >/dev/null

if [[ "${1:-}" == "--check" ]]; then
  stale="$(git -C "$root" status --porcelain -- provider-shim/docs)"
  if [[ -n "$stale" ]]; then
    echo "$stale"
    git -C "$root" --no-pager diff --stat -- provider-shim/docs
    echo "provider-docs: provider-shim/docs is stale; run 'make docs' and commit the result" >&2
    exit 1
  fi
  echo "provider-docs: provider-shim/docs is up to date"
fi
