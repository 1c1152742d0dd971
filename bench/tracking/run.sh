#!/usr/bin/env bash
# What per-client tracking costs: keep-alive throughput of the same route with and without a rate counter,
# at the balancer (track-sc0 plus a rate check, in memory and with the table shared through Redis) and at the
# edge (one per-client rate limit, in memory and in Redis). HAProxy runs the same two balancer files for
# reference. Every variant forwards to the same 10-byte nginx origin and is measured with wrk in one
# interleaved run, so each ratio compares numbers taken minutes apart on the same machine.
#
# CPU placement: wrk, the origin and redis-server on CPU 0, the proxy under test on CPU 1. Idle variants stay
# on CPU 1 but receive no traffic while another is measured.
#
# Usage: bench/tracking/run.sh   (needs wrk, nginx, redis-server, /usr/sbin/haproxy, dotnet, python3, 2 CPUs)
# Environment: ROUNDS (3), DURATION (10s), CONNECTIONS (50), WARMUP (10s), BASE_PORT (19400),
#              OUT (a new /tmp/gh-bench-tracking.* folder).
# Every process the script starts is stopped by its pid on exit; nothing else is touched.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
rounds="${ROUNDS:-3}"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-50}"
warmup="${WARMUP:-10s}"
base_port="${BASE_PORT:-19400}"
out="${OUT:-$(mktemp -d /tmp/gh-bench-tracking.XXXXXX)}"
cli_artifacts=/tmp/gh-art-bench
gatehouse_dll="$cli_artifacts/bin/Gatehouse.Cli/release/gatehouse.dll"
bench_artifacts=/tmp/gh-art-edge-bench
edge_bench_dll="$bench_artifacts/bin/EdgeBench/release/EdgeBench.dll"

origin_port=$base_port
redis_port=$((base_port + 1))
variants=(haproxy-plain haproxy-track balancer-plain balancer-track balancer-redis edge-plain edge-memory edge-redis)
declare -A ports=()
port=$((base_port + 2))
for name in "${variants[@]}"; do
    ports[$name]=$port
    port=$((port + 1))
done
# shellcheck source=../lib.sh
source "$here/../lib.sh"

