# Shared by the bench/*/run.sh scripts, which source it after `set -euo pipefail`.
# A script records every process it starts in the pids array, and stop_all stops them by pid on exit.

declare -A pids=()

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

fail() {
    log "error: $*"
    exit 1
}

stop_all() {
    for name in "${!pids[@]}"; do
        kill "${pids[$name]}" 2>/dev/null || true
    done
    for name in "${!pids[@]}"; do
        wait "${pids[$name]}" 2>/dev/null || true
    done
}
trap stop_all EXIT

# Checks for wrk and for the 2 CPUs that the pinning uses: wrk on CPU 0 and the server under test on CPU 1.
require_wrk_and_two_cpus() {
    command -v wrk >/dev/null || fail "wrk not found; install it with: apt-get install -y wrk"
    [[ "$(nproc --all)" -ge 2 ]] || fail "needs at least 2 CPUs for the pinning (wrk on 0, server on 1)"
}

# Waits until an HTTP server responds on 127.0.0.1:PORT, with any status, or fails after SECONDS.
wait_for_port() {
    local port=$1 seconds=$2 deadline=$((SECONDS + $2))
    until curl -s -o /dev/null "http://127.0.0.1:$port/"; do
        ((SECONDS < deadline)) || fail "nothing listening on port $port after $seconds s"
        sleep 0.2
    done
}

# Writes OUT/nginx-origin.conf and starts the origin every benchmark forwards to: one nginx worker on CPU 0 that
# serves every request on 127.0.0.1:PORT with the 10-byte body 0123456789, and keeps connections open for a
# million requests, so that no proxy's pool is closed under it. Records its pid as pids[origin].
start_nginx_origin() {
    local out=$1 port=$2
    cat >"$out/nginx-origin.conf" <<CONF
worker_processes 1;
worker_rlimit_nofile 16384;
daemon off;
pid $out/nginx-origin.pid;
error_log $out/nginx-origin-error.log warn;
events { worker_connections 8192; }
http {
    access_log off;
    keepalive_requests 1000000;
    default_type text/plain;
    server {
        listen 127.0.0.1:$port;
        location / { return 200 "0123456789"; }
    }
}
CONF
    taskset -c 0 nginx -p "$out" -c "$out/nginx-origin.conf" >"$out/origin.out" 2>"$out/origin.err" &
    pids[origin]=$!
}
