#!/usr/bin/env bash
# Instructions `sls check` executes on the front-end benchmark's generated
# 10,013-line script, counted by valgrind's callgrind: the same count on
# every run whatever the VM's neighbours do (wall times here vary by 2x).
#   bench/frontend-instructions.sh [BINARY]      (default: the release build)
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-target/release/sls}
[ $# -gt 0 ] || cargo build --release --quiet
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo bench --quiet --bench frontend -- --write "$out/generated.sls" >/dev/null
valgrind --tool=callgrind --callgrind-out-file="$out/callgrind" "$binary" check "$out/generated.sls" >/dev/null 2>&1
total=$(callgrind_annotate "$out/callgrind" 2>/dev/null | awk '/PROGRAM TOTALS/ {print $1}')
echo "sls check of a 10,013-line script: $total instructions"
