#!/usr/bin/env bash
# Fails when a C++ source differs from what .clang-format asks for (clang-format 14).
# Fix with: clang-format-14 -i <file>
set -euo pipefail
cd "$(dirname "$0")/.."
formatter=$(command -v clang-format-14 || command -v clang-format)
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    mapfile -t files < <(git ls-files '*.cpp' '*.h')
else
    mapfile -t files < <(find app core ui tests -name '*.cpp' -o -name '*.h')
fi
"$formatter" --dry-run -Werror "${files[@]}"
echo "format: ${#files[@]} files checked"
