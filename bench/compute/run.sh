#!/usr/bin/env bash
# Cost of running a Fastly Compute guest per request.
#
# 1. Instantiation: ComputeBench times store creation plus instantiation of the hello guest (wall median
#    and p99, and mean thread CPU), then whole guest runs without HTTP (instantiate, _start, response).
# 2. Whole requests: wrk at CONNECTIONS connections (throughput) and at 1 connection (latency without
#    queueing) against `gatehouse serve` running the hello guest, interleaved with a plain Kestrel app that
#    returns "hello" itself (same slim host, no guest).
#    The server under test is pinned to CPU 1 and wrk to CPU 0, so the server's req/s is req/s per core.
# 3. The same for the hello guest built with --enable-aot, when that build succeeds.
#
# Usage: bench/compute/run.sh      (needs wrk, node and npm, dotnet, 2 CPUs)
# Environment: ROUNDS (2), DURATION (10s), CONNECTIONS (32), WARMUP (5s), COUNT (2000 instantiations),
#              BASE_PORT (19300), ARTIFACTS (/tmp/gh-art-wasm2-rel), OUT (a new /tmp/gh-bench-compute.* folder).
# Every process the script starts is stopped by its pid on exit.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
guests="$repo/tests/guests"
rounds="${ROUNDS:-2}"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-32}"
warmup="${WARMUP:-5s}"
count="${COUNT:-2000}"
base_port="${BASE_PORT:-19300}"
artifacts="${ARTIFACTS:-/tmp/gh-art-wasm2-rel}"
out="${OUT:-$(mktemp -d /tmp/gh-bench-compute.XXXXXX)}"
bench_dll="$artifacts/bin/ComputeBench/release/Gatehouse.Bench.Compute.dll"
cli_dll="$artifacts/bin/Gatehouse.Cli/release/gatehouse.dll"
# shellcheck source=../lib.sh
source "$here/../lib.sh"

require_wrk_and_two_cpus
command -v npx >/dev/null || fail "npx not found; install Node.js 20 or later"

log "building ComputeBench and the CLI (Release) into $artifacts"
(cd "$repo" && dotnet build bench/compute/ComputeBench -c Release --artifacts-path "$artifacts" -v quiet --nologo) >&2
serve_with=(dotnet "$cli_dll" serve)
if ! (cd "$repo" && dotnet build src/Gatehouse.Cli -c Release --artifacts-path "$artifacts" -v quiet --nologo) >"$out/cli-build.log" 2>&1; then
    log "the CLI did not build (see $out/cli-build.log); serving with ComputeBench's copy of the serve steps"
    serve_with=(dotnet "$bench_dll" serve)
fi

[[ -d "$guests/node_modules/@fastly/js-compute" ]] || (cd "$guests" && npm install --no-audit --no-fund) >&2
builds=(plain)
mkdir -p "$out/plain/bin" "$out/aot/bin"
(cd "$guests" && npx js-compute-runtime hello/src/index.js "$out/plain/bin/main.wasm") >&2
if (cd "$guests" && npx js-compute-runtime --enable-aot hello/src/index.js "$out/aot/bin/main.wasm") >"$out/aot-build.log" 2>&1; then
    builds+=(aot)
else
    log "the --enable-aot build failed (see $out/aot-build.log); measuring the plain build only"
fi

for build in "${builds[@]}"; do
    printf 'manifest_version = 3\nname = "hello-%s"\n' "$build" >"$out/$build/fastly.toml"
    log "instantiation, $build build"
    dotnet "$bench_dll" instantiate "$out/$build/bin/main.wasm" "$count" | tee "$out/instantiate-$build.txt"
done

declare -A ports=([kestrel]=$base_port)
taskset -c 1 dotnet "$bench_dll" kestrel "$base_port" >"$out/kestrel.log" 2>&1 & pids[kestrel]=$!
index=1
for build in "${builds[@]}"; do
    ports[$build]=$((base_port + index))
    index=$((index + 1))
    if [[ "${serve_with[1]}" == "$cli_dll" ]]; then
        taskset -c 1 "${serve_with[@]}" "$out/$build" --addr "127.0.0.1:${ports[$build]}" >"$out/serve-$build.log" 2>&1 & pids[$build]=$!
    else
        taskset -c 1 "${serve_with[@]}" "$out/$build" "${ports[$build]}" >"$out/serve-$build.log" 2>&1 & pids[$build]=$!
    fi
done
for name in "${!ports[@]}"; do wait_for_port "${ports[$name]}" 120; done

targets=(kestrel "${builds[@]}")
for name in "${targets[@]}"; do
    log "warm-up $name ($warmup)"
    taskset -c 0 wrk -t1 -c"$connections" -d"$warmup" "http://127.0.0.1:${ports[$name]}/" >/dev/null
done

# wrk's --latency output: "50%  1.23ms"; converts us, ms and s to milliseconds.
percentile() { awk -v p="$2" '$1 == p { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else { sub(/s/, "", v); v *= 1000 } printf "%.3f", v }' "$1"; }
rate() { awk '/^Requests\/sec/ { printf "%.0f", $2 }' "$1"; }
errors() { awk '/Non-2xx|Socket errors/ { print }' "$1"; }

for round in $(seq 1 "$rounds"); do
    for conns in "$connections" 1; do
        for name in "${targets[@]}"; do
            log "round $round: $name, $conns connections, $duration"
            taskset -c 0 wrk -t1 -c"$conns" -d"$duration" --latency "http://127.0.0.1:${ports[$name]}/" >"$out/wrk-$name-$conns-$round.txt"
            errors "$out/wrk-$name-$conns-$round.txt" >&2
        done
    done
done

printf '\nload average: %s\n\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '| target | connections | round | req/s (1 server core) | p50 ms | p99 ms | added p50 ms | added p99 ms | ratio req/s |\n'
printf '| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n'
for conns in "$connections" 1; do
    for round in $(seq 1 "$rounds"); do
        base="$out/wrk-kestrel-$conns-$round.txt"
        for name in "${targets[@]}"; do
            f="$out/wrk-$name-$conns-$round.txt"
            awk -v n="$name" -v c="$conns" -v r="$round" -v rps="$(rate "$f")" -v p50="$(percentile "$f" 50%)" -v p99="$(percentile "$f" 99%)" \
                -v b50="$(percentile "$base" 50%)" -v b99="$(percentile "$base" 99%)" -v brps="$(rate "$base")" \
                'BEGIN { printf "| %s | %s | %s | %d | %.3f | %.3f | %.3f | %.3f | %.2f |\n", n, c, r, rps, p50, p99, p50 - b50, p99 - b99, rps / brps }'
        done
    done
done
log "raw output in $out"
