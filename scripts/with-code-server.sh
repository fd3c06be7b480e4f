#!/usr/bin/env bash
# usage: scripts/with-code-server.sh [--install-vsix FILE] [--name NAME] -- COMMAND...
# Starts a fresh code-server on a free 127.0.0.1 port (with the smoke-test driver, so the integration
# payload works), optionally installs a vsix first, runs COMMAND with CODE_SERVER_URL set, stops the
# server and exits with COMMAND's status. Logs go to .ci-out/NAME-*.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"

vsix="" name="code-server"
while (($#)); do
  case "$1" in
    --install-vsix) vsix="$2"; shift 2 ;;
    --name) name="$2"; shift 2 ;;
    --) shift; break ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
(($#)) || { echo "no command given" >&2; exit 2; }

ensure_code_server
out="$SWAPRACE_ROOT/.ci-out"
mkdir -p "$out"
run_dir="$(mktemp -d /tmp/swaprace-cs.XXXXXX)"
cleanup() {
  stop_code_server
  rm -rf "$out/$name-logs"
  cp -r "$run_dir/user-data/logs" "$out/$name-logs" 2>/dev/null || true
  rm -rf "$run_dir"
}
trap cleanup EXIT
trap "exit 130" INT
trap "exit 143" TERM
# A served workbench saves edits after a second by default (desktop VS Code does not): the tests edit
# scenario and trace files and must choose when they are saved, or a late save recreates a file a test deleted.
prepare_code_server_dir "$run_dir" '"files.autoSave": "off"'
if [ -n "$vsix" ]; then
  (code_server "$run_dir" --install-extension "$vsix") >"$out/$name-install.log" 2>&1 || { cat "$out/$name-install.log" >&2; exit 1; }
fi
port="$(free_port)"
start_code_server "$run_dir" "$port" "$out/$name-server.log" --vscode-option enable-smoke-test-driver
export CODE_SERVER_URL="http://127.0.0.1:$port"
echo "code-server at $CODE_SERVER_URL (pid $CODE_SERVER_PID)"
status=0
"$@" || status=$?
exit "$status"
