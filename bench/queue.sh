#!/usr/bin/env bash
# A queue that RAM, not slots, holds back (bench/queue.sls), end to end, at
# several sizes (default 1, 2 and 4 minutes of arrivals: 6 k, 12 k and 24 k
# invocations): wall time, peak memory and the growth from one size to the
# next. SLS=BINARY skips the build and times that binary.
#   bench/queue.sh [MINUTES...]
set -euo pipefail
cd "$(dirname "$0")/.."
sls=${SLS:-target/dist/sls}
[ -n "${SLS:-}" ] || cargo build --profile dist --quiet
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1 2 4)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
previous=
for minutes in "${sizes[@]}"; do
  rm -rf "$out/run"
  /usr/bin/time -f "%e %M" -o "$out/time" "$sls" run bench/queue.sls -p "minutes=$minutes" --invocations none --out "$out/run" >/dev/null
  read -r wall kb <"$out/time"
  growth=$([ -n "$previous" ] && awk -v a="$wall" -v b="$previous" 'BEGIN {printf " (x%.2f)", a / b}' || true)
  echo "queue minutes=$minutes: $wall s$growth, peak $((kb / 1024)) MB"
  previous=$wall
done
