#!/usr/bin/env bash
# The cost of a policy written in the script against the same policy built
# in, on the Azure benchmark (bench/azure-balanced.sls) at 100 requests/s:
# `least_loaded` placement and a 10-minute fixed keep-alive, built in, then
# re-expressed (`placement fewest_busy { score node = busy(node); pick min }`,
# `keep_alive ten_minutes { idle 10min }`). Runs interleave (the VM is
# noisy); both must write the same bytes, and the best of each is compared.
#   bench/written-policies.sh [RUNS] [BINARY]    (default 3 runs, the dist build)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
binary=${2:-target/dist/sls}
[ $# -gt 1 ] || cargo build --profile dist --quiet
. bench/trace.sh
trace=$(azure_trace 2000)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
{
  echo 'param place = least_loaded'
  echo 'param keep = fixed(10min)'
  echo 'placement fewest_busy { score node = busy(node); pick min }'
  echo 'keep_alive ten_minutes { idle 10min }'
  sed -e 's/^\( *\)scheduler fcfs$/\1scheduler place/' -e 's/^\( *\)idle_timeout 10min$/\1keep_alive keep/' bench/azure-balanced.sls
} >"$out/azure-written.sls"
declare -A best
for run in $(seq "$runs"); do
  for side in built_in written; do
    if [ $side = built_in ]; then policies=(-p place=least_loaded -p "keep=fixed(10min)"); else policies=(-p place=fewest_busy -p keep=ten_minutes); fi
    start=$(date +%s.%N)
    "$binary" run "$out/azure-written.sls" -p "trace=\"$trace\"" -p rps=100/s "${policies[@]}" --out "$out/$side" -q --force
    wall=$(echo "$(date +%s.%N) - $start" | bc)
    echo "run $run $side: $wall s"
    if [ -z "${best[$side]:-}" ] || (($(echo "$wall < ${best[$side]}" | bc))); then best[$side]=$wall; fi
  done
  cmp "$out/built_in/invocations.csv" "$out/written/invocations.csv"
done
echo "same bytes: yes ($(($(wc -l <"$out/written/invocations.csv") - 1)) invocations)"
echo "best built in ${best[built_in]} s, best written ${best[written]} s: ratio $(echo "scale=3; ${best[written]} / ${best[built_in]}" | bc)"
