#!/usr/bin/env bash
# The Azure Functions 2019 benchmark at 10, 50 and 100 requests per second,
# end to end: trace reading, simulation and invocations.csv included.
# Generates the synthetic 2000-app trace once.
#   bench/azure.sh          # bench/azure-balanced.sls (one container per application)
#   bench/azure.sh dslab    # bench/azure-dslab.sls (the peer's own model, as far as the language goes)
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-balanced}" in
  balanced) script=bench/azure-balanced.sls ;;
  dslab) script=bench/azure-dslab.sls ;;
  *) echo "usage: bench/azure.sh [balanced|dslab]" >&2; exit 2 ;;
esac
cargo build --profile dist --quiet
. bench/trace.sh
trace=$(azure_trace 2000)
for rps in 10 50 100; do
  bench/timed.sh "$script" -p "trace=\"$trace\"" -p "rps=$rps/s"
done
