#!/usr/bin/env bash
# Whether two sls binaries write the same bytes: runs every program of
# examples/ and the Azure benchmark (bench/azure-balanced.sls on a 300-app
# synthetic trace at 10 requests/s, 864,000 invocations) with each, then
# compares every file of every results folder, and what each printed, with
# cmp. For a change that must not move a date (a refactoring, a new seam).
#   bench/identical.sh BINARY_A BINARY_B
# e.g. bench/identical.sh /tmp/sls-main target/release/sls
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { echo "usage: bench/identical.sh BINARY_A BINARY_B" >&2; exit 2; }
. bench/trace.sh
trace=$(azure_trace 300)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for side in a b; do
  if [ $side = a ]; then binary=$1; else binary=$2; fi
  mkdir -p "$out/$side"
  for program in $(find examples -name '*.sls' | sort) bench/azure-balanced.sls; do
    name=$(echo "$program" | tr '/' '_')
    params=()
    if [ "$program" = bench/azure-balanced.sls ]; then params=(-p "trace=\"$trace\"" -p rps=10/s); fi
    status=0
    "$binary" run "$program" "${params[@]}" --out "$out/$side/$name" --force -q \
      >"$out/$side/$name.stdout" 2>"$out/$side/$name.stderr" || status=$?
    echo "$status $program" >>"$out/$side/status"
  done
done
files=0 differ=0
while read -r file; do
  files=$((files + 1))
  cmp -s "$out/a/$file" "$out/b/$file" || { differ=$((differ + 1)); echo "differs: $file"; }
done < <(cd "$out/a" && find . -type f | sort)
diff -q <(cd "$out/a" && find . -type f | sort) <(cd "$out/b" && find . -type f | sort) >/dev/null \
  || { echo "the two runs wrote different files"; differ=$((differ + 1)); }
failed=$(grep -vc '^0 ' "$out/a/status" || true)
echo "$(wc -l <"$out/a/status") programs ($failed refused or failed, alike on both sides), $files files compared, $differ differ"
[ "$differ" -eq 0 ]
