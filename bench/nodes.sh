#!/usr/bin/env bash
# Many nodes under load (bench/nodes.sls: 3 invocations a second per node
# for a minute), end to end at several sizes (default 1,000, 2,000 and
# 4,000 nodes: 180 k, 360 k and 720 k invocations): wall time, peak memory
# and the growth (bench/grow.sh). SLS=BINARY times that binary;
# SCHEDULER=POLICY another placement, e.g. SCHEDULER=least_loaded.
#   bench/nodes.sh [NODES...]
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 2000 4000)
exec bench/grow.sh bench/nodes.sls nodes "${sizes[@]}" -- --invocations none
