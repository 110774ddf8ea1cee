#!/usr/bin/env bash
# Cold image pulls crowding one core link (bench/pull.sls), end to end, at
# several sizes (default 2,500, 5,000 and 10,000 nodes): wall time, peak
# memory and the growth from one size to the next. The engine alone is
# timed by `cargo bench --bench engine -- pulls`.
#   bench/pull.sh [NODES...]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --profile dist --quiet
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(2500 5000 10000)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
previous=
for nodes in "${sizes[@]}"; do
  rm -rf "$out/run"
  /usr/bin/time -f "%e %M" -o "$out/time" target/dist/sls run bench/pull.sls -p "nodes=$nodes" --out "$out/run" >/dev/null
  read -r wall kb <"$out/time"
  growth=$([ -n "$previous" ] && awk -v a="$wall" -v b="$previous" 'BEGIN {printf " (x%.2f)", a / b}' || true)
  echo "pull nodes=$nodes: $wall s$growth, peak $((kb / 1024)) MB"
  previous=$wall
done
