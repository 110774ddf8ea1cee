#!/usr/bin/env bash
# Runs `sls run` on a script and prints invocations, wall time, invocations
# per second and peak memory (GNU time's maximum resident set size).
#   bench/timed.sh SCRIPT [sls run arguments...]
set -euo pipefail
script=$1
shift
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
/usr/bin/time -f "%e %M" -o "$out/time" target/dist/sls run "$script" "$@" --out "$out/run" >"$out/summary"
python3 - "$out/time" "$out/summary" "$script $*" <<'PY'
import sys
wall, kb = open(sys.argv[1]).read().split()[-2:]
n = next(int(l.split()[1]) for l in open(sys.argv[2]) if l.startswith("invocations"))
wall, kb = float(wall), int(kb)
print(f"{sys.argv[3]}: {n} invocations in {wall:.2f} s = {n / wall / 1e6:.2f} M invocations/s, peak {kb / 1024:.1f} MB")
PY
