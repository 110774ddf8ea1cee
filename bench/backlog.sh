#!/usr/bin/env bash
# What runs past the machine cost now (bench/README.md, "Runs bounded in
# memory"), end to end with peak memory:
#   1. a backlog that only grows (bench/backlog.sls) at 1, 2, 4 and 8
#      million invocations in flight: memory per invocation held;
#   2. the same at 12 million, past the 10,000,000 a run holds: it stops
#      with sls::run::too_many_in_flight (exit 1), at what peak;
#   3. the 17,614-function Azure day (bench/azure-many.sls) with
#      `--timeseries 1s`: the intervals it keeps and its peak.
# SLS=BINARY skips the build and runs that binary.
#   bench/backlog.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export SLS=${SLS:-target/dist/sls}
[ "$SLS" != target/dist/sls ] || cargo build --profile dist --quiet
bench/grow.sh bench/backlog.sls invocations 1000000 2000000 4000000 8000000 -- --invocations none
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0
/usr/bin/time -f "%e s, peak %M KB" -o "$out/time" "$SLS" run bench/backlog.sls -p invocations=12000000 \
  --invocations none --out "$out/past" -q 2>"$out/said" || status=$?
echo "backlog invocations=12000000: exit $status, $(tail -1 "$out/time"): $(grep -o 'at [0-9.]* s more than [0-9]* invocations were in flight' "$out/said")"
. bench/trace.sh
trace=$(azure_trace 10000 42)
/usr/bin/time -f "%e s, peak %M KB" -o "$out/time" "$SLS" run bench/azure-many.sls -p "trace=\"$trace\"" \
  --timeseries 1s --invocations none --out "$out/series" -q 2>"$out/said"
rows=$(($(wc -l <"$out/series/series-functions.csv") - 1))
echo "azure-many --timeseries 1s: $(cat "$out/time"), $rows rows of series-functions.csv: $(grep -o 'intervals of [0-9.]* s, not the 1 s asked: the run outlasted the [0-9]* intervals kept' "$out/said")"
