#!/usr/bin/env bash
# Fails when the checked-in Go types differ from what proto/ generates now.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
"$root/proto/generate.sh" "$scratch"
generated="provider-shim/api/rampartv1"
if ! diff -r "$scratch/$generated" "$root/$generated" >/dev/null; then
  diff -r "$scratch/$generated" "$root/$generated" | head -40
  echo "proto-check: $generated is stale; run 'make proto' and commit the result" >&2
  exit 1
fi
echo "proto-check: generated Go types are up to date"
