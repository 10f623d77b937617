# shellcheck shell=bash
# Starting and stopping sightline-server for the compatibility scripts (sourced by run.sh and
# run-specs.sh). Uses $server_bin; sets $server_pid, $port, $data_dir, $server_out and
# $server_err.

server_pid=""
data_dir=""
server_out=""
server_err=""
port=""

# kill -0 also succeeds for an exited child that has not been reaped, so ask the shell.
server_alive() {
    [[ -n "$server_pid" ]] && jobs -rp | grep -qx "$server_pid"
}

# start_server <name> [server args...]: a server on a free loopback port with a fresh, empty
# data directory and no simulator; sets $port. Returns non-zero (saying why) when it did not
# report its port.
start_server() {
    local name="$1"
    shift
    data_dir="$(mktemp -d "${TMPDIR:-/tmp}/$name.XXXXXX")"
    server_out="$data_dir.stdout"
    server_err="$data_dir.stderr"
    "$server_bin" --listen 127.0.0.1:0 --data-dir "$data_dir" --no-sim "$@" \
        >"$server_out" 2>"$server_err" &
    server_pid=$!
    port=""
    local line=""
    for _ in $(seq 1 100); do
        line="$(grep -m1 '^sightline-server listening on ' "$server_out" 2>/dev/null || true)"
        if [[ -n "$line" ]]; then
            port="$(sed -E 's/^sightline-server listening on [^ ]*:([0-9]+)([^0-9].*)?$/\1/' <<<"$line")"
            break
        fi
        server_alive || break
        sleep 0.1
    done
    if [[ -z "$port" || ! "$port" =~ ^[0-9]+$ || "$port" == "0" ]]; then
        echo "$name: error: the server did not report its listening port" >&2
        echo "--- server stdout" >&2; cat "$server_out" >&2 || true
        echo "--- server stderr" >&2; tail -n 50 "$server_err" >&2 || true
        return 1
    fi
}

# stop_server: asks the server to stop (kills it after 5 s) and removes its data directory.
stop_server() {
    if server_alive; then
        kill "$server_pid" 2>/dev/null || true
        for _ in $(seq 1 50); do
            server_alive || break
            sleep 0.1
        done
        kill -9 "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    server_pid=""
    [[ -n "$data_dir" ]] && rm -rf "$data_dir" "$server_out" "$server_err"
    data_dir=""
}
