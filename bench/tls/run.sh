#!/usr/bin/env bash
# HTTPS at the edge and the balancer next to HAProxy terminating TLS on the same run. Three measures:
# keep-alive HTTP/1.1 throughput with wrk; HTTP/1.1 and HTTP/2 throughput with h2load, one tool for both so
# that the protocols compare fairly; and the rate of new connections, each with a full handshake (wrk with
# "Connection: close").
#
# Every contender terminates TLS with the same ECDSA P-256 certificate, offers h2 and http/1.1 by ALPN, and
# forwards plain HTTP/1.1 to the same 10-byte nginx origin. HAProxy and the Gatehouse balancer read the same
# haproxy.cfg; the edge runs one public route with no policy (bench/edge/EdgeBench "tls" mode), so the numbers
# price TLS and forwarding, not the pipeline.
#
# CPU placement: the load tools and the origin on CPU 0, the proxy under test on CPU 1. Idle contenders stay
# on CPU 1 but receive no traffic while another is measured.
#
# Usage: bench/tls/run.sh   (needs wrk, h2load from nghttp2-client, nginx, openssl, /usr/sbin/haproxy, dotnet,
#                            python3, 2 CPUs)
# Environment: ROUNDS (3), DURATION (10), CONNECTIONS (50), H2_CLIENTS (10), H2_STREAMS (10), WARMUP (10),
#              BASE_PORT (19500), OUT (a new /tmp/gh-bench-tls.* folder). Durations are in seconds.
# Every process the script starts is stopped by its pid on exit; nothing else is touched.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
rounds="${ROUNDS:-3}"
duration="${DURATION:-10}"
connections="${CONNECTIONS:-50}"
h2_clients="${H2_CLIENTS:-10}"
h2_streams="${H2_STREAMS:-10}"
warmup="${WARMUP:-10}"
base_port="${BASE_PORT:-19500}"
out="${OUT:-$(mktemp -d /tmp/gh-bench-tls.XXXXXX)}"
cli_artifacts=/tmp/gh-art-bench
gatehouse_dll="$cli_artifacts/bin/Gatehouse.Cli/release/gatehouse.dll"
bench_artifacts=/tmp/gh-art-edge-bench
edge_bench_dll="$bench_artifacts/bin/EdgeBench/release/EdgeBench.dll"

origin_port=$base_port
contenders=(haproxy balancer edge)
declare -A ports=([haproxy]=$((base_port + 1)) [balancer]=$((base_port + 2)) [edge]=$((base_port + 3)))
# shellcheck source=../lib.sh
source "$here/../lib.sh"

check_tools() {
    require_wrk_and_two_cpus
    command -v h2load >/dev/null || fail "h2load not found; install it with: apt-get install -y nghttp2-client"
    command -v nginx >/dev/null || fail "nginx not found; install it with: apt-get install -y nginx"
    command -v openssl >/dev/null || fail "openssl not found"
    [[ -x /usr/sbin/haproxy ]] || fail "/usr/sbin/haproxy not found; install HAProxy 2.6"
    for p in "$origin_port" "${ports[@]}"; do
        if ss -ltnH "sport = :$p" | grep -q .; then
            fail "port $p is already in use; set BASE_PORT to a free range of 4 ports"
        fi
    done
}

build() {
    if [[ ! -f "$gatehouse_dll" || -n "${REBUILD:-}" ]]; then
        log "building the CLI (Release) into $cli_artifacts"
        (cd "$repo" && dotnet build src/Gatehouse.Cli -c Release --artifacts-path "$cli_artifacts" -v quiet --nologo) >&2
    fi
    if [[ ! -f "$edge_bench_dll" || -n "${REBUILD:-}" ]]; then
        log "building EdgeBench (Release) into $bench_artifacts"
        (cd "$repo" && dotnet build bench/edge/EdgeBench -c Release --artifacts-path "$bench_artifacts" -v quiet --nologo) >&2
    fi
}

write_files() {
    # One self-signed ECDSA P-256 certificate for 127.0.0.1, as a PKCS#8 key plus certificate (the edge) and as
    # one combined PEM (HAProxy's and the balancer's `crt`).
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=127.0.0.1 \
        -addext subjectAltName=IP:127.0.0.1 -keyout "$out/key.pem" -out "$out/cert.pem" 2>"$out/openssl.err"
    cat "$out/cert.pem" "$out/key.pem" >"$out/combined.pem"
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
    bind "\${BENCH_BIND}" ssl crt $out/combined.pem alpn h2,http/1.1 ssl-min-ver TLSv1.2
    default_backend origin

backend origin
    balance roundrobin
    server origin1 127.0.0.1:$origin_port
EOF
    printf 'global\n    nbthread 1\n' >"$out/haproxy-threads.cfg"
}

