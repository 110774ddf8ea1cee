#!/usr/bin/env bash
# A queue that RAM, not slots, holds back (bench/queue.sls), end to end, at
# several sizes (default 16, 64 and 256 minutes of arrivals: 96 k, 384 k
# and 1.5 M invocations): wall time, peak memory and the growth from one
# size to the next (bench/grow.sh). SLS=BINARY times that binary.
#   bench/queue.sh [MINUTES...]
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(16 64 256)
exec bench/grow.sh bench/queue.sls minutes "${sizes[@]}" -- --invocations none
