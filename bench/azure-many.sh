#!/usr/bin/env bash
# Many functions (bench/azure-many.sls) end to end: a synthetic day of
# 10,000 applications (about 20,000 functions, generated once) replayed at
# 50 requests/s. Two series, each printing wall and CPU time (user + system,
# all threads), CPU microseconds per invocation and per cold start, peak
# memory and the growth of CPU time from one size to the next:
#   functions: 32, 1,000 and 10,000 apps over the whole day (67, 1,994 and
#              17,614 functions run; the same 4.32 M invocations);
#   minutes:   32 and 10,000 apps over 360 and 1440 minutes (4x the
#              invocations);
#   cold:      32 apps kept idle 10 min, then 500 ms: about 480 k cold
#              starts, more than 10,000 apps have, at no more functions;
#              the extra CPU over the extra cold starts is what one costs.
# On a shared machine wall time follows the load; CPU time is the figure.
# Options after the binary go to every run (`--invocations none`: no rows
# written, the simulation and the summary alone).
#   bench/azure-many.sh [BINARY [RUN OPTIONS...]]   (default: the dist build)
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-target/dist/sls}
[ $# -gt 0 ] || cargo build --profile dist --quiet
options=("${@:2}")
. bench/trace.sh
trace=$(azure_trace 10000 42)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
series() {
  local name=$1 previous= previous_cold=
  shift
  for point in "$@"; do
    rm -rf "$out/run"
    # shellcheck disable=SC2086 # a point is several words
    /usr/bin/time -f "%e %U %S %M" -o "$out/time" "$binary" run bench/azure-many.sls -p "trace=$trace" \
      $point "${options[@]}" --out "$out/run" >/dev/null
    read -r wall user system kb <"$out/time"
    cpu=$(awk -v u="$user" -v s="$system" 'BEGIN {print u + s}')
    read -r n cold < <(python3 -c 'import json, sys; s = json.load(open(sys.argv[1]))
print(s["invocations"], s["cold_starts"])' "$out/run/summary.json")
    growth=$([ -n "$previous" ] && awk -v a="$cpu" -v b="$previous" 'BEGIN {printf " (x%.2f)", a / b}' || true)
    if [ "$name" = cold ] && [ -n "$previous" ]; then
      growth+=$(awk -v a="$cpu" -v b="$previous" -v c="$cold" -v d="$previous_cold" \
        'BEGIN {printf ", %.2f us per extra cold start", (a - b) / (c - d) * 1e6}')
    fi
    awk -v p="$name $point" -v n="$n" -v c="$cold" -v w="$wall" -v cpu="$cpu" -v g="$growth" -v kb="$kb" \
      'BEGIN {printf "%s: %d invocations, %d cold; wall %.2f s, cpu %.2f s%s = %.2f us per invocation, %.1f us per cold start; peak %d MB\n",
        p, n, c, w, cpu, g, cpu / n * 1e6, cpu / c * 1e6, kb / 1024}'
    previous=$cpu previous_cold=$cold
  done
}
series functions "-p apps=32" "-p apps=1000" "-p apps=10000"
series minutes "-p apps=32 -p last=360" "-p apps=32 -p last=1440"
series minutes "-p apps=10000 -p last=360" "-p apps=10000 -p last=1440"
series cold "-p apps=32" "-p apps=32 -p idle=500ms"
