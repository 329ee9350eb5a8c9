#!/usr/bin/env bash
# Schemathesis (from PyPI) against a live rampartd and the OpenAPI document it serves at
# GET /v1/openapi: generated requests on every operation, failing on any 5xx, a status or
# content type the document does not list, or an answer that breaks its schema.
#
#   .ci/schemathesis.sh          the short setting, for CI: about a minute on 2 cores
#
# Longer runs, for a release or after changing the API:
#   RAMPART_SCHEMATHESIS_MAX_EXAMPLES=N   test cases per operation and phase (default 25;
#                                         e.g. 500 runs for half an hour or so)
#   RAMPART_SCHEMATHESIS_SEED=N           replay a run (each run prints its seed)
#   RAMPART_SCHEMATHESIS_WORKERS=N        concurrent workers (default 2)
#   RAMPART_SCHEMATHESIS_ARGS="..."       more options for `schemathesis run`, e.g.
#                                         "--checks all --max-time 1800"
#
# Schemathesis is installed, at the version pinned below, into a virtualenv outside the clone
# and reused from there: ${XDG_CACHE_HOME:-$HOME/.cache}/rampart/schemathesis-venv. The daemon
# runs from build/bin/rampartd (make build) on a free loopback port with a data dir of its
# own, seeded with a few objects of every kind that Schemathesis reaches by name or id; it is
# stopped whatever happens. Needs python3 with venv (installed from Debian when missing),
# curl and jq.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
schemathesis_version="4.32.5"
max_examples="${RAMPART_SCHEMATHESIS_MAX_EXAMPLES:-25}"
workers="${RAMPART_SCHEMATHESIS_WORKERS:-2}"
rampartd="$root/build/bin/rampartd"
[[ -x "$rampartd" ]] || { echo "schemathesis: $rampartd is missing; run 'make build' first" >&2; exit 1; }

# --- Schemathesis in its cached virtualenv -------------------------------------------------
venv="${XDG_CACHE_HOME:-$HOME/.cache}/rampart/schemathesis-venv"
installed="$venv/.installed-$schemathesis_version"
if [[ ! -f "$installed" ]] || ! "$venv/bin/schemathesis" --version >/dev/null 2>&1; then
  python="python3"
  if ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
    echo "schemathesis: installing Debian's python3-venv"
    sudo=""
    if [[ "$(id -u)" != 0 ]]; then
      command -v sudo >/dev/null || { echo "schemathesis: need root (or sudo) to install python3-venv" >&2; exit 1; }
      sudo="sudo"
    fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
    python="/usr/bin/python3"
  fi
  echo "schemathesis: installing schemathesis $schemathesis_version into $venv"
  rm -rf "$venv"
  mkdir -p "$(dirname "$venv")"
  if ! { "$python" -m venv "$venv" && "$venv/bin/pip" install --quiet --disable-pip-version-check \
           "schemathesis==$schemathesis_version"; }; then
    rm -rf "$venv"
    echo "schemathesis: could not install schemathesis $schemathesis_version" >&2
    exit 1
  fi
  touch "$installed"
fi

