#!/usr/bin/env bash
# Installs, on Debian 12, every package Sightline needs to build, test and benchmark.
# Non-interactive; installs only what is missing; uses sudo when not root.
set -euo pipefail

PACKAGES=(
    # toolchain
    g++ cmake ninja-build pkg-config git
    # Qt 6: core, gui, widgets, network, test, websockets, http server, svg, tools
    qt6-base-dev qt6-base-dev-tools qt6-websockets-dev qt6-httpserver-dev
    qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools qt6-qpa-plugins libgl-dev
    # plotting
    libqcustomplot-dev libqcustomplot2.1-qt6
    # core libraries
    libexpected-dev libsqlite3-dev libssl-dev
    # fuzzing (clang 14 + libFuzzer runtime)
    clang-14 libclang-rt-14-dev clang-format-14
    # GUI tests and screenshots, packaging validation
    xvfb xauth desktop-file-utils appstream
    # the Debian package: man pages from --help, shared-library dependencies, lint
    help2man dpkg-dev lintian file
)

missing=()
for pkg in "${PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    if [[ "$status" != "install ok installed" ]]; then
        missing+=("$pkg")
    fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then
    SUDO="sudo"
fi

echo "setup-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
