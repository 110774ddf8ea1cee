#!/usr/bin/env bash
# One benchmark program end to end at several sizes: wall time, peak
# memory and the growth from one size to the next (4x the work should cost
# at most 5x the time). Arguments after `--` go to every run. SLS=BINARY
# skips the build and times that binary. Used by the probes' scripts
# (bench/queue.sh, bench/pull.sh).
#   bench/grow.sh PROGRAM PARAM SIZE... [-- RUN_ARGS...]
# e.g. bench/grow.sh bench/queue.sls minutes 16 64 256 -- --invocations none
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 3 ] || { echo "usage: bench/grow.sh PROGRAM PARAM SIZE... [-- RUN_ARGS...]" >&2; exit 2; }
program=$1 param=$2
shift 2
sizes=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do sizes+=("$1"); shift; done
[ $# -eq 0 ] || shift
sls=${SLS:-target/dist/sls}
[ -n "${SLS:-}" ] || cargo build --profile dist --quiet
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
previous=
for size in "${sizes[@]}"; do
  rm -rf "$out/run"
  /usr/bin/time -f "%e %M" -o "$out/time" "$sls" run "$program" -p "$param=$size" "$@" --out "$out/run" >/dev/null
  read -r wall kb <"$out/time"
  growth=$([ -n "$previous" ] && awk -v a="$wall" -v b="$previous" 'BEGIN {printf " (x%.2f)", a / b}' || true)
  echo "$(basename "$program" .sls) $param=$size: $wall s$growth, peak $((kb / 1024)) MB"
  previous=$wall
done
