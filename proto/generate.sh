#!/usr/bin/env bash
# Regenerates what is derived from proto/: the Go API types in provider-shim/api/rampartv1 and
# the OpenAPI document proto/openapi/rampart.v1.openapi.json (which rampartd embeds and serves
# at GET /v1/openapi).
#
# Generated files are checked in, so building the provider or the daemon needs neither protoc
# nor the plugin; `make proto-check` (part of `make test`) regenerates into a scratch copy and
# fails when the checked-in files are stale. Tools: protoc and the well-known types from Debian
# (protobuf-compiler, libprotobuf-dev), protoc-gen-go pinned by the `tool` directive in go.mod,
# and proto/openapi (a Go program of this module).
#   usage: proto/generate.sh [OUTPUT_ROOT]   (default: the repository root)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root}"
plugin="$(cd "$root" && go tool -n protoc-gen-go)"
descriptors="$(mktemp)"
trap 'rm -f "$descriptors"' EXIT
mkdir -p "$out/proto/openapi"
# The descriptor set keeps options and comments: the OpenAPI document is made from both.
protoc \
  --proto_path="$root/proto" \
  --proto_path=/usr/include \
  --plugin=protoc-gen-go="$plugin" \
  --go_out="$out" \
  --go_opt=module=github.com/rampart-dev/rampart \
  --descriptor_set_out="$descriptors" --include_imports --include_source_info \
  $(cd "$root/proto" && find rampart -name '*.proto' | sort)
(cd "$root" && go run ./proto/openapi -descriptors "$descriptors" -out "$out/proto/openapi/rampart.v1.openapi.json")
