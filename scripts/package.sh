#!/usr/bin/env bash
# Builds the installers for this platform (or the targets given as arguments) into release/.
# Needs the Electron binary, so it runs on a machine that can download it, not in CI here.
#   bash scripts/package.sh                      # the current platform's targets
#   bash scripts/package.sh --linux AppImage deb # explicit targets, passed to electron-builder
# ASHBY_SYNC_UPDATE_URL is the HTTPS folder the installers and latest*.yml are uploaded to. Unset,
# it defaults to a placeholder under the reserved .invalid domain and the built app does not check
# for updates.
set -euo pipefail
cd "$(dirname "$0")/.."

export ASHBY_SYNC_UPDATE_URL="${ASHBY_SYNC_UPDATE_URL:-https://updates.ashby-sync-console.invalid/}"

npx electron-vite build
npx electron-builder install-app-deps
npx electron-builder --publish never "$@"
