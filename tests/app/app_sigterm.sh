#!/usr/bin/env bash
# A logout (SIGTERM) ends the app as File › Quit does: exit code 0 and the layout saved.
# Usage: app_sigterm.sh <path to sightline>
set -euo pipefail
app="$1"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
export XDG_CONFIG_HOME="$dir/config" XDG_DATA_HOME="$dir/data" XDG_RUNTIME_DIR="$dir"
export QT_QPA_PLATFORM=offscreen
"$app" --data-dir "$dir/cluster" >"$dir/out.log" 2>&1 &
pid=$!
# Up once the embedded cluster is locked and the window had time to show.
for _ in $(seq 100); do
    [[ -e "$dir/cluster/cluster.lock" ]] && break
    sleep 0.1
done
sleep 2
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
settings="$dir/config/Sightline/Sightline.conf"
if [[ $rc -ne 0 ]]; then
    echo "sightline exited with $rc after SIGTERM"; cat "$dir/out.log"; exit 1
fi
if ! grep -q '^plots=' "$settings" 2>/dev/null; then
    echo "no layout saved in $settings"; exit 1
fi
echo "exit 0 and layout saved after SIGTERM"
