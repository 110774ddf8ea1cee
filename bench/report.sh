#!/usr/bin/env bash
# `sls report` at scale: wall time and peak memory of drawing
#   rows:    a run of 4.32 M invocations (bench/azure-many.sls, 32 apps of
#            the synthetic 10,000-application day at 50/s), its rows as
#            CSV (549 MB) and as Parquet;
#   series:  the 30-day example examples/policies/written/hybrid.sls with
#            --timeseries 1s (widened to 32 s: 80,000 intervals a table);
#   sweep:   a sweep of 3,000 points of one run each (examples/basic.sls,
#            one invocation a point, no rows).
# The runs are made once per call, by the same binary; only `sls report`
# is timed. SLS=BINARY times that binary (default: the dist build).
#   bench/report.sh
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${SLS:-target/dist/sls}
[ -n "${SLS:-}" ] || cargo build --profile dist --quiet
. bench/trace.sh
trace=$(azure_trace 10000 42)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
report() {
  if /usr/bin/time -f "%e %M" -o "$out/time" "$binary" report "$2" >/dev/null 2>"$out/err"; then
    read -r wall kb <"$out/time"
    echo "$1: wall $wall s, peak $((kb / 1024)) MB"
  else
    echo "$1: refused: $(tail -1 "$out/err")"
  fi
}
for format in csv parquet; do
  "$binary" run bench/azure-many.sls -p "trace=$trace" -p apps=32 --invocations "$format" \
    --out "$out/rows-$format" -q
  report "rows ($format, 4.32 M)" "$out/rows-$format"
done
"$binary" run examples/policies/written/hybrid.sls --timeseries 1s --out "$out/series" -q 2>/dev/null
report "series (30 days, 1 s asked)" "$out/series"
python3 - "$out/sweep.sls" <<'PY'
import sys
script = open("examples/basic.sls").read().replace("param invocations = 200", "param invocations = 1\nparam x = 1")
values = ", ".join(str(i) for i in range(1, 3001))
open(sys.argv[1], "w").write(script + f"\nsweep x in [{values}]\n")
PY
"$binary" run "$out/sweep.sls" --max-runs 7000 --invocations none --out "$out/sweep" -q
report "sweep (3,000 points)" "$out/sweep"
