#!/usr/bin/env bash
# Many functions (bench/azure-many.sls) end to end: a synthetic day of
# 10,000 applications (about 20,000 functions, generated once) replayed at
# 50 requests/s. Two series, each printing wall time, microseconds per
# invocation, peak memory and the growth from one size to the next:
#   functions: 2,500, 5,000 and 10,000 apps over the whole day (the same
#              4.32 M invocations, 4x the functions);
#   minutes:   all apps over 360, 720 and 1440 minutes (4x the invocations).
#   bench/azure-many.sh [BINARY]       (default: the dist build)
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-target/dist/sls}
[ $# -gt 0 ] || cargo build --profile dist --quiet
trace=$PWD/target/bench-traces/azure2019-10000-42
if [ ! -f "$trace/invocations_per_function_md.anon.d01.csv" ]; then
  python3 bench/gen_azure2019.py "$trace" 10000 42
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
series() {
  local name=$1 previous=
  shift
  for point in "$@"; do
    rm -rf "$out/run"
    /usr/bin/time -f "%e %M" -o "$out/time" "$binary" run bench/azure-many.sls -p "trace=$trace" \
      $point --out "$out/run" >"$out/summary"
    read -r wall kb <"$out/time"
    n=$(awk '/^invocations/ {print $2}' "$out/summary")
    growth=$([ -n "$previous" ] && awk -v a="$wall" -v b="$previous" 'BEGIN {printf " (x%.2f)", a / b}' || true)
    awk -v p="$name $point" -v n="$n" -v w="$wall" -v g="$growth" -v kb="$kb" \
      'BEGIN {printf "%s: %d invocations in %.2f s%s = %.2f us each, peak %d MB\n", p, n, w, g, w / n * 1e6, kb / 1024}'
    previous=$wall
  done
}
series functions "-p apps=2500" "-p apps=5000" "-p apps=10000"
series minutes "-p last=360" "-p last=720" "-p last=1440"
