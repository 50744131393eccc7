#!/usr/bin/env bash
# `npm test`: every check, on a fresh machine. Installs what is missing (Debian packages as root,
# npm dependencies), then runs typecheck, lint, build, the unit and integration tests (vitest,
# against a real gnome-keyring) and the end-to-end tests (Playwright in Chromium), and prints a
# summary. Exits non-zero when any step fails.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/setup.sh

REQUIRED_DEBIAN_PACKAGES=(libsecret-1-dev gnome-keyring dbus chromium)

ensure_debian_packages() {
  if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "==> Not a Debian or Ubuntu system: make sure libsecret, gnome-keyring, dbus and Chromium are installed."
    return 0
  fi
  local missing=()
  for package in "${REQUIRED_DEBIAN_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$package")
    fi
  done
  if ((${#missing[@]} == 0)); then
    return 0
  fi
  if [[ "$(id -u)" != "0" ]]; then
    echo "Missing system packages. Install them, then run npm test again:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "==> Installing system packages: ${missing[*]}"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}

# better-sqlite3 and keytar are native modules; `npm start` may have rebuilt them for Electron.
ensure_native_modules_for_node() {
  if node -e "new (require('better-sqlite3'))(':memory:').close(); require('keytar')" >/dev/null 2>&1; then
    return 0
  fi
  echo "==> Rebuilding native modules for Node (npm rebuild better-sqlite3 keytar)"
  npm rebuild better-sqlite3 keytar
}

# True when a Secret Service (gnome-keyring, KWallet) owns its name on the current session bus.
secret_service_running() {
  [[ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ]] &&
    dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'
}

results=()
failed=0

# Runs one named step, records whether it passed, and carries on so the summary shows every step.
run_step() {
  local name="$1"
  shift
  echo
  echo "==> ${name}"
  local started=$SECONDS
  if "$@"; then
    results+=("PASS  ${name} ($((SECONDS - started)) s)")
  else
    results+=("FAIL  ${name} ($((SECONDS - started)) s)")
    failed=1
  fi
}

run_vitest() {
  local command=(npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json)
  export ASHBY_SYNC_REQUIRE_KEYCHAIN=1
  if secret_service_running; then
    "${command[@]}"
    return
  fi
  # A private session bus with an unlocked gnome-keyring. Its keyring lives in a temporary folder,
  # so the user's own keyrings are neither used nor changed.
  local keyring_home
  keyring_home="$(mktemp -d)"
  XDG_DATA_HOME="$keyring_home" dbus-run-session -- sh -c \
    'printf %s ashby-sync-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"' \
    sh "${command[@]}"
  local status=$?
  rm -rf "$keyring_home"
  return $status
}

run_playwright() {
  npx playwright test
}

# Prints "N passed, N failed[, N skipped]" from the vitest and Playwright JSON reports.
print_test_counts() {
  node scripts/count-tests.mjs test-results/vitest.json test-results/playwright.json
}

ensure_debian_packages
ensure_node_modules
try_electron_binary
ensure_native_modules_for_node
mkdir -p test-results
rm -f test-results/vitest.json test-results/playwright.json

run_step "Typecheck (tsc)" npm run --silent typecheck
run_step "Lint (eslint)" npm run --silent lint
run_step "Build (electron-vite)" npx electron-vite build
run_step "Unit and integration tests (vitest)" run_vitest
run_step "End-to-end tests (Playwright, Chromium)" run_playwright
# Quick benchmark: speed figures are printed, not asserted, because CI machines are noisy; the step
# fails only when an item failed or a scenario crashed.
run_step "Benchmark, quick (npm run bench)" bash -o pipefail -c 'npm run --silent bench -- --quick --json | tee test-results/bench.json'
# Quick chaos run: fails unless duplicates, missing, wrong_stage, lost_events, audit_gaps and
# unexpected are all 0.
run_step "Chaos run, quick (npm run chaos)" bash -o pipefail -c 'npm run --silent chaos -- --quick --json | tee test-results/chaos.json'

echo
echo "==> Summary"
printf '  %s\n' "${results[@]}"
print_test_counts || failed=1
exit $failed
