#!/usr/bin/env bash
# Compatibility test: runs the official Synnax TypeScript client (@synnaxlabs/client,
# version pinned in package.json) against sightline-server.
#
# Usage: tests/compat/run.sh <build-dir> <server-binary>
#
# - Installs the npm dependencies into <build-dir>/compat (reused while package.json and
#   package-lock.json are unchanged).
# - Starts <server-binary> on a free loopback port with an empty data directory.
# - Runs scenario.mjs against it and exits with the scenario's status.
#
# Environment:
#   SIGHTLINE_SYNNAX_CLIENT_TGZ  optional path to a local tarball of @synnaxlabs/client to
#                                install instead of the registry version.
#   SIGHTLINE_COMPAT_TRACE=1     log every HTTP request/response and WebSocket message.
set -euo pipefail

if [[ $# -ne 2 ]]; then
    echo "usage: $0 <build-dir> <server-binary>" >&2
    exit 2
fi

src_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build_dir="$1"
server_bin="$2"
work_dir="${build_dir%/}/compat"

for tool in node npm; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "compat: error: '$tool' not found; install Node.js >= 20 and npm" >&2
        exit 1
    fi
done
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if (( node_major < 20 )); then
    echo "compat: error: Node.js >= 20 required, found $(node --version)" >&2
    exit 1
fi
if [[ ! -x "$server_bin" ]]; then
    echo "compat: error: server binary '$server_bin' not found or not executable" >&2
    exit 1
fi

# ---------------------------------------------------------------- npm dependencies
mkdir -p "$work_dir"
cp "$src_dir/package.json" "$work_dir/package.json"
if [[ -f "$src_dir/package-lock.json" ]]; then
    cp "$src_dir/package-lock.json" "$work_dir/package-lock.json"
else
    rm -f "$work_dir/package-lock.json"
fi
cp "$src_dir/scenario.mjs" "$work_dir/scenario.mjs"

if [[ -n "${SIGHTLINE_SYNNAX_CLIENT_TGZ:-}" ]]; then
    tgz="$(cd "$(dirname "$SIGHTLINE_SYNNAX_CLIENT_TGZ")" && pwd)/$(basename "$SIGHTLINE_SYNNAX_CLIENT_TGZ")"
    echo "compat: using local client tarball $tgz"
    node -e '
        const fs = require("fs"); const [file, tgz] = process.argv.slice(1);
        const p = JSON.parse(fs.readFileSync(file, "utf8"));
        p.dependencies["@synnaxlabs/client"] = "file:" + tgz;
        fs.writeFileSync(file, JSON.stringify(p, null, 2) + "\n");' "$work_dir/package.json" "$tgz"
    rm -f "$work_dir/package-lock.json"
fi

stamp_file="$work_dir/node_modules/.sightline-compat-stamp"
stamp="$({ cat "$work_dir/package.json"; cat "$work_dir/package-lock.json" 2>/dev/null || true; } \
    | sha256sum | cut -d' ' -f1)"
if [[ -n "${SIGHTLINE_SYNNAX_CLIENT_TGZ:-}" ]]; then
    stamp="$stamp-$(sha256sum "$tgz" | cut -d' ' -f1)"
fi
if [[ -f "$stamp_file" && "$(cat "$stamp_file")" == "$stamp" \
      && -d "$work_dir/node_modules/@synnaxlabs/client" ]]; then
    echo "compat: reusing npm dependencies in $work_dir"
else
    echo "compat: installing npm dependencies into $work_dir"
    rm -rf "$work_dir/node_modules"
    if [[ -f "$work_dir/package-lock.json" ]]; then
        install_cmd=(npm ci --no-audit --no-fund)
    else
        install_cmd=(npm install --no-audit --no-fund --no-save)
    fi
    if ! (cd "$work_dir" && "${install_cmd[@]}"); then
        echo "compat: error: '${install_cmd[*]}' failed in $work_dir" >&2
        echo "compat: (if the registry does not serve @synnaxlabs/client, point" \
             "SIGHTLINE_SYNNAX_CLIENT_TGZ at a tarball of it)" >&2
        exit 1
    fi
    echo "$stamp" > "$stamp_file"
fi

# Node 20 has no global WebSocket unless --experimental-websocket is given (Node 22+ has
# it by default). The client uses globalThis.WebSocket.
node_flags=()
if ! node -e 'process.exit(typeof WebSocket === "function" ? 0 : 1)' 2>/dev/null; then
    if node --experimental-websocket -e 'process.exit(typeof WebSocket === "function" ? 0 : 1)' 2>/dev/null; then
        node_flags=(--experimental-websocket)
    else
        echo "compat: error: this Node.js ($(node --version)) provides no WebSocket" >&2
        exit 1
    fi
fi

# ---------------------------------------------------------------- server
# shellcheck source=server.sh
source "$src_dir/server.sh"
trap stop_server EXIT
start_server sightline-compat || exit 1
echo "compat: server pid $server_pid listening on 127.0.0.1:$port"

# ---------------------------------------------------------------- scenario
status=0
(cd "$work_dir" && timeout 90 node "${node_flags[@]}" scenario.mjs \
    --host 127.0.0.1 --port "$port") || status=$?
if (( status == 124 )); then
    echo "compat: error: scenario killed after 90 s" >&2
fi

if ! server_alive; then
    echo "compat: error: the server exited during the scenario" >&2
    echo "--- server stderr (last 50 lines)" >&2; tail -n 50 "$server_err" >&2 || true
    (( status == 0 )) && status=1
elif (( status != 0 )) && [[ -s "$server_err" ]]; then
    echo "--- server stderr (last 30 lines)" >&2; tail -n 30 "$server_err" >&2 || true
fi
exit "$status"
