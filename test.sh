#!/usr/bin/env bash
# Builds the solution and runs every test project; ends with one summary line "N passed, N failed[, N skipped]".
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET 10 SDK is required (dotnet not found on PATH)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

# The tests run real components: HAProxy (compatibility), redis-server (shared state), Node.js with
# npm (guests built by @fastly/js-compute), Python's Prometheus parser (metrics), headless
# Chromium (stats page) and tmux (`gatehouse top`). Install the Debian packages that are missing when we can.
missing=()
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
/usr/bin/python3 -c 'import prometheus_client' >/dev/null 2>&1 || missing+=(python3-prometheus-client)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing ${missing[*]} for the tests" >&2
    (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}") >/dev/null 2>&1 \
      || echo "test.sh: could not install ${missing[*]}; the tests that need them will fail" >&2
    # The packages start system services; the tests start their own instances on ports they choose.
    (service haproxy stop; service redis-server stop) >/dev/null 2>&1 || true
  else
    echo "test.sh: missing ${missing[*]}; install them (apt-get install ${missing[*]}) or the tests that need them will fail" >&2
  fi
fi

RESULTS="$ROOT/TestResults"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"

if ! dotnet build Gatehouse.slnx -c Debug --nologo -v quiet; then
  echo "test.sh: build failed" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

dotnet test Gatehouse.slnx -c Debug --no-build --nologo \
  --blame-hang-timeout 10m --logger "trx" --logger "console;verbosity=normal" --results-directory "$RESULTS" "$@"
status=$?

# Sum the counters of every TRX file; a test host that crashed leaves no TRX and counts as one failure.
passed=0; failed=0; skipped=0; files=0
for trx in "$RESULTS"/*.trx; do
  [ -e "$trx" ] || continue
  files=$((files + 1))
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -1)"
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done

projects=$(find tests -name '*.Tests.csproj' | wc -l)
if [ "$files" -lt "$projects" ]; then
  echo "test.sh: only $files of $projects test projects reported results" >&2
  failed=$((failed + projects - files))
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
fi

# Name the failed tests just above the summary, where a log cut to its last lines still shows them.
if [ "$failed" -gt 0 ]; then
  for trx in "$RESULTS"/*.trx; do
    [ -e "$trx" ] || continue
    grep -o '<UnitTestResult [^>]*outcome="Failed"[^>]*>' "$trx" | sed -n 's/.*testName="\([^"]*\)".*/FAILED: \1/p'
  done
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
