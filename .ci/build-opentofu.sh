#!/usr/bin/env bash
# Builds a pinned OpenTofu from the Go module proxy and prints the binary's path.
#
# Used only when neither `tofu` nor `terraform` (>= 1.6) is on PATH. OpenTofu's go.mod has a
# `replace` directive, so `go install module@version` refuses it; we build inside the
# downloaded module directory instead, where the replace applies. The result is cached
# outside the clone (one build per machine and version).
set -euo pipefail

version="${RAMPART_OPENTOFU_VERSION:-v1.10.6}"
cache_root="${RAMPART_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/rampart}"
out_dir="$cache_root/opentofu-$version"
binary="$out_dir/tofu"

if [[ -x "$binary" ]]; then
  echo "$binary"
  exit 0
fi

mkdir -p "$out_dir"
echo "building OpenTofu $version from the Go module proxy (once per machine)..." >&2
module_dir="$(cd "$out_dir" && GOFLAGS=-mod=mod go mod download -json "github.com/opentofu/opentofu@$version" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
if [[ -z "$module_dir" || ! -d "$module_dir" ]]; then
  echo "error: could not download github.com/opentofu/opentofu@$version" >&2
  exit 1
fi
# The module cache is read-only; go build only writes to GOCACHE and the -o path.
(cd "$module_dir" && CGO_ENABLED=0 go build -trimpath \
  -ldflags "-X github.com/opentofu/opentofu/version.dev=no" -o "$binary.tmp" ./cmd/tofu)
mv "$binary.tmp" "$binary"
echo "$binary"
