#!/usr/bin/env bash
# Soak: runs `gatehouse up --free-ports` and drives a fixed request mix through its edge at a fixed pace for a
# bounded time. It then prints one summary: status counts per traffic class, the error rate of allowed traffic,
# and the working set (VmRSS) and open file descriptors of the gatehouse process at start, each minute and at end.
#
# Mix per 10 requests (bench/soak/mix.lua): 5 allowed (3 public, 2 with alice's token), 2 answered by the
# example WebAssembly guest, 2 denied (401 without a token, 403 for alice on /admin/), 1 limited (429 from the
# demo-burst rule). The pace stays under the demo per-client limit of 100 requests/s, because every request
# comes from 127.0.0.1.
#
# Usage: bench/soak/run.sh [--minutes N] [--rate R]
#   --minutes N   how long to drive traffic (default 10, at most 1440)
#   --rate R      requests per second over all connections (default 50, at most 90); the measured rate is
#                 lower by the response time, because each connection waits 1000*4/R ms after a response
# Environment: GATEHOUSE (command that runs the CLI, default ./gatehouse), OUT (a new /tmp/gh-soak.* folder).
# Needs wrk and curl. Every process the script starts is stopped by its pid on exit; nothing else is touched.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
minutes=10
rate=50
connections=4
while [[ $# -gt 0 ]]; do
    case $1 in
        --minutes) minutes=${2:?--minutes needs a number}; shift 2 ;;
        --rate) rate=${2:?--rate needs a number}; shift 2 ;;
        *) echo "unknown option '$1'; usage: bench/soak/run.sh [--minutes N] [--rate R]" >&2; exit 2 ;;
    esac
done
[[ $minutes =~ ^[0-9]+$ && $minutes -ge 1 && $minutes -le 1440 ]] || { echo "--minutes must be 1 to 1440, got '$minutes'" >&2; exit 2; }
[[ $rate =~ ^[0-9]+$ && $rate -ge 1 && $rate -le 90 ]] || { echo "--rate must be 1 to 90, got '$rate'" >&2; exit 2; }
read -r -a gatehouse <<<"${GATEHOUSE:-$repo/gatehouse}"
out="${OUT:-$(mktemp -d /tmp/gh-soak.XXXXXX)}"
# shellcheck source=../lib.sh
source "$here/../lib.sh"

command -v wrk >/dev/null || fail "wrk not found; install it with: apt-get install -y wrk"
command -v curl >/dev/null || fail "curl not found; install it with: apt-get install -y curl"

# Working set in KiB and open file descriptors of a process.
sample() {
    local pid=$1
    printf '%s %s' "$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")" "$(find "/proc/$pid/fd" -mindepth 1 -maxdepth 1 | wc -l)"
}

# Appends "SECONDS RSS_KIB FDS" for PID to FILE once a minute until killed, so that warm-up can be
# distinguished from steady growth.
sample_every_minute() {
    local pid=$1 file=$2 elapsed=0
    while sleep 60; do
        elapsed=$((elapsed + 60))
        echo "$elapsed $(sample "$pid")" >>"$file"
    done
}

log "starting ${gatehouse[*]} up --free-ports (run folder $out/run)"
(cd "$repo" && exec "${gatehouse[@]}" up --free-ports --run-dir "$out/run") >"$out/up.log" 2>&1 &
pids[up]=$!
deadline=$((SECONDS + 300))
until grep -q '^Gatehouse is up' "$out/up.log"; do
    kill -0 "${pids[up]}" 2>/dev/null || fail "gatehouse up exited; see $out/up.log"
    ((SECONDS < deadline)) || fail "gatehouse up printed no banner in 300 s; see $out/up.log"
    sleep 0.5
done
edge=$(awk '$1 == "edge" { print $2; exit }' "$out/up.log")
issuer=$(awk '$1 == "dev" && $2 == "issuer" { print $3; exit }' "$out/up.log")
[[ -n $edge && -n $issuer ]] || fail "no edge or dev issuer address in the banner; see $out/up.log"
token=$("${gatehouse[@]}" token --user alice --issuer "$issuer")
status=$(curl -s -o /dev/null -w '%{http_code}' "$edge/hello/")
[[ $status == 200 ]] || fail "the guest route returned $status; see $out/up.log"

start_sample=$(sample "${pids[up]}")
echo "0 $start_sample" >"$out/samples.txt"
sample_every_minute "${pids[up]}" "$out/samples.txt" &
pids[sampler]=$!
log "driving $rate requests/s at $edge for $minutes min"
SOAK_TOKEN="$token" SOAK_DELAY_MS=$((1000 * connections / rate)) \
    wrk -t"$connections" -c"$connections" -d"${minutes}m" --timeout 10s -s "$here/mix.lua" "$edge" >"$out/wrk.txt"
end_sample=$(sample "${pids[up]}")
kill "${pids[sampler]}"
wait "${pids[sampler]}" 2>/dev/null || true
unset 'pids[sampler]'

read -r rss_start fd_start <<<"$start_sample"
read -r rss_end fd_end <<<"$end_sample"
awk -v rss_start="$rss_start" -v rss_end="$rss_end" -v fd_start="$fd_start" -v fd_end="$fd_end" \
    -v minutes="$minutes" -v rate="$rate" '
    /^wrk / { for (i = 2; i <= NF; i++) { split($i, kv, "="); wrk[kv[1]] = kv[2] } }
    /^class / { split($3, s, "="); split($4, u, "="); sent[$2] = s[2]; bad[$2] = u[2] }
    END {
        allowed = sent["allowed"] + sent["guest"]
        allowed_bad = bad["allowed"] + bad["guest"] + wrk["socket_errors"] + wrk["timeouts"]
        printf "soak: %d min at %d requests/s requested, %d requests in %.0f s (%.1f/s), p50 %s ms, p99 %s ms\n",
            minutes, rate, wrk["requests"], wrk["duration_s"], wrk["requests"] / wrk["duration_s"], wrk["p50_ms"], wrk["p99_ms"]
        for (c in sent) printf "  %-8s %7d sent, %d unexpected status\n", c, sent[c], bad[c]
        printf "  socket errors %d, timeouts %d\n", wrk["socket_errors"], wrk["timeouts"]
        printf "  allowed and guest traffic: %d requests, %d failed, error rate %.4f%%\n",
            allowed, allowed_bad, allowed ? 100 * allowed_bad / allowed : 0
        printf "  gatehouse working set %.1f MiB at start, %.1f MiB at end\n", rss_start / 1024, rss_end / 1024
        printf "  gatehouse open file descriptors %d at start, %d at end\n", fd_start, fd_end
    }' "$out/wrk.txt" | tee "$out/summary.txt"
awk '{ rss = rss sprintf(" %.0f", $2 / 1024); fd = fd " " $3 }
    END { printf "  working set each minute (MiB):%s\n  open file descriptors each minute:%s\n", rss, fd }' \
    "$out/samples.txt" | tee -a "$out/summary.txt"
log "details in $out"
