#!/usr/bin/env bash
# Cold image pulls crowding one core link (bench/pull.sls), end to end, at
# several sizes (default 2,500, 5,000 and 10,000 nodes): wall and CPU time,
# peak memory and their growth (bench/grow.sh). The engine alone is
# timed by `cargo bench --bench engine -- pulls`. SLS=BINARY skips the
# build and times that binary.
#   bench/pull.sh [NODES...]
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(2500 5000 10000)
exec bench/grow.sh bench/pull.sls nodes "${sizes[@]}"
