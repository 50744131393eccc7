# Set-up steps shared by scripts/start.sh and scripts/test.sh. Sourced, not run; expects to be
# in the repository root.

# Installs dependencies when node_modules is missing or older than package-lock.json. The
# Electron binary is skipped here and fetched separately, because it is the one download that
# may be unavailable (offline machines, blocked hosts), and the browser host works without it.
ensure_node_modules() {
  if [[ -f node_modules/.package-lock.json && ! package-lock.json -nt node_modules/.package-lock.json ]]; then
    return 0
  fi
  echo "==> Installing dependencies (npm ci)"
  ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund
}

electron_binary_present() {
  [[ -f node_modules/electron/path.txt ]] && node -e "require('fs').accessSync(require('electron'))" 2>/dev/null
}

# Tries once to fetch the Electron binary. Failure is not an error: the console then runs in a
# browser through the browser host.
try_electron_binary() {
  if electron_binary_present; then
    return 0
  fi
  echo "==> Fetching the Electron binary"
  if timeout 300 node node_modules/electron/install.js >/tmp/ashby-sync-electron-install.log 2>&1; then
    echo "    Electron binary installed."
  else
    echo "    Electron binary not available (see /tmp/ashby-sync-electron-install.log); the browser host will be used instead."
  fi
}

# True when a graphical session is available for an Electron window.
display_available() {
  [[ "$(uname -s)" != "Linux" || -n "${DISPLAY:-}" || -n "${WAYLAND_DISPLAY:-}" ]]
}