wait_for_https() {
    local name=$1 port=$2 deadline=$((SECONDS + 90))
    until curl -fsS --cacert "$out/cert.pem" -o /dev/null "https://127.0.0.1:$port/" 2>/dev/null; do
        kill -0 "${pids[$name]}" 2>/dev/null || fail "$name exited during start-up; see $out/$name.err"
        ((SECONDS < deadline)) || fail "$name did not answer over HTTPS on port $port within 90 s; see $out/$name.err"
        sleep 0.5
    done
    # Both protocols must really be offered, or the HTTP/2 figures would measure a fallback.
    local version
    version=$(curl -sS --http2 --cacert "$out/cert.pem" -o /dev/null -w '%{http_version}' "https://127.0.0.1:$port/")
    [[ $version == 2 ]] || fail "$name did not negotiate HTTP/2 (curl saw $version)"
}

start_all() {
    start_nginx_origin "$out" "$origin_port"
    wait_for_port "$origin_port" 30
    BENCH_BIND="127.0.0.1:${ports[haproxy]}" taskset -c 1 /usr/sbin/haproxy -db \
        -f "$out/haproxy-threads.cfg" -f "$out/bench.cfg" >"$out/haproxy.out" 2>"$out/haproxy.err" &
    pids[haproxy]=$!
    # The balancer writes one decision record per request to the console; stdout goes to /dev/null.
    BENCH_BIND="127.0.0.1:${ports[balancer]}" DOTNET_gcServer=0 \
        taskset -c 1 dotnet "$gatehouse_dll" balancer -f "$out/bench.cfg" >/dev/null 2>"$out/balancer.err" &
    pids[balancer]=$!
    mkdir -p "$out/edge"
    DOTNET_gcServer=0 taskset -c 1 dotnet "$edge_bench_dll" tls "${ports[edge]}" "http://127.0.0.1:$origin_port" \
        "$out/edge" "$out/cert.pem" "$out/key.pem" >"$out/edge.out" 2>"$out/edge.err" &
    pids[edge]=$!
    for name in "${contenders[@]}"; do
        wait_for_https "$name" "${ports[$name]}"
    done
}

url() { echo "https://127.0.0.1:${ports[$1]}/"; }

# One measurement: KIND is keepalive (wrk), handshake (wrk, a new connection per request), h1 or h2 (h2load).
measure() {
    local kind=$1 name=$2 seconds=$3 file=$4
    case $kind in
        keepalive) taskset -c 0 wrk -t1 -c"$connections" -d"${seconds}s" --latency "$(url "$name")" >"$file" ;;
        handshake) taskset -c 0 wrk -t1 -c"$connections" -d"${seconds}s" --latency -H 'Connection: close' "$(url "$name")" >"$file" ;;
        h1) taskset -c 0 h2load --h1 -c"$connections" -D "$seconds" "$(url "$name")" >"$file" ;;
        h2) taskset -c 0 h2load -c"$h2_clients" -m"$h2_streams" -D "$seconds" "$(url "$name")" >"$file" ;;
    esac
}

main() {
    check_tools
    ulimit -n "$(ulimit -Hn)"
    build
    mkdir -p "$out"
    log "output in $out"
    write_files
    echo "start $(cat /proc/loadavg)" >"$out/loadavg.txt"
    start_all

    for name in "${contenders[@]}"; do
        log "warm-up: $name ${warmup}s"
        measure keepalive "$name" "$warmup" "$out/warmup-$name.txt"
        measure h2 "$name" "$warmup" "$out/warmup-h2-$name.txt"
    done
    local kinds=(keepalive handshake h1 h2)
    for round in $(seq 1 "$rounds"); do
        for kind in "${kinds[@]}"; do
            for name in "${contenders[@]}"; do
                log "round $round: $kind $name"
                measure "$kind" "$name" "$duration" "$out/round$round-$kind-$name.txt"
            done
        done
    done
    echo "end $(cat /proc/loadavg)" >>"$out/loadavg.txt"
    {
        for kind in "${kinds[@]}"; do
            printf '\n%s\n\n' "$kind"
            python3 "$here/../ratios.py" "$out" "$rounds" "$kind-haproxy:$kind-balancer,$kind-edge"
        done
        printf '\nHTTP/2 against HTTP/1.1 (h2load both)\n\n'
        python3 "$here/../ratios.py" "$out" "$rounds" h1-haproxy:h2-haproxy h1-balancer:h2-balancer h1-edge:h2-edge
    } | tee "$out/summary.md"
}

main "$@"
