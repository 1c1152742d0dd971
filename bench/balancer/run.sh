#!/usr/bin/env bash
# Keep-alive throughput and latency of the Gatehouse balancer next to HAProxy and nginx, all forwarding to
# the same 10-byte nginx origin on loopback, measured with wrk in one interleaved run.
#
# CPU placement: wrk and the origin on CPU 0, the proxy under test on CPU 1. The idle proxies stay pinned
# to CPU 1 too, but they receive no traffic while another contender is measured.
#
# Usage: bench/balancer/run.sh            (from anywhere; needs wrk, nginx, /usr/sbin/haproxy, dotnet, python3)
# Environment: ROUNDS (3), DURATION (10s), CONNECTIONS (50), WARMUP_DOTNET (15s), WARMUP_NATIVE (5s),
#              IDLE_CONNECTIONS (1000), BASE_PORT (19000), OUT (a new /tmp/gh-bench-balancer.* folder).
# Every process the script starts is stopped by its pid on exit; nothing else is touched.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
rounds="${ROUNDS:-3}"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-50}"
warmup_dotnet="${WARMUP_DOTNET:-15s}"
warmup_native="${WARMUP_NATIVE:-5s}"
idle_connections="${IDLE_CONNECTIONS:-1000}"
base_port="${BASE_PORT:-19000}"
out="${OUT:-$(mktemp -d /tmp/gh-bench-balancer.XXXXXX)}"
artifacts=/tmp/gh-art-bench
gatehouse_dll="$artifacts/bin/Gatehouse.Cli/release/gatehouse.dll"

origin_port=$base_port
declare -A ports=([direct]=$base_port [haproxy]=$((base_port + 1)) [nginx]=$((base_port + 2)) [gatehouse]=$((base_port + 3)))
contenders=(direct haproxy nginx gatehouse)
# shellcheck source=../lib.sh
source "$here/../lib.sh"

check_tools() {
    require_wrk_and_two_cpus
    command -v nginx >/dev/null || fail "nginx not found; install it with: apt-get install -y nginx"
    [[ -x /usr/sbin/haproxy ]] || fail "/usr/sbin/haproxy not found; install HAProxy 2.6"
    command -v python3 >/dev/null || fail "python3 not found"
    for port in "${ports[@]}"; do
        if ss -ltnH "sport = :$port" | grep -q .; then
            fail "port $port is already in use; set BASE_PORT to a free range of 4 ports"
        fi
    done
}

build_gatehouse() {
    if [[ ! -f "$gatehouse_dll" ]]; then
        log "building Gatehouse (Release) into $artifacts"
        (cd "$repo" && dotnet build src/Gatehouse.Cli -c Release --artifacts-path "$artifacts" -v quiet --nologo) >&2
    fi
}

