#!/usr/bin/env bash
# A burst of requests of many functions waiting for their image
# (bench/burst.sls), end to end, at several sizes (default 2,048, 8,192
# and 32,768 functions, a multiple of 32 each): wall and CPU time, peak
# memory and their growth (bench/grow.sh). SLS=BINARY skips the build and
# times that binary.
#   bench/burst.sh [FUNCTIONS...]
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(2048 8192 32768)
exec bench/grow.sh bench/burst.sls functions "${sizes[@]}"
