#!/usr/bin/env bash
# Compares sls binaries on the Azure benchmark with interleaved runs (A B,
# B A, ...: rounds in turn), so that the VM's neighbours and a run's place
# in its round slow each binary alike, and prints each
# binary's sorted wall times (s), its sorted CPU times (user + system, s:
# steadier than wall times when the neighbours are busy) and its runs' peak
# memory (MB, GNU time's maximum resident set size, smallest and largest),
# in the order given, then the medians and how many times faster than the
# first binary each other one is (the first binary's median over its own;
# then the median of the rounds' ratios, each run against the first
# binary's run of its round, and the fastest run's ratio: steadier when
# the neighbours come and go).
#   bench/compare.sh RUNS RPS BINARY...
# e.g. keep a copy of a build, rebuild, then:
#   bench/compare.sh 8 100 /tmp/sls-before target/dist/sls
# A BINARY may carry options of `sls run`, quoted as one argument:
#   bench/compare.sh 8 100 target/dist/sls "target/dist/sls --invocations parquet"
# SCRIPT=bench/azure-dslab.sls times the peer's model instead of
# bench/azure-balanced.sls.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=$1 rps=$2 script=${SCRIPT:-bench/azure-balanced.sls}
shift 2
. bench/trace.sh
trace=$(azure_trace 2000)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
binaries=("$@")
for round in $(seq 0 $((runs - 1))); do
  # Each round starts one binary later (A B C, B C A, C A B, ...): on this
  # host the run third in a round gained some 10 % over the second in two
  # series of 2026-12-04, whichever binary it was.
  for place in $(seq 0 $(($# - 1))); do
    binary=${binaries[$(((place + round) % $#))]}
    rm -rf "$out/run"
    read -r -a command <<<"$binary"
    /usr/bin/time -f "%e %U %S %M" -o "$out/time" "${command[0]}" run "${command[@]:1}" "$script" \
      -p "trace=\"$trace\"" -p "rps=$rps/s" --out "$out/run" >/dev/null
    echo "${binary// /_} $(tail -n 1 "$out/time")"
  done
done | awk '
  {
    if (!($1 in wall)) order[++binaries] = $1
    wall[$1] = wall[$1] " " $2
    # In run order: run k of the first binary against run k of each other.
    nth[$1]++; walls[$1, nth[$1]] = $2
    cpu[$1] = cpu[$1] " " sprintf("%.2f", $3 + $4)
    mb = $5 / 1024
    if (!($1 in lo) || mb < lo[$1]) lo[$1] = mb
    if (!($1 in hi) || mb > hi[$1]) hi[$1] = mb
  }
  function sorted(list,    n, v, i, j, t, out) {
    n = split(list, v, " ")
    for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
    for (i = 1; i <= n; i++) out = out " " v[i]
    return out
  }
  # The median of a sorted list (the mean of the middle two for an even count).
  function median(list,    n, v) {
    n = split(list, v, " ")
    return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
  }
  END {
    for (i = 1; i <= binaries; i++) {
      b = order[i]
      w = sorted(wall[b]); c = sorted(cpu[b])
      mw[i] = median(w); mc[i] = median(c)
      printf "%s\n  wall%s s\n  cpu%s s\n  peak %.1f-%.1f MB\n", b, w, c, lo[b], hi[b]
      printf "  median wall %.2f s, cpu %.2f s", mw[i], mc[i]
      if (i > 1) {
        printf "; against the first: %.2fx wall, %.2fx cpu", mw[1] / mw[i], mc[1] / mc[i]
        # The ratio of each round (runs next to each other met the same
        # neighbours), and that of the fastest runs (the least disturbed).
        ratios = ""
        for (k = 1; k <= nth[b] && k <= nth[order[1]]; k++) ratios = ratios " " walls[order[1], k] / walls[b, k]
        split(w, fb, " "); split(sorted(wall[order[1]]), fa, " ")
        printf "\n  wall ratio per round: median %.2fx; fastest runs %.2fx", median(sorted(ratios)), fa[1] / fb[1]
      }
      printf "\n"
    }
  }'
