#!/usr/bin/env bash
# Invocations taking prewarmed containers (bench/prewarm.sls), end to end,
# at several sizes (default 5,000, 20,000 and 80,000 prewarmed containers
# and as many invocations): wall time, peak memory and the growth from one
# size to the next (bench/grow.sh). SLS=BINARY times that binary;
# SCHEDULER=POLICY times the program under another placement policy. The
# nodes have 100,000 slots: 200,000 prewarms leave 100,000 requests
# waiting.
#   bench/prewarm.sh [PREWARMS...]
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(5000 20000 80000)
exec bench/grow.sh bench/prewarm.sls prewarms "${sizes[@]}" -- --invocations none
