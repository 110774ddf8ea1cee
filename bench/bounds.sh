#!/usr/bin/env bash
# `sls check` on the inputs that once took seconds to minutes (or never
# ended): each under 1 MiB, each answered with a bounded report. Prints, per
# input, its size, the best wall time of three runs, the peak memory (GNU
# time's maximum resident set size) and the bytes written to stderr. The
# budget is a second and 200 MB per input.
#   bench/bounds.sh [SLS_BINARY]   (default target/dist/sls)
set -euo pipefail
sls=${1:-target/dist/sls}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 - "$dir" <<'PY'
import sys
d = sys.argv[1]
head = '''platform {
  host gw { speed 1Gf/s; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  host node[1..2] { speed 1Gf/s; cores 4; ram 16GB; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  link l[1..2] { bandwidth 100MBps; latency 10us }
  route gw <-> node[i] via l[i]
}
storage repo on gw:"/"
serverless faas { head gw:"/"; compute node[*] }
image img { size 100MB; ram 100MB; from repo }
'''
f = "function f { image img; limits { ram 1GB }; body { sleep 1s } }\n"
mb = 1 << 20
inputs = {
    "braces_in_comments": "platform {\n  bogus {\n" + "    // a { brace\n" * 60000 + "  }\n}\n",
    "bad_lines": "x\n" * (mb // 2 - 10),
    "bad_statements_one_line": "platform { " + "x;" * (mb // 2 - 20) + " }\n",
    "errors_on_a_long_line": head + "function g { image img; body { " + "sleep 1; " * 110000 + "} }\n",
    "unknown_names": head + "".join(f"function f{i} {{ image img; limits {{ ram 1GB }}; body {{ sleep 1s }} }}\n" for i in range(8000))
        + "workload {\n" + "".join(f"invoke h{i} every 1s count 1\n" for i in range(8000)) + "}\n",
    "functions_1mb": head + "".join(f"function f{i} {{ image img; limits {{ ram 1GB }}; body {{ sleep 1s }} }}\n" for i in range(14000))
        + "workload { invoke f1 count 1 }\n",
    "hosts_99999_listed_twice": head.replace("node[1..2]", "node[1..99999]").replace("compute node[*]", "compute node[*], node[1..99999]") + f
        + "workload { invoke f count 1 }\n",
    "hosts_99999_routed": head.replace("node[1..2]", "node[1..99999]").replace("l[1..2]", "l[1..99999]") + f
        + "workload { invoke f count 1 }\n",
    "hosts_10m": head.replace("node[1..2]", "node[1..9999999]") + f + "workload { invoke f count 1 }\n",
    "sweep_1000x1000": "param a = 1\nparam b = 1\n" + head + f + "workload { invoke f count 1 }\nsweep a in 1..1000 x b in 1..1000\n",
    "burst_1e12": head + f + "workload { invoke f burst 1e12 }\n",
    "closed_1e12_users": head + f + "workload { invoke f closed 1e12 users for 1s }\n",
    "ramp_for_1e300s": head + f + "workload { invoke f ramp(1/s -> 1e12/s) over 1e12s for 1e300s }\n",
}
for name, text in inputs.items():
    assert len(text) <= mb, (name, len(text))
    open(f"{d}/{name}.sls", "w").write(text)
PY
printf '%-26s %9s %8s %9s %9s\n' input bytes 'best s' 'peak MB' stderr
for script in "$dir"/*.sls; do
  best=
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$dir/time" "$sls" check "$script" >/dev/null 2>"$dir/err" || true
    read -r wall kb < <(tail -1 "$dir/time")
    if [ -z "$best" ] || python3 -c "import sys; sys.exit(not $wall < $best)"; then best=$wall; fi
  done
  printf '%-26s %9d %8s %9.1f %9d\n' "$(basename "$script" .sls)" "$(wc -c <"$script")" "$best" \
    "$(python3 -c "print($kb / 1024)")" "$(wc -c <"$dir/err")"
done
