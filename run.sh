#!/usr/bin/env bash
# Installs what is missing, builds the desktop app and launches it. Arguments pass through
# (`./run.sh --help`, `./run.sh --cluster host:9090`).
set -euo pipefail
cd "$(dirname "$0")"

./packaging/setup-deps.sh >&2
cmake --preset dev >/dev/null
cmake --build --preset dev --target sightline >&2
exec ./build/dev/app/sightline/sightline "$@"
