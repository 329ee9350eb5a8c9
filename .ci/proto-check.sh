#!/usr/bin/env bash
# Fails when the checked-in Go types or OpenAPI document differ from what proto/ generates now.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
"$root/proto/generate.sh" "$scratch"
stale=0
for generated in provider-shim/api/rampartv1 proto/openapi/rampart.v1.openapi.json; do
  if ! diff -r "$scratch/$generated" "$root/$generated" >/dev/null; then
    diff -r "$scratch/$generated" "$root/$generated" | head -40
    echo "proto-check: $generated is stale; run 'make proto' and commit the result" >&2
    stale=1
  fi
done
[[ "$stale" == 0 ]] || exit 1
echo "proto-check: generated Go types and OpenAPI document are up to date"
