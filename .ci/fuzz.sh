#!/usr/bin/env bash
# Builds the libFuzzer targets (daemon/fuzz: request parsing and validation, the
# permission-pattern matcher) with clang, AddressSanitizer and UndefinedBehaviorSanitizer,
# and runs each for RAMPART_FUZZ_SECONDS: 30 by default (the CI setting), 3600 for the long
# run. Each run starts from the checked-in seeds, copied to a scratch corpus so nothing new
# lands in the repository. Fails on the first crash, leak or broken invariant, printing the
# input that caused it (kept under build/fuzz/crashes).
#   usage: .ci/fuzz.sh            RAMPART_FUZZ_SECONDS=3600 .ci/fuzz.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${RAMPART_FUZZ_SECONDS:-30}"
build="$root/build/fuzz"

# clang and its libFuzzer runtime from Debian, when missing.
if ! command -v clang++ >/dev/null || ! echo 'extern "C" int LLVMFuzzerTestOneInput(const char*, long) { return 0; }' |
     clang++ -x c++ -fsanitize=fuzzer -o /dev/null - 2>/dev/null; then
  echo "fuzz: installing clang and libclang-rt-dev"
  sudo=""
  [[ "$(id -u)" == 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends clang libclang-rt-dev >/dev/null
fi

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRAMPART_BUILD_TESTS=OFF -DRAMPART_BUILD_FUZZERS=ON >/dev/null
cmake --build "$build" --target rampart_request_fuzzer rampart_permission_fuzzer

mkdir -p "$build/crashes"
corpus=""
trap 'rm -rf "$corpus"' EXIT
for target in request permission; do
  corpus="$(mktemp -d)"
  cp "$root/daemon/fuzz/corpus/$target/"* "$corpus/"
  echo "fuzz: $target for ${seconds}s"
  if ! "$build/daemon/fuzz/rampart_${target}_fuzzer" -max_total_time="$seconds" -print_final_stats=1 \
       -artifact_prefix="$build/crashes/$target-" "$corpus" >"$build/$target.log" 2>&1; then
    tail -60 "$build/$target.log"
    input="$(sed -n 's/.*Test unit written to //p' "$build/$target.log" | tail -1)"
    echo "fuzz: $target failed on ${input:-an input in $build/crashes}; rerun: $build/daemon/fuzz/rampart_${target}_fuzzer ${input:-FILE}" >&2
    exit 1
  fi
  grep -E '^stat::number_of_executed_units|^Done' "$build/$target.log" | tail -1 | sed "s/^/fuzz: $target: /"
  rm -rf "$corpus"
done
