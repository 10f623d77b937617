#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (all labels but `bench`).
# Exits non-zero on any failure. SIGHTLINE_PRESET=asan runs the suite under ASan+UBSan.
set -euo pipefail
cd "$(dirname "$0")"

./packaging/setup-deps.sh

preset="${SIGHTLINE_PRESET:-dev}"
configure_args=()
if [[ -n "${CI:-}" ]]; then
    configure_args+=(-DSIGHTLINE_WERROR=ON)
fi
cmake --preset "$preset" "${configure_args[@]}" >/dev/null
cmake --build --preset "$preset"
ctest --preset "$preset" --parallel 2
