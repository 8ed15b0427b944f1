#!/usr/bin/env bash
# Fuzzes the gateway's REST API from outside with Schemathesis (pinned below): starts the built
# stack, runs every check twice, with a bearer token and without, and stops the stack. Exits 0
# only when both runs find nothing. Reports land in tmp/schemathesis/. Needs the apps built
# (npx nx run-many -t build); schemathesis.contract-spec.ts runs it as part of the test suite.
# Usage: run-schemathesis.sh [max examples per operation, default 25]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../../.." && pwd)
version=4.32.5
# Versioned, so a new pin gets a fresh venv; SCHEMATHESIS_VENV moves it to a cache CI keeps.
venv=${SCHEMATHESIS_VENV:-"$root/tmp/schemathesis-$version"}
out="$root/tmp/schemathesis"
examples=${1:-25}
mkdir -p "$out" "$(dirname "$venv")"

# Installed once from PyPI, then reused. A venv cannot be moved (its scripts name their own
# path), so it is built in place and marked complete last: an interrupted install leaves no
# marker and is redone. The lock keeps two runs (two checkouts sharing the cache) apart.
marker="$venv/.complete-$version"
install() {
  rm -rf "$venv"
  python3 -m venv "$venv" &&
    "$venv/bin/pip" install --quiet --disable-pip-version-check --retries 5 --timeout 60 "schemathesis==$version" &&
    "$venv/bin/schemathesis" --version | grep -q "$version" &&
    touch "$marker"
}
(
  flock 9
  [ -f "$marker" ] && exit 0
  for attempt in 1 2 3; do
    install && exit 0
    echo "schemathesis $version: install attempt $attempt failed" >&2
    sleep $((attempt * 5))
  done
  exit 1
) 9>"$venv.lock" || { echo "could not install schemathesis $version into $venv" >&2; exit 1; }

node "$here/start-stack.mjs" >"$out/ready.json" 2>"$out/stack.log" &
stack=$!
trap 'kill "$stack" 2>/dev/null; wait "$stack" 2>/dev/null' EXIT
for _ in $(seq 1 600); do
  grep -q '"ready"' "$out/ready.json" 2>/dev/null && break
  kill -0 "$stack" 2>/dev/null || { echo "the stack did not start; see $out/stack.log" >&2; tail -n 20 "$out/stack.log" >&2; exit 1; }
  sleep 0.1
done
url=$(sed -n 's/.*"url":"\([^"]*\)".*/\1/p' "$out/ready.json")
token=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' "$out/ready.json")
[ -n "$url" ] && [ -n "$token" ] || { echo "no url or token in $out/ready.json" >&2; exit 1; }

run() {
  local name=$1
  shift
  "$venv/bin/schemathesis" --config-file "$here/schemathesis.toml" run "$url/openapi.json" --checks all --max-examples "$examples" --seed 1 --no-color \
    --report junit,ndjson --report-dir "$out/$name" "$@" >"$out/$name.txt" 2>&1
  local code=$?
  cat "$out/$name.txt"
  return $code
}
# Logging out would revoke the shared token halfway through, and a sign-up or sign-in that succeeds
# rotates it; the run without a token covers those routes (401 before any accounts call).
run with-token -H "Authorization: Bearer $token" --exclude-name 'DELETE /api/sessions/current' \
  --exclude-name 'POST /api/accounts' --exclude-name 'POST /api/sessions/current/sign-in'
with=$?
run without-token
without=$?
echo "schemathesis $version exit codes: with token $with, without token $without (reports in $out)"
[ "$with" -eq 0 ] && [ "$without" -eq 0 ]
