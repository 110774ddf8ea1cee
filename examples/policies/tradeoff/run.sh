#!/usr/bin/env bash
# Serverless in the Wild's keep-alive trade-off in shape: makes a synthetic
# Azure Functions 2019 day (400 apps, seed 42), replays 200 of its apps
# under fixed windows of 10, 20, 60, 120 minutes and the hybrid histogram
# policy (the sweep of azure2019.sls), and prints per point the cold-start
# percentage (all invocations, and the 3rd-quartile function as the paper
# plots it) against the wasted memory time (idle container GB-s, also
# normalised to the 10-minute window).
#   examples/policies/tradeoff/run.sh [SLS_BINARY]
set -euo pipefail
cd "$(dirname "$0")/../../.."
sls=${1:-target/release/sls}
trace=$PWD/target/keep-alive-azure
out=$PWD/target/keep-alive-tradeoff
if [ ! -f "$trace/invocations_per_function_md.anon.d01.csv" ]; then
  python3 /work/shared/tools/gen_azure2019.py "$trace" 400 >/dev/null 2>&1 ||
    python3 bench/gen_azure2019.py "$trace" 400 >/dev/null
fi
"$sls" run examples/policies/tradeoff/azure2019.sls -p "trace=\"$trace\"" --out "$out" --force -q
python3 - "$out" <<'PY'
import json, pathlib, sys
rows = []
for point in sorted(pathlib.Path(sys.argv[1]).glob("*/summary.json")):
    s = json.loads(point.read_text())
    k = s["services"][0]["keep_alive"]
    ratios = sorted(f["keep_alive"]["cold_start_ratio"] for f in s["functions"]
                    if f["keep_alive"]["cold_start_ratio"] is not None)
    q3 = ratios[min(len(ratios) - 1, (3 * len(ratios)) // 4)]
    rows.append((s["run"]["parameters"]["window"], s["invocations"], k["cold_start_ratio"], q3,
                 k["idle_gb_seconds"], k["prewarms"], k["prewarms_used"]))
base = next(r[4] for r in rows if r[0] == "fixed(10min)")
order = ["fixed(10min)", "fixed(20min)", "fixed(60min)", "fixed(120min)", "hybrid"]
rows.sort(key=lambda r: order.index(r[0]) if r[0] in order else len(order))
print(f"{'keep_alive':<14} {'invocations':>11} {'cold %':>7} {'Q3 fn cold %':>12} {'idle GB-s':>12} {'vs 10 min':>9} {'prewarms':>8} {'used':>6}")
for w, n, cold, q3, idle, pw, used in rows:
    print(f"{w:<14} {n:>11} {100*cold:>7.2f} {100*q3:>12.2f} {idle:>12.0f} {idle/base:>9.3f} {pw:>8} {used:>6}")
PY