# --- A daemon of its own -------------------------------------------------------------------
work="$(mktemp -d)"
daemon_pid=""
stop() {
  local status=$?
  if [[ -n "$daemon_pid" ]]; then
    kill -TERM "$daemon_pid" 2>/dev/null || true
    wait "$daemon_pid" 2>/dev/null || true
  fi
  if [[ "$status" != 0 && -f "$work/rampartd.log" ]]; then
    echo "schemathesis: rampartd's log ends with:" >&2
    grep -v ' -> [1-4][0-9][0-9] in ' "$work/rampartd.log" | tail -20 >&2 || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap stop EXIT
trap 'exit 130' INT TERM

port="$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
if ! "$rampartd" bootstrap --data-dir "$work/data" --organization schemathesis >"$work/bootstrap.json" \
       2>"$work/bootstrap.log"; then
  cat "$work/bootstrap.log" >&2
  exit 1
fi
token="$(jq -r .token "$work/bootstrap.json")"
"$rampartd" serve --data-dir "$work/data" --listen "127.0.0.1:$port" >"$work/rampartd.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 100); do
  curl -fsS "$base/healthz" >/dev/null 2>&1 && break
  kill -0 "$daemon_pid" 2>/dev/null || { echo "schemathesis: rampartd did not start" >&2; exit 1; }
  sleep 0.1
done

# --- Objects for the paths to reach ------------------------------------------------------
# POST or PUT `body` to `path`; prints the answer, fails unless it is 2xx.
call() {
  curl -fsS -X "$1" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    --data "$3" "$base$2"
}
id() { call "$@" | jq -r .id; }
workspace="$(id POST /v1/workspaces '{"name": "alpha", "labels": {"team": "alpha"}}')"
project="$(id POST /v1/workspaces/alpha/projects '{"name": "recsys"}')"
component="$(id POST /v1/workspaces/alpha/components \
  '{"name": "s3-artifacts", "type": "artifact_store", "flavor": "s3", "configuration": {"path": "s3://bucket/prefix"}}')"
id POST /v1/workspaces/alpha/components '{"name": "k8s", "type": "orchestrator", "flavor": "kubernetes"}' >/dev/null
stack="$(id POST /v1/workspaces/alpha/stacks '{"name": "production", "components": {"artifact_store": "s3-artifacts", "orchestrator": "k8s"}}')"
project_stack="$(id POST /v1/workspaces/alpha/projects/recsys/stacks \
  '{"stack_id": "production", "quota": {"cpu": "8", "gpu": 1}, "execution_labels": {"namespace": "recsys"}}')"
user="$(id POST /v1/users '{"email": "dana@example.com", "display_name": "Dana"}')"
service_account="$(id POST /v1/service_accounts '{"name": "ci-bot"}')"
team="$(id POST /v1/teams "{\"name\": \"developers\", \"members\": [\"$user\"], \"idp_groups\": [\"devs\"]}")"
role="$(id POST /v1/roles '{"name": "data-scientist", "permissions": ["pipeline:run", "model:read"], "assignable_at": ["project"]}')"
role_assignment="$(id POST /v1/role_assignments "{\"role\": \"data-scientist\", \"team_id\": \"developers\", \"project_id\": \"$project\"}")"
id POST /v1/role_assignments '{"role": "stack.read", "user_id": "dana@example.com", "stack_id": "'"$stack"'", "expires_at": "2099-01-01T00:00:00Z"}' >/dev/null
api_key="$(id POST /v1/service_accounts/ci-bot/keys '{"description": "deploys"}')"
user_key="$(id POST /v1/users/dana@example.com/keys '{"expires_at": "2099-01-01T00:00:00Z"}')"
model="$(id POST /v1/workspaces/alpha/projects/recsys/models '{"name": "churn"}')"
model_version="$(id POST /v1/workspaces/alpha/projects/recsys/models/churn/versions '{"name": "1", "tags": ["validated"]}')"
id POST /v1/workspaces/alpha/projects/recsys/models/churn/versions '{"name": "2"}' >/dev/null
promotion_policy="$(id POST /v1/promotion_policies '{"workspace_id": "alpha", "stage": "production", "approval_required": true, "blocked_windows": [{"days": ["sun"], "start": "22:00", "end": "06:00", "time_zone": "Europe/Berlin"}]}')"
promotion_request="$(id POST /v1/workspaces/alpha/projects/recsys/promotion_requests '{"model_version": "churn/1", "target_stage": "production"}')"

# Path parameters come from these values most of the time (names and ids of the objects
# above), and are made up the rest. Keys and assignments are only ever the seeded ones: the
# admin key's own, found by chance, would lock the run out.
cat >"$work/schemathesis.toml" <<EOF
[dictionaries]
workspace.values = ["alpha", "$workspace"]
project.values = ["recsys", "$project"]
component.values = ["s3-artifacts", "k8s", "$component"]
stack.values = ["production", "$stack"]
project_stack.values = ["$project_stack"]
user.values = ["dana@example.com", "$user"]
service_account.values = ["ci-bot", "$service_account"]
team.values = ["developers", "$team"]
member.values = ["$user", "user:dana@example.com", "service_account:ci-bot", "$service_account"]
role.values = ["data-scientist", "$role", "viewer", "stack.read"]
role_assignment.values = ["$role_assignment"]
api_key.values = ["$api_key", "$user_key"]
model.values = ["churn", "$model"]
version.values = ["1", "2"]
model_version.values = ["$model_version"]
promotion_policy.values = ["$promotion_policy"]
promotion_request.values = ["$promotion_request"]
stage.values = ["production", "staging", "archived"]

[parameters]
"path.workspace" = { dictionary = "workspace", probability = 0.8 }
"path.project" = { dictionary = "project", probability = 0.8 }
"path.component" = { dictionary = "component", probability = 0.8 }
"path.stack" = { dictionary = "stack", probability = 0.8 }
"path.project_stack" = { dictionary = "project_stack", probability = 0.8 }
"path.user" = { dictionary = "user", probability = 0.8 }
"path.service_account" = { dictionary = "service_account", probability = 0.8 }
"path.team" = { dictionary = "team", probability = 0.8 }
"path.member" = { dictionary = "member", probability = 0.8 }
"path.role" = { dictionary = "role", probability = 0.8 }
"path.role_assignment" = { dictionary = "role_assignment", probability = 1.0 }
"path.api_key" = { dictionary = "api_key", probability = 1.0 }
"path.model" = { dictionary = "model", probability = 0.8 }
"path.version" = { dictionary = "version", probability = 0.8 }
"path.model_version" = { dictionary = "model_version", probability = 0.8 }
"path.promotion_policy" = { dictionary = "promotion_policy", probability = 0.8 }
"path.promotion_request" = { dictionary = "promotion_request", probability = 0.8 }
"path.stage" = { dictionary = "stage", probability = 0.8 }
EOF

# --- The run -------------------------------------------------------------------------------
options=(
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance
  --max-examples "$max_examples" --workers "$workers" --request-timeout 10
  --generation-database none
)
[[ -n "${RAMPART_SCHEMATHESIS_SEED:-}" ]] && options+=(--seed "$RAMPART_SCHEMATHESIS_SEED")
# shellcheck disable=SC2206  # split on purpose: several options in one variable
options+=(${RAMPART_SCHEMATHESIS_ARGS:-})
echo "schemathesis: rampartd on $base, $max_examples examples per operation and phase"
cd "$work"  # Schemathesis writes its scratch files to the current directory
"$venv/bin/schemathesis" --no-color --config-file "$work/schemathesis.toml" run "$base/v1/openapi" \
  --header "Authorization: Bearer $token" "${options[@]}"
