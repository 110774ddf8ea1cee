#!/usr/bin/env bash
# The service benchmark (bench/sleep-1m.sls): 100 nodes, 1,000,000 sleep
# invocations with cold and warm starts; then twice as many, to show that
# memory does not grow with the number of finished invocations.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --profile dist --quiet
bench/timed.sh bench/sleep-1m.sls
bench/timed.sh bench/sleep-1m.sls -p span=1000s
