#!/usr/bin/env bash
# Installs the Debian 12 packages Fieldmark builds and runs with; installs only what is missing,
# so running it again is quick. Needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(
    cmake ninja-build ccache g++ pkg-config python3
    qt6-base-dev qt6-base-dev-tools qt6-charts-dev qt6-tools-dev qt6-tools-dev-tools
    qt6-l10n-tools qt6-image-formats-plugins libqt6sql6-sqlite libgl-dev
    libqt6opengl6-dev # Qt Charts' CMake package needs Qt6OpenGL to be found
    libopencv-dev libtorch-dev libgtest-dev libsqlite3-dev
    xvfb xauth
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#packages[@]} packages are installed"
    exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
