#!/usr/bin/env bash
# Installs what is missing, builds and runs every benchmark. Each figure is printed as
# `bench <name>: <value> <unit>`. Pass --quick for a short smoke run.
set -euo pipefail
cd "$(dirname "$0")"

./packaging/setup-deps.sh >&2
cmake --preset release >/dev/null
cmake --build --preset release --target sightline_benchmarks >&2
for benchmark in build/release/tests/bench/bench_*; do
    [[ -f "$benchmark" && -x "$benchmark" ]] || continue # skip the *_autogen folders
    "$benchmark" "$@"
done
