#!/usr/bin/env bash
# The README's demo: start rampartd on a fresh embedded SQLite data dir, apply the
# team-alpha example with the real Terraform/OpenTofu CLI, and show its access matrix and
# a few allowed and denied checks.
#   demo.sh start   (make demo)       build first; safe to run again: it starts over
#   demo.sh stop    (make demo-stop)  stop the demo daemon
# Everything lives in .demo/ at the repository root (git-ignored).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
demo_dir="$root/.demo"
pid_file="$demo_dir/rampartd.pid"
example="team-alpha"

# Stops the demo's rampartd, if the pid file still names one (a reused pid that is some
# other program is left alone). Fails when it does not stop, so nothing is deleted under it.
stop_daemon() {
  [[ -f "$pid_file" ]] || return 0
  local pid
  pid="$(cat "$pid_file")"
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "rampartd serve --data-dir $demo_dir/data"; then
    kill -TERM "$pid"
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "demo: rampartd (pid $pid) did not stop within 10s; stop it, then rerun" >&2
      exit 1
    fi
    echo "demo: stopped rampartd (pid $pid)"
  fi
  rm -f "$pid_file"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
  stop_daemon
  rm -rf "$demo_dir/data" "$demo_dir/work"
  mkdir -p "$demo_dir/work"
  local rampartd="$root/build/bin/rampartd"
  [[ -x "$rampartd" ]] || { echo "demo: $rampartd is missing; run 'make demo'" >&2; exit 1; }

  local port="${RAMPART_DEMO_PORT:-8080}"
  while port_in_use "$port"; do port=$((port + 1)); done
  local endpoint="http://127.0.0.1:$port"

  echo "demo: bootstrapping organization 'demo' in $demo_dir/data"
  local bootstrap token
  bootstrap="$("$rampartd" bootstrap --data-dir "$demo_dir/data" --organization demo 2>"$demo_dir/bootstrap.log")" ||
    { echo "demo: bootstrap failed:" >&2; cat "$demo_dir/bootstrap.log" >&2; exit 1; }
  token="$(jq -r .token <<<"$bootstrap")"
  (umask 077 && printf 'export RAMPART_ENDPOINT=%s\nexport RAMPART_TOKEN=%s\n' "$endpoint" "$token" >"$demo_dir/env")

  echo "demo: starting rampartd on $endpoint (log: $demo_dir/rampartd.log)"
  nohup "$rampartd" serve --data-dir "$demo_dir/data" --listen "127.0.0.1:$port" \
    >"$demo_dir/rampartd.log" 2>&1 </dev/null &
  echo $! >"$pid_file"
  trap 'echo "demo: failed; rampartd may still be running: make demo-stop" >&2' ERR
  for _ in $(seq 100); do
    curl -fsS "$endpoint/healthz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  curl -fsS "$endpoint/healthz" >/dev/null || { echo "demo: rampartd did not start:" >&2; cat "$demo_dir/rampartd.log" >&2; exit 1; }

  local cli
  cli="$("$root/.ci/terraform-cli.sh")"
  export TF_CLI_CONFIG_FILE
  TF_CLI_CONFIG_FILE="$("$root/.ci/terraform-cli-config.sh" "$root/build/bin" "$demo_dir/cli")"
  export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1 RAMPART_ENDPOINT="$endpoint" RAMPART_TOKEN="$token"
  cp "$root/terraform-examples/$example"/*.tf "$demo_dir/work/"
  echo "demo: $(basename "$cli") init + apply of terraform-examples/$example"
  (cd "$demo_dir/work" && "$cli" init -input=false -no-color >/dev/null && "$cli" apply -auto-approve -input=false -no-color)

  local auth=(-H "Authorization: Bearer $token")
  echo
  echo "== Access matrix of alpha-workspace (teams expanded into their members) =="
  # Scope ids by name, for reading the matrix.
  local names
  names="$(for list in workspaces workspaces/alpha-workspace/projects workspaces/alpha-workspace/stacks; do
    curl -fsS "${auth[@]}" "$endpoint/v1/$list"
  done | jq -s '[.[].items[] | {key: .id, value: .name}] | from_entries')"
  curl -fsS "${auth[@]}" "$endpoint/v1/access-matrix?scope=workspaces/alpha-workspace" |
    jq -r --argjson names "$names" 'def pad(n): . + " " * ([n - length, 1] | max);
      (["PRINCIPAL", "ROLE", "SCOPE", "VIA"] | "\(.[0] | pad(22))\(.[1] | pad(21))\(.[2] | pad(34))\(.[3])"),
      (.rows | map(select(.principal_type == "user")) | sort_by(.via, .principal_name, .scope.type)[] |
        "\(.principal_name | pad(22))\(.role_name | pad(21))\("\(.scope.type) \($names[.scope.id])" | pad(34))\(.via)")'
  echo
  echo "== Checks =="
  local questions='{"checks": [
    {"principal": "user:dana@example.com", "permission": "stack:use", "resource": "workspaces/alpha-workspace/stacks/development"},
    {"principal": "user:dana@example.com", "permission": "stack:use", "resource": "workspaces/alpha-workspace/stacks/production"},
    {"principal": "user:dana@example.com", "permission": "stack:read", "resource": "workspaces/alpha-workspace/stacks/production"},
    {"principal": "user:farah@example.com", "permission": "project:update", "resource": "workspaces/alpha-workspace/projects/recommendation-engine"},
    {"principal": "user:farah@example.com", "permission": "stack:delete", "resource": "workspaces/alpha-workspace/stacks/production"},
    {"principal": "user:gus@example.com", "permission": "stack:delete", "resource": "workspaces/alpha-workspace/stacks/production"},
    {"principal": "team:developers", "permission": "role_assignment:create", "resource": "workspaces/alpha-workspace/projects/recommendation-engine"}]}'
  curl -fsS "${auth[@]}" -X POST -d "$questions" "$endpoint/v1/check" |
    jq -r '.results[] | "\(if .allowed then "ALLOWED" else "DENIED " end)  \(.principal) \(.permission) on \(.resource)" +
      (if .allowed then "  (\(.explanation.role_name) at \(.explanation.scope.type)" +
        (if .explanation.via_team_id != "" then ", via a team" else "" end) + ")" else "" end)'
  echo
  echo "== A second plan is empty =="
  if (cd "$demo_dir/work" && "$cli" plan -detailed-exitcode -input=false -no-color >"$demo_dir/plan.txt"); then
    echo "no changes: the infrastructure matches the configuration"
  else
    echo "demo: the second plan is not empty (see $demo_dir/plan.txt)" >&2
    exit 1
  fi
  echo
  echo "== Bad input gets a clear error =="
  curl -sS "${auth[@]}" -X POST -d '{"name":"Not_A_DNS_Label"}' "$endpoint/v1/workspaces" | jq -c .
  echo
  cat <<MSG
rampartd keeps running on $endpoint (pid $(cat "$pid_file")).
  use it:   source .demo/env && curl -H "Authorization: Bearer \$RAMPART_TOKEN" \$RAMPART_ENDPOINT/v1/workspaces
  try it:   cd .demo/work && TF_CLI_CONFIG_FILE=$TF_CLI_CONFIG_FILE $cli plan   (after: source ../env)
  matrix:   curl -H "Authorization: Bearer \$RAMPART_TOKEN" "\$RAMPART_ENDPOINT/v1/access-matrix?scope=workspaces/alpha-workspace&format=csv"
  stop it:  make demo-stop
MSG
}

case "${1:-start}" in
  start) start ;;
  stop) stop_daemon ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
