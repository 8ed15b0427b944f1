#!/usr/bin/env bash
# Fuzzes the gateway's REST API from outside with Schemathesis (Python; not
# part of npm test): starts the built stack, runs every check twice, with a
# bearer token and without, and stops the stack. Reports land in
# tmp/schemathesis/. Needs the apps built: npx nx run-many -t build.
# Usage: run-schemathesis.sh [max examples per operation, default 50]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../../.." && pwd)
venv="$root/tmp/schemathesis-venv"
out="$root/tmp/schemathesis"
examples=${1:-50}
mkdir -p "$out"

if [ ! -x "$venv/bin/schemathesis" ]; then
  python3 -m venv "$venv" && "$venv/bin/pip" install --quiet schemathesis || exit 1
fi

node "$here/start-stack.mjs" >"$out/ready.json" 2>"$out/stack.log" &
stack=$!
trap 'kill "$stack" 2>/dev/null; wait "$stack" 2>/dev/null' EXIT
for _ in $(seq 1 300); do
  grep -q '"ready"' "$out/ready.json" 2>/dev/null && break
  kill -0 "$stack" 2>/dev/null || { echo "the stack did not start; see $out/stack.log" >&2; exit 1; }
  sleep 0.1
done
url=$(sed -n 's/.*"url":"\([^"]*\)".*/\1/p' "$out/ready.json")
token=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' "$out/ready.json")
[ -n "$url" ] && [ -n "$token" ] || { echo "no url or token in $out/ready.json" >&2; exit 1; }

run() {
  local name=$1
  shift
  "$venv/bin/schemathesis" run "$url/openapi.json" --checks all --max-examples "$examples" --seed 1 --no-color \
    --report junit,ndjson --report-dir "$out/$name" "$@" | tee "$out/$name.txt"
  return "${PIPESTATUS[0]}"
}
# Logging out would revoke the shared token halfway through; the run without a token covers that route.
run with-token -H "Authorization: Bearer $token" --exclude-name 'DELETE /api/sessions/current'
with=$?
run without-token
without=$?
echo "schemathesis exit codes: with token $with, without token $without (reports in $out)"
[ "$with" -eq 0 ] && [ "$without" -eq 0 ]
