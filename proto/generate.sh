#!/usr/bin/env bash
# Regenerates the Go API types from proto/ into provider-shim/api/rampartv1.
#
# Generated code is checked in, so building the provider needs neither protoc nor the
# plugin; `make proto-check` (part of `make test`) regenerates into a scratch copy and fails
# when the checked-in files are stale. Tools: protoc from Debian (protobuf-compiler) and
# protoc-gen-go pinned by the `tool` directive in go.mod.
#   usage: proto/generate.sh [OUTPUT_ROOT]   (default: the repository root)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root}"
plugin="$(cd "$root" && go tool -n protoc-gen-go)"
mkdir -p "$out"
protoc \
  --proto_path="$root/proto" \
  --proto_path=/usr/include \
  --plugin=protoc-gen-go="$plugin" \
  --go_out="$out" \
  --go_opt=module=github.com/rampart-dev/rampart \
  $(cd "$root/proto" && find rampart -name '*.proto' | sort)
