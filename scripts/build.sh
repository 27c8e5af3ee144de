#!/usr/bin/env bash
# Configures (once) and builds Fieldmark with the default preset: Ninja, ccache, build/.
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
[ -f build/build.ninja ] || cmake --preset default
cmake --build build "$@"
