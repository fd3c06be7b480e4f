#!/usr/bin/env bash
# npm start: builds the extension, links it into a fresh local code-server, serves the demo workspace
# and keeps rebuilding on change (reload the browser window to pick changes up).
# Ctrl+C stops everything this script started. Port: PORT (default 18080).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
cd "$SWAPRACE_ROOT"

ensure_code_server
node esbuild.mjs

port="${PORT:-18080}"
out="$SWAPRACE_ROOT/.ci-out"
run_dir="$(mktemp -d /tmp/swaprace-start.XXXXXX)"
watch_pid=""
cleanup() {
  [ -z "$watch_pid" ] || kill "$watch_pid" 2>/dev/null || true
  stop_code_server
  rm -rf "$run_dir"
}
trap cleanup EXIT
trap "exit 130" INT
trap "exit 143" TERM

prepare_code_server_dir "$run_dir"
# A link in a fresh extensions dir counts as installed (code-server scans it on first start).
ext_id="$(node -p "const p = require('./package.json'); p.publisher + '.' + p.name + '-' + p.version")"
ln -s "$SWAPRACE_ROOT" "$run_dir/extensions/$ext_id"
mkdir -p "$out"
start_code_server "$run_dir" "$port" "$out/start-server.log"

node esbuild.mjs --watch &
watch_pid=$!

echo
echo "Swap Race demo: http://127.0.0.1:$port/?folder=$SWAPRACE_ROOT/demo"
echo "(server log: $out/start-server.log; Ctrl+C to stop)"
wait "$CODE_SERVER_PID"
