#!/usr/bin/env bash
# bench/queue-kpa.sls (the queue probe with an autoscaler) end to end at
# several sizes (default 1, 2 and 4 minutes of arrivals: 6 k, 12 k and
# 24 k invocations): wall time, peak memory and the growth from one size
# to the next (bench/grow.sh). SLS=BINARY times that binary;
# SCHEDULER=POLICY times the program under another placement policy, e.g.
# SCHEDULER='greedy { order fcfs }'.
#   bench/queue-kpa.sh [MINUTES...]
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1 2 4)
exec bench/grow.sh bench/queue-kpa.sls minutes "${sizes[@]}" -- --invocations none
