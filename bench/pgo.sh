#!/usr/bin/env bash
# Builds sls with profile-guided optimisation into target/pgo/sls: the
# `dist` build compiled a second time with a profile of where a run spends
# its branches and calls, so that the compiler lays out and inlines the hot
# paths for them. Same sources, same results (bench/identical.sh against
# the `dist` build: every output byte alike); only the machine code moves.
#   bench/pgo.sh              # then target/pgo/sls, or:
#   cargo install --path . --profile dist  # the build without a profile
#
# Three steps, some 7 minutes on 2 cores:
#   1. an instrumented `dist` build (it counts as it runs);
#   2. training runs: every program of examples/ (its diagnostics too), the
#      Azure benchmark's two models on a 300-app synthetic trace (not the
#      2000-app trace bench/azure.sh and bench/compare.sh time) at 10 and
#      50 requests/s, with CSV, Parquet and no rows, and a many-functions
#      cut; their counts merged by llvm-profdata;
#   3. the `dist` build again, using the merged profile.
# llvm-profdata comes with rustup's `llvm-tools` component (added when
# missing: it must match the compiler's LLVM). The build targets the host
# explicitly so that the flags reach sls and its dependencies, not the build
# scripts and macros the compiler runs.
set -euo pipefail
cd "$(dirname "$0")/.."
host=$(rustc -vV | sed -n 's/^host: //p')
profdata="$(rustc --print sysroot)/lib/rustlib/$host/bin/llvm-profdata"
if [ ! -x "$profdata" ]; then
  rustup component add llvm-tools
fi
work=$PWD/target/pgo-work
rm -rf "$work/profiles" "$work/out"
mkdir -p "$work/profiles" "$work/out" target/pgo

echo "1/3 instrumented build" >&2
RUSTFLAGS="${RUSTFLAGS:-} -Cprofile-generate=$work/profiles" \
  cargo build --profile dist --locked --quiet --target "$host" --target-dir "$work/instrumented"
instrumented=$work/instrumented/$host/dist/sls

echo "2/3 training runs" >&2
. bench/trace.sh
trace=$(azure_trace 300)
train() {
  rm -rf "$work/out/run"
  "$instrumented" run "$@" --out "$work/out/run" --force -q >/dev/null 2>&1
}
programs=0 refused=0
for program in $(find examples -name '*.sls' | sort); do
  programs=$((programs + 1))
  # Some examples are shared parts or show a diagnostic: refusing them is
  # their purpose, and the checker's paths belong in the profile too.
  train "$program" || refused=$((refused + 1))
done
echo "  $programs examples ($refused refused, as they are with any build)" >&2
azure=(-p "trace=\"$trace\"")
for rps in 10 50; do
  train bench/azure-balanced.sls "${azure[@]}" -p "rps=$rps/s"
  train bench/azure-dslab.sls "${azure[@]}" -p "rps=$rps/s"
done
train bench/azure-balanced.sls "${azure[@]}" -p rps=50/s --invocations parquet
train bench/azure-balanced.sls "${azure[@]}" -p rps=50/s --invocations none
train bench/azure-many.sls "${azure[@]}" -p apps=300 -p last=360
"$profdata" merge -o "$work/sls.profdata" "$work/profiles"

echo "3/3 build with the profile" >&2
RUSTFLAGS="${RUSTFLAGS:-} -Cprofile-use=$work/sls.profdata" \
  cargo build --profile dist --locked --quiet --target "$host" --target-dir "$work/optimised"
cp "$work/optimised/$host/dist/sls" target/pgo/sls
echo "target/pgo/sls" >&2
