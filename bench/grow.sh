#!/usr/bin/env bash
# One benchmark program end to end at several sizes: wall time, CPU time
# (user + system: steadier than wall on a shared machine), peak memory and
# the growth of each from one size to the next (4x the work should cost
# at most 5x the time). Arguments after `--` go to every run. SLS=BINARY
# skips the build and times that binary; SCHEDULER=POLICY runs the program
# under another placement policy (its `scheduler fcfs` line replaced), e.g.
# SCHEDULER='greedy { order fcfs }'. Used by the probes' scripts
# (bench/queue.sh, bench/pull.sh, ...).
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
if [ -n "${SCHEDULER:-}" ]; then
  copy=$out/$(basename "$program")
  sed "s/^  scheduler fcfs$/  scheduler $SCHEDULER/" "$program" >"$copy"
  grep -qF "scheduler $SCHEDULER" "$copy" || { echo "bench/grow.sh: no \`scheduler fcfs\` line in $program to replace" >&2; exit 2; }
  program=$copy
fi
growth() { [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf " (x%.2f)", a / b}' || true; }
previous_wall=
previous_cpu=
for size in "${sizes[@]}"; do
  rm -rf "$out/run"
  /usr/bin/time -f "%e %U %S %M" -o "$out/time" "$sls" run "$program" -p "$param=$size" "$@" --out "$out/run" >/dev/null
  read -r wall user system kb <"$out/time"
  cpu=$(awk -v u="$user" -v s="$system" 'BEGIN {printf "%.2f", u + s}')
  echo "$(basename "$program" .sls) $param=$size: $wall s$(growth "$wall" "$previous_wall"), cpu $cpu s$(growth "$cpu" "$previous_cpu"), peak $((kb / 1024)) MB"
  previous_wall=$wall
  previous_cpu=$cpu
done
