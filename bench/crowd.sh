#!/usr/bin/env bash
# A crowd of many functions waiting (bench/crowd.sls): two minutes of the
# synthetic 10,000-application day (generated once) onto 10 small hosts at
# 25, 100 and 400 requests/s (default; 4x the invocations each), past the
# slots from the first: wall and CPU time, peak memory and their growth
# (bench/grow.sh), without invocation rows. SCHEDULER=POLICY for another
# placement (`balanced` is the one this probe was found with); SLS=BINARY
# skips the build and times that binary.
#   bench/crowd.sh [RATES...]        e.g. SCHEDULER=balanced bench/crowd.sh
set -euo pipefail
cd "$(dirname "$0")/.."
rates=("$@")
[ ${#rates[@]} -gt 0 ] || rates=(25/s 100/s 400/s)
. bench/trace.sh
trace=$(azure_trace 10000 42)
exec bench/grow.sh bench/crowd.sls rps "${rates[@]}" -- -p "trace=\"$trace\"" --invocations none
