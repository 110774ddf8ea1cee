#!/usr/bin/env bash
# Instructions executed per thread on the Azure benchmark cut to its first
# 30 simulated minutes (180,000 invocations at 100 requests/s), counted by
# valgrind's callgrind: the same count on every run whatever the VM's
# neighbours do, so a change's effect shows even when wall times are noise.
#   bench/instructions.sh [BINARY]      (default: the release build)
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-target/release/sls}
[ $# -gt 0 ] || cargo build --release --quiet
. bench/trace.sh
trace=$(azure_trace 2000)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
sed 's/^\( *\)rate rps$/\1rate rps\n\1minutes 1..30/' bench/azure-balanced.sls >"$out/azure-30min.sls"
valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$out/callgrind" \
  "$binary" run "$out/azure-30min.sls" -p "trace=\"$trace\"" -p rps=100/s --out "$out/run" >"$out/summary" 2>/dev/null
grep '^invocations' "$out/summary"
# Threads in order of creation: the simulation, the report writer, the trace reader.
names=(simulation "report writer" "trace reader")
index=0
for part in "$out"/callgrind-*; do
  total=$(callgrind_annotate "$part" 2>/dev/null | awk '/PROGRAM TOTALS/ {print $1}')
  echo "${names[index]:-thread $((index + 1))}: $total instructions"
  index=$((index + 1))
done
