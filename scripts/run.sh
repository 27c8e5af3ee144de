#!/usr/bin/env bash
# The README's run command: installs what is missing, builds, and starts the application on a
# display; without a display it runs the command-line demo on a sample project instead.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh fieldmark fieldmark-cli
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ "${FIELDMARK_DEMO:-}" != "cli" ]; then
    exec build/app/fieldmark "$@"
fi
exec scripts/demo.sh "$@"
