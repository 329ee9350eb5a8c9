#!/usr/bin/env bash
# Prints the path of a Terraform-compatible CLI (>= 1.6): `tofu` or `terraform` from PATH
# when one is recent enough, otherwise OpenTofu built once per machine by build-opentofu.sh.
#   RAMPART_TF_CLI=/path/to/cli overrides the search.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

recent_enough() {  # $1: a CLI binary; true when its version is >= 1.6
  local version
  version="$("$1" version 2>/dev/null | head -n1 | sed -n 's/^[A-Za-z]* v\([0-9]*\)\.\([0-9]*\).*/\1 \2/p')"
  [[ -n "$version" ]] || return 1
  read -r major minor <<<"$version"
  (( major > 1 || (major == 1 && minor >= 6) ))
}

if [[ -n "${RAMPART_TF_CLI:-}" ]]; then
  recent_enough "$RAMPART_TF_CLI" || { echo "error: RAMPART_TF_CLI=$RAMPART_TF_CLI is not a Terraform/OpenTofu >= 1.6" >&2; exit 1; }
  echo "$RAMPART_TF_CLI"
  exit 0
fi
for candidate in tofu terraform; do
  if path="$(command -v "$candidate")" && recent_enough "$path"; then
    echo "$path"
    exit 0
  fi
done
exec "$here/build-opentofu.sh"
