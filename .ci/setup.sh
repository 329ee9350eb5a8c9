#!/usr/bin/env bash
# Installs what building, testing and the demo need, and only what is missing:
# Debian packages for the C++ build, Go modules, and a Terraform-compatible CLI.
# Safe to run repeatedly; a no-op (a few seconds) when everything is there.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"

debian_packages=(
  g++ cmake ninja-build pkg-config make git curl jq
  libcpp-httplib-dev nlohmann-json3-dev libsqlitecpp-dev libboost-dev libspdlog-dev
  libgtest-dev libssl-dev libsqlite3-dev protobuf-compiler libprotobuf-dev sqlite3 ccache
  libhowardhinnant-date-dev tzdata
  postgresql libpq-dev  # the PostgreSQL store: libpq to build, a server for its tests
)

missing=()
for package in "${debian_packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if ((${#missing[@]} > 0)); then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo=""
  if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# go.mod asks for Go 1.25; an older go (>= 1.21) fetches that toolchain itself from the
# module proxy unless GOTOOLCHAIN=local forbids it.
go_ok=false
if command -v go >/dev/null; then
  read -r go_major go_minor < <(go env GOVERSION | sed -n 's/^go\([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
  if (( go_major > 1 || (go_major == 1 && go_minor >= 21) )); then go_ok=true; fi
fi
if [[ "$go_ok" != true ]]; then
  echo "setup: Go >= 1.21 is required on PATH (go.mod selects 1.25 through the module proxy);" >&2
  echo "       Debian's golang package is too old: install Go from go.dev's distribution." >&2
  exit 1
fi
(cd "$root" && go mod download)

cli="$("$here/terraform-cli.sh")"
echo "setup: ok (Terraform-compatible CLI: $cli)"
