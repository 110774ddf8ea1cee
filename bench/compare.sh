#!/usr/bin/env bash
# Compares sls binaries on the Azure benchmark with interleaved runs (A B A
# B ...), so that the VM's neighbours slow each binary alike, and prints each
# binary's sorted wall times.
#   bench/compare.sh RUNS RPS BINARY...
# e.g. keep a copy of a build, rebuild, then:
#   bench/compare.sh 8 100 /tmp/sls-before target/dist/sls
set -euo pipefail
cd "$(dirname "$0")/.."
runs=$1 rps=$2
shift 2
trace=$PWD/target/bench-traces/azure2019-2000
if [ ! -f "$trace/invocations_per_function_md.anon.d01.csv" ]; then
  python3 bench/gen_azure2019.py "$trace" 2000
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for _ in $(seq "$runs"); do
  for binary in "$@"; do
    rm -rf "$out/run"
    /usr/bin/time -f "%e" -o "$out/time" "$binary" run bench/azure-balanced.sls \
      -p "trace=\"$trace\"" -p "rps=$rps/s" --out "$out/run" >/dev/null
    echo "$binary $(cat "$out/time")"
  done
done | sort -k1,1 -k2n | awk '{t[$1] = t[$1] " " $2} END {for (b in t) print b ":" t[b]}'
