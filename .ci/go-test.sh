#!/usr/bin/env bash
# Runs `go test -v` on the given packages and ends with one "LABEL: N passed, N failed"
# line counting top-level tests, so every suite reports what it ran.
#   usage: go-test.sh LABEL PACKAGE...
set -uo pipefail
label="$1"
shift
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
go test -count=1 -v "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
passed=$(grep -c '^--- PASS' "$log")
failed=$(grep -c '^--- FAIL' "$log")
echo "$label: $passed passed, $failed failed"
if ((status == 0 && passed == 0)); then
  echo "$label: no test ran" >&2
  exit 1
fi
exit "$status"
