#!/usr/bin/env bash
# The Azure Functions 2019 benchmark (bench/azure-balanced.sls) at 10, 50
# and 100 requests per second, end to end: trace reading, simulation and
# invocations.csv included. Generates the synthetic 2000-app trace once.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --profile dist --quiet
trace=target/bench-traces/azure2019-2000
if [ ! -f "$trace/invocations_per_function_md.anon.d01.csv" ]; then
  python3 bench/gen_azure2019.py "$trace" 2000
fi
for rps in 10 50 100; do
  bench/timed.sh bench/azure-balanced.sls -p "trace=\"$PWD/$trace\"" -p "rps=$rps/s"
done
