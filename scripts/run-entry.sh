#!/usr/bin/env bash
# Runs a TypeScript entry point with tsx, or prints that it is not implemented yet when the file
# does not exist. Used by the package.json scripts whose entry points land in later changes.
# Usage: bash scripts/run-entry.sh RELATIVE_PATH [ARGS...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
entry="$1"
shift
if [[ ! -f "$root/$entry" ]]; then
  echo "$entry: not implemented yet" >&2
  exit 1
fi
exec "$root/node_modules/.bin/tsx" "$root/$entry" "$@"
