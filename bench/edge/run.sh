#!/usr/bin/env bash
# Added latency and throughput of the whole Gatehouse edge pipeline next to a bare YARP pass-through proxy.
# Both forward to the same 10-byte nginx origin on loopback (the balancer is replaced by the plain origin),
# measured with wrk in one interleaved run: bare, edge, bare, edge, ...
#
# The edge runs every step: request id, header normalization and deny list, two rate limits that never trip,
# a protected route whose bearer token (from the dev issuer, in the same process) is validated once and then
# served from the validation cache, an A/B experiment sticky by subject, an ES256 edge assertion per request,
# and a decision record (discarded).
#
# CPU placement: wrk and the origin on CPU 0, the proxy under test on CPU 1; the idle proxy stays on CPU 1
# but receives no traffic while the other is measured.
#
# Usage: bench/edge/run.sh     (needs wrk, nginx, dotnet, 2 CPUs)
# Environment: REBUILD (set to rebuild EdgeBench), ROUNDS (3), DURATION (10s), CONNECTIONS (50), WARMUP (10s), BASE_PORT (19100),
#              OUT (a new /tmp/gh-bench-edge.* folder).
# Every process the script starts is stopped by its pid on exit; nothing else is touched.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
rounds="${ROUNDS:-3}"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-50}"
warmup="${WARMUP:-10s}"
base_port="${BASE_PORT:-19100}"
out="${OUT:-$(mktemp -d /tmp/gh-bench-edge.XXXXXX)}"
artifacts=/tmp/gh-art-edge-bench
bench_dll="$artifacts/bin/EdgeBench/release/EdgeBench.dll"
origin_port=$base_port
declare -A ports=([bare]=$((base_port + 1)) [edge]=$((base_port + 2)))
# shellcheck source=../lib.sh
source "$here/../lib.sh"

require_wrk_and_two_cpus
command -v nginx >/dev/null || fail "nginx not found; install it with: apt-get install -y nginx"

if [[ ! -f "$bench_dll" || -n "${REBUILD:-}" ]]; then
    log "building EdgeBench (Release) into $artifacts"
    (cd "$repo" && dotnet build bench/edge/EdgeBench -c Release --artifacts-path "$artifacts" -v quiet --nologo) >&2
fi

start_nginx_origin "$out" "$origin_port"
taskset -c 1 dotnet "$bench_dll" bare "${ports[bare]}" "http://127.0.0.1:$origin_port" >"$out/bare.log" 2>&1 & pids[bare]=$!
taskset -c 1 dotnet "$bench_dll" edge "${ports[edge]}" "http://127.0.0.1:$origin_port" "$out" >"$out/edge.log" 2>&1 & pids[edge]=$!
for port in "$origin_port" "${ports[bare]}" "${ports[edge]}"; do wait_for_port "$port" 60; done
deadline=$((SECONDS + 60))
until [[ -s "$out/token" ]]; do ((SECONDS < deadline)) || fail "edge wrote no token"; sleep 0.2; done
token="$(cat "$out/token")"

measure() {
    local name=$1 seconds=$2 file=$3
    local -a auth=()
    [[ $name == edge ]] && auth=(-H "Authorization: Bearer $token")
    taskset -c 0 wrk -t1 -c"$connections" -d"$seconds" --latency "${auth[@]}" \
        "http://127.0.0.1:${ports[$name]}/api/resource" >"$file"
}

status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "http://127.0.0.1:${ports[edge]}/api/resource")
[[ $status == 200 ]] || fail "edge returned $status for the benchmark request; see $out/edge.log"

for name in bare edge; do log "warming up $name for $warmup"; measure "$name" "$warmup" "$out/warmup-$name.txt"; done
for round in $(seq 1 "$rounds"); do
    for name in bare edge; do
        log "round $round: $name"
        measure "$name" "$duration" "$out/round$round-$name.txt"
    done
done

# wrk prints latency percentiles with units (us, ms, s); convert to microseconds.
to_us() { awk '{ v=$1; if (v ~ /us$/) { sub(/us$/,"",v); print v } else if (v ~ /ms$/) { sub(/ms$/,"",v); print v*1000 } else { sub(/s$/,"",v); print v*1000000 } }'; }
printf '%-6s %-5s %10s %10s %12s %8s\n' round proxy p50_us p99_us requests_s non2xx
for round in $(seq 1 "$rounds"); do
    for name in bare edge; do
        file="$out/round$round-$name.txt"
        p50=$(awk '$1=="50%"{print $2}' "$file" | to_us)
        p99=$(awk '$1=="99%"{print $2}' "$file" | to_us)
        rps=$(awk '/Requests\/sec/{print $2}' "$file")
        errors=$(awk '/Non-2xx/{print $NF}' "$file")
        printf '%-6s %-5s %10s %10s %12s %8s\n' "$round" "$name" "$p50" "$p99" "$rps" "${errors:-0}"
    done
done | tee "$out/summary.txt"
log "raw wrk output in $out"
