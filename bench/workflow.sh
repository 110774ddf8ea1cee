#!/usr/bin/env bash
# The workflow benchmark: 100,000 fan-out/fan-in instances on 100 hosts.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --profile dist --quiet
bench/timed.sh bench/workflow-100k.sls
