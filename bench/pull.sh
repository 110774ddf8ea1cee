#!/usr/bin/env bash
# Cold image pulls crowding one core link (bench/pull.sls), end to end, at
# several sizes (default 2,500, 5,000 and 10,000 nodes): wall time, CPU
# time (user + system: steadier than wall on a shared machine), peak
# memory, and the growth of each from one size to the next. The engine
# alone is timed by `cargo bench --bench engine -- pulls`. SLS=BINARY skips
# the build and times that binary.
#   bench/pull.sh [NODES...]
set -euo pipefail
cd "$(dirname "$0")/.."
sls=${SLS:-target/dist/sls}
[ -n "${SLS:-}" ] || cargo build --profile dist --quiet
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(2500 5000 10000)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
growth() { [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf " (x%.2f)", a / b}' || true; }
previous_wall=
previous_cpu=
for nodes in "${sizes[@]}"; do
  rm -rf "$out/run"
  /usr/bin/time -f "%e %U %S %M" -o "$out/time" "$sls" run bench/pull.sls -p "nodes=$nodes" --out "$out/run" >/dev/null
  read -r wall user system kb <"$out/time"
  cpu=$(awk -v u="$user" -v s="$system" 'BEGIN {printf "%.2f", u + s}')
  echo "pull nodes=$nodes: $wall s$(growth "$wall" "$previous_wall"), cpu $cpu s$(growth "$cpu" "$previous_cpu"), peak $((kb / 1024)) MB"
  previous_wall=$wall
  previous_cpu=$cpu
done
