#!/usr/bin/env bash
# Configures (once) and builds Fieldmark with the default preset: Ninja, ccache, build/.
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
# Paths inside the checkout hash as relative ones, so a fresh clone elsewhere reuses the cache.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"
[ -f build/build.ninja ] || cmake --preset default
cmake --build build "$@"
