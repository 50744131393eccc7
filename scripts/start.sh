#!/usr/bin/env bash
# `npm start`: installs what is missing, builds, then opens the console: the Electron window when
# the Electron binary and a display are available, otherwise the browser host (prints the URL).
# Arguments are passed to the browser host (for example `npm start -- --data-dir /tmp/demo`).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/setup.sh

ensure_node_modules
try_electron_binary

echo "==> Building (electron-vite build)"
npx electron-vite build

if electron_binary_present && display_available; then
  echo "==> Rebuilding native modules for Electron (electron-builder install-app-deps)"
  # NOTE: this compiles better-sqlite3 and keytar for Electron's ABI; scripts/test.sh rebuilds
  # them for Node again when needed, so both commands work, at the cost of a rebuild when
  # switching between them.
  npx electron-builder install-app-deps
  echo "==> Starting Ashby Sync Console"
  electron_flags=()
  if [[ "$(id -u)" == "0" ]]; then
    # Chromium refuses to run as root with its sandbox on; prefer running as a normal user.
    echo "    Running as root: starting Electron with --no-sandbox."
    electron_flags+=(--no-sandbox)
  fi
  exec npx electron "${electron_flags[@]}" . "$@"
fi

if ! electron_binary_present; then
  echo "==> No Electron binary: starting the browser host"
else
  echo "==> No display: starting the browser host"
fi
exec npx tsx core/host/main.ts "$@"
