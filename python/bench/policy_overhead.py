"""What a policy written in Python costs per decision: the same run with a
built-in policy and with a Python object deciding the same thing, timed in
interleaved repetitions (the machine is noisy), the difference divided by
the decisions the Python object made.

    target/python-venv/bin/python python/bench/policy_overhead.py [INVOCATIONS] [REPEAT]

Keep-alive: `keep_alive fixed(10min)` against a Python `keep_alive(obs)`
returning 600 (the same run: `same counts` checks the starts agree).
Placement: `fcfs` against a Python `place(obs)` taking the first warm
node, else the first with a free slot (close to fcfs, not the same passes:
the counts may differ a little). A placement is asked for every waiting
invocation at every scheduling round (`fcfs` places most requests without
a round), so it makes several decisions per invocation.
"""

from __future__ import annotations

import statistics
import sys
import time

import sls

SCRIPT = """
param count = COUNT
platform {
  host gateway { speed 1Gf/s; cores 1; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node[1..4] { speed 1Gf/s; cores 8; ram 64GB; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  link l[1..4] { bandwidth 1GBps; latency 1us }
  route gateway <-> node[i] via l[i]
}
serverless faas {
  head gateway:"/"
  compute node[*]
  SCHEDULER
  KEEP
  container_startup 500ms
}
image img { size 10MB; ram 10MB }
function f[1..8] { image img; limits { time 60s; ram 100MB }; body { sleep uniform(1ms, 400ms) } }
workload {
  invoke f[k in 1..8] on faas poisson 10/s count count / 8
}
"""


class Keep:
    def __init__(self) -> None:
        self.decisions = 0

    def keep_alive(self, obs) -> float:
        self.decisions += 1
        return 600.0


class FirstFit:
    def __init__(self) -> None:
        self.decisions = 0

    def place(self, obs):
        self.decisions += 1
        for i, warm in enumerate(obs.warm):
            if warm:
                return i
        for i, free in enumerate(obs.free_slots):
            if free:
                return i
        return None


def timed(text: str, policies=None) -> tuple[float, dict]:
    program = sls.check(text, policies=policies)
    start = time.perf_counter()
    result = sls.run(program, interval=3600)
    return time.perf_counter() - start, result.summary


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    base = SCRIPT.replace("COUNT", str(count))
    cases = {
        "keep_alive": (
            base.replace("SCHEDULER", "scheduler fcfs").replace("KEEP", "keep_alive fixed(10min)"),
            base.replace("SCHEDULER", "scheduler fcfs").replace("KEEP", "keep_alive mine"),
            Keep,
        ),
        "placement": (
            base.replace("SCHEDULER", "scheduler fcfs").replace("KEEP", "idle_timeout 10min"),
            base.replace("SCHEDULER", "scheduler mine").replace("KEEP", "idle_timeout 10min"),
            FirstFit,
        ),
    }
    for kind, (builtin, mine, make) in cases.items():
        builtin_times, python_times, decisions = [], [], 0
        for _ in range(repeat):
            seconds, expected = timed(builtin)
            builtin_times.append(seconds)
            policy = make()
            seconds, got = timed(mine, {"mine": policy})
            python_times.append(seconds)
            decisions = policy.decisions
            same = {k: got[k] for k in ("invocations", "cold_starts", "warm_starts")} == {
                k: expected[k] for k in ("invocations", "cold_starts", "warm_starts")
            }
        b, p = statistics.median(builtin_times), statistics.median(python_times)
        print(
            f"{kind}: {expected['invocations']} invocations, {decisions} Python decisions; "
            f"built-in {b:.3f} s, Python {p:.3f} s (medians of {repeat}); "
            f"{(p - b) / decisions * 1e6:.2f} us per decision; same counts: {same}"
        )


if __name__ == "__main__":
    main()
