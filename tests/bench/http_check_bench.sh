#!/usr/bin/env bash
# HTTP benchmark: POST /v1/check against GET /healthz, measured in the same run on the same
# daemon, under keep-alive load from a second process on loopback (tests/bench/httpload).
#
# It bootstraps a fresh organization in a temporary data dir, starts rampartd on a free port,
# seeds a small team setup through the REST API (a workspace, a project, two stacks, users in
# a team, the team's grants), then loads each endpoint for the same duration with the same
# connections and prints both request rates, p50 and p99 latencies, and the ratio of check to
# healthz throughput. The load generator and the daemon share this machine's cores: the ratio
# is the figure to compare between machines, not the absolute rates. Asserts nothing.
#
# Usage: tests/bench/http_check_bench.sh   (make bench-http builds first)
# Environment: RAMPART_BIN_DIR (default build/bin), BENCH_CONNECTIONS (8),
# BENCH_DURATION (5s a round), BENCH_ROUNDS (3). The rounds alternate between the endpoints and
# the medians are compared, so that a noisy neighbour during one run does not decide the ratio.
set -euo pipefail
cd "$(dirname "$0")/../.."

rampartd="${RAMPART_BIN_DIR:-build/bin}/rampartd"
connections="${BENCH_CONNECTIONS:-8}"
duration="${BENCH_DURATION:-5s}"
rounds="${BENCH_ROUNDS:-3}"
[[ -x "$rampartd" ]] || { echo "bench-http: $rampartd not found; run make build" >&2; exit 1; }
go build -o build/bench/httpload ./tests/bench/httpload

work="$(mktemp -d)"
daemon_pid=""
cleanup() {
  if [[ -n "$daemon_pid" ]]; then kill -TERM "$daemon_pid" 2>/dev/null && wait "$daemon_pid" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=18480
while port_in_use "$port"; do port=$((port + 1)); done
endpoint="http://127.0.0.1:$port"

token="$("$rampartd" bootstrap --data-dir "$work/data" --organization bench 2>"$work/bootstrap.log" | jq -r .token)"
# Request logs off the measured path's disk: they go to a file, as a service's would.
"$rampartd" serve --data-dir "$work/data" --listen "127.0.0.1:$port" >"$work/rampartd.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 100); do curl -fsS "$endpoint/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "$endpoint/healthz" >/dev/null || { cat "$work/rampartd.log" >&2; exit 1; }

api() {  # METHOD PATH [BODY]
  curl -fsS -X "$1" -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
    ${3:+--data "$3"} "$endpoint$2" >/dev/null
}
api POST /v1/workspaces '{"name":"alpha"}'
api POST /v1/workspaces/alpha/projects '{"name":"recommendation-engine"}'
for stack in development production; do api POST /v1/workspaces/alpha/stacks "{\"name\":\"$stack\"}"; done
members=""
for i in $(seq 20); do
  api POST /v1/users "{\"email\":\"dev$i@example.com\"}"
  members+="${members:+,}\"user:dev$i@example.com\""
done
api POST /v1/teams "{\"name\":\"developers\",\"members\":[$members]}"
api POST /v1/role_assignments '{"role":"workspace.member","team_id":"developers","workspace_id":"alpha"}'
stack_id="$(curl -fsS -H "Authorization: Bearer $token" "$endpoint/v1/workspaces/alpha/stacks/development" | jq -r .id)"
api POST /v1/role_assignments "{\"role\":\"stack.write\",\"team_id\":\"developers\",\"stack_id\":\"$stack_id\"}"

# A check allowed through the team's grant, the common case of a service asking.
check='{"principal":"user:dev7@example.com","permission":"stack:use","resource":"workspaces/alpha/stacks/development"}'
curl -fsS -H "Authorization: Bearer $token" -H "Content-Type: application/json" --data "$check" \
  "$endpoint/v1/check" | jq -e '.allowed == true' >/dev/null ||
  { echo "bench-http: the benchmark's check is not allowed; the seed is wrong" >&2; exit 1; }

echo "machine: $(nproc) CPUs available (nproc)"
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
echo "load: $connections keep-alive connections; $rounds rounds of ${duration} per endpoint, alternating, each after 1s of warm-up"
load=(build/bench/httpload -connections "$connections" -duration "$duration" -warmup 1s)
rate() { grep 'requests/s' <<<"$1" | awk '{print $NF}'; }
healthz_rates=()
check_rates=()
# The daemon's CPU time (user + system, in clock ticks) so far.
daemon_ticks() { awk '{print $14 + $15}' "/proc/$daemon_pid/stat"; }
ticks_per_second="$(getconf CLK_TCK)"
# Runs the load generator with "$@", then prints the daemon's CPU time per request.
measure() {
  local before after out
  before="$(daemon_ticks)"
  out="$("${load[@]}" "$@")"
  after="$(daemon_ticks)"
  echo "$out"
  awk -v t=$((after - before)) -v hz="$ticks_per_second" -v label="$2" \
    -v n="$(grep 'requests sent' <<<"$out" | awk '{print $NF}')" \
    'BEGIN { printf "%s: daemon CPU per request: %.1f us\n", label, t / hz * 1e6 / n }'
}
for round in $(seq "$rounds"); do
  healthz="$(measure -label "round $round: GET /healthz" -url "$endpoint/healthz")"
  checks="$(measure -label "round $round: POST /v1/check" -method POST -url "$endpoint/v1/check" \
    -token "$token" -body "$check")"
  grep -E 'requests/s|latency|CPU' <<<"$healthz"$'\n'"$checks"
  healthz_rates+=("$(rate "$healthz")")
  check_rates+=("$(rate "$checks")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
h="$(median "${healthz_rates[@]}")"
c="$(median "${check_rates[@]}")"
echo "median GET /healthz requests/s: $h"
echo "median POST /v1/check requests/s: $c"
awk -v c="$c" -v h="$h" 'BEGIN { printf "ratio: check requests/s / healthz requests/s (medians): %.2f\n", c / h }'
