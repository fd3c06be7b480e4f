#!/usr/bin/env bash
# Integration tests in a real extension host: a local desktop VS Code when VSCODE_EXECUTABLE is set
# (through @vscode/test-electron), otherwise code-server driven by headless Chromium.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ -n "${VSCODE_EXECUTABLE:-}" ]; then
  exec node dist/test/integration/runWithElectron.js
fi
exec bash scripts/with-code-server.sh --name integration -- \
  timeout 300 node .ci/ext-host-tests.js "$PWD" "$PWD/dist/test/integration" "$PWD/demo"