write_configs() {
    # One haproxy.cfg text for HAProxy and Gatehouse; each gets its own bind address through BENCH_BIND.
    cat >"$out/bench.cfg" <<EOF
global
    maxconn 4096

defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
    option http-keep-alive

frontend bench
    bind "\${BENCH_BIND}"
    default_backend origin

backend origin
    balance roundrobin
    server origin1 127.0.0.1:$origin_port
EOF
    # Gatehouse rejects nbthread, so HAProxy reads it from a second file in front of the shared one.
    printf 'global\n    nbthread 1\n' >"$out/haproxy-threads.cfg"


    cat >"$out/nginx-proxy.conf" <<EOF
worker_processes 1;
worker_rlimit_nofile 16384;
daemon off;
pid $out/nginx-proxy.pid;
error_log $out/nginx-proxy-error.log warn;
events { worker_connections 8192; }
http {
    access_log off;
    keepalive_requests 1000000;
    upstream origin {
        server 127.0.0.1:$origin_port;
        keepalive 64;
        keepalive_requests 1000000;
    }
    server {
        listen 127.0.0.1:${ports[nginx]};
        location / {
            proxy_pass http://origin;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
    }
}
EOF
}

# Waits for a 2xx or 3xx response from server NAME on PORT and fails early if its process has exited.
wait_for_server() {
    local name=$1 port=$2 deadline=$((SECONDS + 60))
    until curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null; do
        kill -0 "${pids[$name]}" 2>/dev/null || fail "$name exited during start-up; see $out/$name.err"
        ((SECONDS < deadline)) || fail "$name did not respond on port $port within 60 s; see $out/$name.err"
        sleep 0.5
    done
}

start_servers() {
    start_nginx_origin "$out" "$origin_port"
    wait_for_server origin "$origin_port"

    BENCH_BIND="127.0.0.1:${ports[haproxy]}" taskset -c 1 /usr/sbin/haproxy -db \
        -f "$out/haproxy-threads.cfg" -f "$out/bench.cfg" >"$out/haproxy.out" 2>"$out/haproxy.err" &
    pids[haproxy]=$!

    taskset -c 1 nginx -p "$out" -c "$out/nginx-proxy.conf" >"$out/nginx.out" 2>"$out/nginx.err" &
    pids[nginx]=$!

    # Workstation GC is what .NET picks on one CPU anyway; set it explicitly so the record is unambiguous.
    # The balancer logs one decision record per request at Information level, so stdout goes to /dev/null.
    BENCH_BIND="127.0.0.1:${ports[gatehouse]}" DOTNET_gcServer=0 \
        taskset -c 1 dotnet "$gatehouse_dll" balancer -f "$out/bench.cfg" >/dev/null 2>"$out/gatehouse.err" &
    pids[gatehouse]=$!

    wait_for_server haproxy "${ports[haproxy]}"
    wait_for_server nginx "${ports[nginx]}"
    wait_for_server gatehouse "${ports[gatehouse]}"
    curl -fsS "http://127.0.0.1:${ports[gatehouse]}/" | grep -qx 0123456789 || fail "gatehouse did not return the origin body"
}

run_wrk() {
    local port=$1 length=$2 file=$3
    taskset -c 0 wrk -t1 -c"$connections" -d"$length" --latency "http://127.0.0.1:$port/" >"$file"
}

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# Keeps N keep-alive connections open, each after one request and response, until killed or 120 s pass.
idle_clients() {
    python3 - "$1" "$2" <<'EOF'
import socket, sys, time
port, count = int(sys.argv[1]), int(sys.argv[2])
sockets = []
for _ in range(count):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    data = b""
    while not data.endswith(b"0123456789"):
        chunk = s.recv(4096)
        if not chunk:
            sys.exit(f"connection closed by the server after {len(sockets)} connections")
        data += chunk
    sockets.append(s)
print("ready", flush=True)
time.sleep(120)
EOF
}

measure_idle() {
    local name=$1 port=${ports[$1]} pid=${pids[$1]}
    # nginx's master only handles signals and its one worker keeps the connections, so the children count too.
    idle_clients "$port" "$idle_connections" >"$out/idle-$name.out" 2>&1 &
    local client=$!
    local deadline=$((SECONDS + 60))
    until grep -q ready "$out/idle-$name.out" 2>/dev/null; do
        kill -0 "$client" 2>/dev/null || fail "idle client for $name failed: $(cat "$out/idle-$name.out")"
        ((SECONDS < deadline)) || fail "idle client for $name did not connect within 60 s"
        sleep 0.5
    done
    sleep 3
    local total
    total=$(rss_kib "$pid")
    for child in $(pgrep -P "$pid" || true); do
        total=$((total + $(rss_kib "$child")))
    done
    echo "$name $total" >>"$out/idle-rss.txt"
    kill "$client"
    wait "$client" 2>/dev/null || true
}

main() {
    check_tools
    ulimit -n "$(ulimit -Hn)"  # HAProxy needs about 2 descriptors per maxconn, plus the idle clients
    build_gatehouse
    mkdir -p "$out"
    log "output in $out"
    write_configs
    echo "start $(cat /proc/loadavg)" >"$out/loadavg.txt"
    start_servers
    echo "gatehouse-after-start $(rss_kib "${pids[gatehouse]}")" >"$out/rss.txt"

    log "warm-up: Gatehouse $warmup_dotnet, others $warmup_native"
    for name in "${contenders[@]}"; do
        local length=$warmup_native
        [[ $name == gatehouse ]] && length=$warmup_dotnet
        run_wrk "${ports[$name]}" "$length" "$out/warmup-$name.txt"
    done

    for round in $(seq 1 "$rounds"); do
        for name in "${contenders[@]}"; do
            log "round $round: $name"
            run_wrk "${ports[$name]}" "$duration" "$out/round$round-$name.txt"
        done
    done
    echo "gatehouse-after-load $(rss_kib "${pids[gatehouse]}")" >>"$out/rss.txt"

    log "idle connections: $idle_connections per proxy"
    : >"$out/idle-rss.txt"
    for name in haproxy nginx gatehouse; do
        measure_idle "$name"
    done

    echo "end $(cat /proc/loadavg)" >>"$out/loadavg.txt"
    python3 "$here/summarize.py" "$out" "$rounds" "$idle_connections" | tee "$out/summary.md"
}

main "$@"