check_tools() {
    require_wrk_and_two_cpus
    command -v nginx >/dev/null || fail "nginx not found; install it with: apt-get install -y nginx"
    command -v redis-server >/dev/null || fail "redis-server not found; install it with: apt-get install -y redis-server"
    [[ -x /usr/sbin/haproxy ]] || fail "/usr/sbin/haproxy not found; install HAProxy 2.6"
    for p in "$origin_port" "$redis_port" "${ports[@]}"; do
        if ss -ltnH "sport = :$p" | grep -q .; then
            fail "port $p is already in use; set BASE_PORT to a free range of $((${#variants[@]} + 2)) ports"
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

# Writes the balancer file for one variant: TRACK empty, "local" or "redis".
balancer_cfg() {
    local track=$1 file=$2
    {
        printf 'global\n    maxconn 4096\n\n'
        printf 'defaults\n    mode http\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n    option http-keep-alive\n\n'
        printf 'frontend bench\n    bind "${BENCH_BIND}"\n'
        if [[ -n $track ]]; then
            # The deny never fires: the threshold is far above what one client can send in 10 s.
            printf '    http-request track-sc0 src table clients\n'
            printf '    http-request deny deny_status 429 if { sc_http_req_rate(0) gt 1000000000 }\n'
        fi
        printf '    default_backend origin\n\n'
        if [[ $track == local ]]; then
            printf 'backend clients\n    stick-table type ip size 100k expire 30s store http_req_rate(10s)\n\n'
        elif [[ $track == redis ]]; then
            printf 'peers shared\n    gatehouse-redis 127.0.0.1:%s key-prefix bench:\n\n' "$redis_port"
            printf 'backend clients\n    stick-table type ip size 100k expire 30s peers shared store http_req_rate(10s)\n\n'
        fi
        printf 'backend origin\n    balance roundrobin\n    server origin1 127.0.0.1:%s\n' "$origin_port"
    } >"$file"
}

write_configs() {
    balancer_cfg "" "$out/plain.cfg"
    balancer_cfg local "$out/track.cfg"
    balancer_cfg redis "$out/redis.cfg"
    # Gatehouse rejects nbthread, so HAProxy reads it from a second file in front of the shared one.
    printf 'global\n    nbthread 1\n' >"$out/haproxy-threads.cfg"
}

# Waits for a 2xx response from variant NAME and fails early if its process has exited.
wait_for_variant() {
    local name=$1 port=$2 deadline=$((SECONDS + 90))
    until curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null; do
        kill -0 "${pids[$name]}" 2>/dev/null || fail "$name exited during start-up; see $out/$name.err"
        ((SECONDS < deadline)) || fail "$name did not answer 200 on port $port within 90 s; see $out/$name.err"
        sleep 0.5
    done
}

start_all() {
    start_nginx_origin "$out" "$origin_port"
    taskset -c 0 redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
        >"$out/redis.out" 2>&1 &
    pids[redis]=$!
    wait_for_port "$origin_port" 30
    local deadline=$((SECONDS + 30))
    until redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG; do
        ((SECONDS < deadline)) || fail "redis-server did not answer on port $redis_port"
        sleep 0.2
    done

    local -A files=([haproxy-plain]=plain [haproxy-track]=track [balancer-plain]=plain [balancer-track]=track [balancer-redis]=redis)
    for name in haproxy-plain haproxy-track; do
        BENCH_BIND="127.0.0.1:${ports[$name]}" taskset -c 1 /usr/sbin/haproxy -db \
            -f "$out/haproxy-threads.cfg" -f "$out/${files[$name]}.cfg" >"$out/$name.out" 2>"$out/$name.err" &
        pids[$name]=$!
    done
    # The balancer writes one decision record per request to the console; stdout goes to /dev/null.
    for name in balancer-plain balancer-track balancer-redis; do
        BENCH_BIND="127.0.0.1:${ports[$name]}" DOTNET_gcServer=0 \
            taskset -c 1 dotnet "$gatehouse_dll" balancer -f "$out/${files[$name]}.cfg" >/dev/null 2>"$out/$name.err" &
        pids[$name]=$!
    done
    local -A counters=([edge-plain]=none [edge-memory]=memory [edge-redis]="redis=127.0.0.1:$redis_port")
    for name in edge-plain edge-memory edge-redis; do
        mkdir -p "$out/$name"
        DOTNET_gcServer=0 taskset -c 1 dotnet "$edge_bench_dll" rate "${ports[$name]}" "http://127.0.0.1:$origin_port" \
            "$out/$name" "${counters[$name]}" >"$out/$name.out" 2>"$out/$name.err" &
        pids[$name]=$!
    done
    for name in "${variants[@]}"; do
        wait_for_variant "$name" "${ports[$name]}"
    done
}

run_wrk() {
    local port=$1 length=$2 file=$3
    taskset -c 0 wrk -t1 -c"$connections" -d"$length" --latency "http://127.0.0.1:$port/" >"$file"
}

main() {
    check_tools
    ulimit -n "$(ulimit -Hn)"
    build
    mkdir -p "$out"
    log "output in $out"
    write_configs
    echo "start $(cat /proc/loadavg)" >"$out/loadavg.txt"
    start_all

    for name in "${variants[@]}"; do
        log "warm-up: $name $warmup"
        run_wrk "${ports[$name]}" "$warmup" "$out/warmup-$name.txt"
    done
    for round in $(seq 1 "$rounds"); do
        for name in "${variants[@]}"; do
            log "round $round: $name"
            run_wrk "${ports[$name]}" "$duration" "$out/round$round-$name.txt"
        done
    done
    # Shows that the tracked variants counted: the Redis keys of the shared table and of the edge's counter.
    redis-cli -p "$redis_port" --scan --pattern 'bench:*' | head -5 >"$out/redis-keys.txt"
    echo "end $(cat /proc/loadavg)" >>"$out/loadavg.txt"
    python3 "$here/../ratios.py" "$out" "$rounds" \
        haproxy-plain:haproxy-track balancer-plain:balancer-track,balancer-redis edge-plain:edge-memory,edge-redis \
        | tee "$out/summary.md"
}

main "$@"
