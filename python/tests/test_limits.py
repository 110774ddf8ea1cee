"""limits=: the command line's caps (`--max-...`) by their Python names, on
sls.check, sls.run and sls.sweep, each help naming the key that raises it."""

from __future__ import annotations

import concurrent.futures
import re

import pytest

import sls

PLATFORM = """platform {
  host gw { speed 1Gf/s; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  host n { speed 1Gf/s; cores 8; ram 8GB; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  link l { bandwidth 100MBps; latency 1ms }
  route gw <-> n via l
}
serverless faas { head gw:"/"; compute n }
image small { size 0B; ram 0B }
function f { image small; limits { ram 1GB }; body { sleep 1s } }
"""

#: 3000 arrivals a millisecond apart onto 8 slots of 1 s bodies: some 2,990
#: wait at once.
BACKLOG = PLATFORM + "workload { invoke f on faas every 1ms count 3000 }\n"

#: 5000 invocations sent at one instant.
BURST = PLATFORM + "workload { invoke f on faas at 1s burst 5000 }\n"


def flat(text: str) -> str:
    return " ".join(text.replace("│", " ").split())


def test_a_burst_over_the_cap_is_refused_with_the_key_that_raises_it() -> None:
    with pytest.raises(sls.DiagnosticError) as raised:
        sls.check(BURST, limits={"max_in_flight": 1000})
    error = raised.value
    assert error.code == "sls::over_limit"
    assert (error.line, error.column) == (10, 12)
    assert "may put 5000 invocations in flight at once" in error.message
    assert 'raise the limit with `limits={"max_in_flight": 5000}`' in error.help
    assert "--max-in-flight" not in error.rendered
    # As its help says: the burst is accepted, and runs whole.
    result = sls.run(BURST, limits={"max_in_flight": 5000})
    assert result.invocations.num_rows == 5000
    assert result.summary["succeeded"] == 5000


def test_each_cap_is_named_by_its_key() -> None:
    declared = PLATFORM + "workload { invoke f on faas every 1ms count 3000 }\n"
    with pytest.raises(sls.DiagnosticError) as raised:
        sls.check(declared, limits={"max_invocations": 2999})
    assert 'raise the limit with `limits={"max_invocations": 3000}`' in raised.value.help
    assert sls.check(declared, limits={"max_invocations": 3000}).repeat == 1
    with pytest.raises(sls.DiagnosticError) as raised:
        sls.check(PLATFORM + "workload { invoke f on faas at 1s }\n", limits={"max_hosts": 1})
    assert raised.value.code == "sls::over_limit"
    assert re.search(r'limits=\{"max_hosts": \d+\}', raised.value.help), raised.value.help
    swept = declared.replace("count 3000", "count 3") + "param x = 1\nsweep x in 1..20\n"
    with pytest.raises(sls.DiagnosticError) as raised:
        sls.check(swept, limits={"max_runs": 10})
    assert 'raise the limit with `limits={"max_runs": 20}`' in raised.value.help


def test_a_backlog_past_the_cap_stops_the_run_saying_which_key_raises_it() -> None:
    with pytest.raises(sls.DiagnosticError) as raised:
        sls.run(BACKLOG, limits={"max_in_flight": 1000})
    error = raised.value
    assert error.code == "sls::run::too_many_in_flight"
    assert "more than 1000 invocations were in flight at once" in error.message
    assert (error.line, error.column) == (7, 12)
    assert 'raise the bound with `limits={"max_in_flight": N}`' in flat(error.help)
    # The default cap holds the whole backlog: every arrival has its row.
    result = sls.run(BACKLOG)
    assert result.invocations.num_rows == 3000
    assert result.summary["invocations"] == 3000
    # A checked program keeps its caps for its runs.
    program = sls.check(BACKLOG, limits={"max_in_flight": 1000})
    with pytest.raises(sls.DiagnosticError, match="in flight"):
        sls.run(program)


# The sweep's parameter is read nowhere: its points differ by name only.
@pytest.mark.filterwarnings("ignore::sls.RunWarning")
def test_a_sweeps_runs_hold_its_caps_on_any_executor() -> None:
    script = "param x = 1\n" + BACKLOG
    with concurrent.futures.ThreadPoolExecutor(2) as threads:
        for executor in (None, threads):
            with pytest.raises(sls.DiagnosticError) as raised:
                sls.sweep(script, grid={"x": [1, 2]}, executor=executor, limits={"max_in_flight": 1000})
            assert raised.value.code == "sls::run::too_many_in_flight"
            assert 'limits={"max_in_flight": N}' in flat(raised.value.help)
    table = sls.sweep(script, grid={"x": [1, 2]}, limits={"max_in_flight": 3000})
    assert list(table["invocations"]) == [3000, 3000]


# The sweep's parameter is read nowhere: its points differ by name only.
@pytest.mark.filterwarnings("ignore::sls.RunWarning")
def test_a_grid_over_max_runs_is_refused_before_any_point_is_checked() -> None:
    script = PLATFORM + "param x = 1\nworkload { invoke f on faas at 1s }\n"
    with pytest.raises(ValueError, match=r'the sweep makes 6 runs or more .* `limits=\{"max_runs": 6\}`'):
        sls.sweep(script, grid={"x": range(6)}, limits={"max_runs": 5})
    # Points times repetitions count as the command line's do.
    with pytest.raises(ValueError, match=r'the sweep makes 6 runs'):
        sls.sweep(script, grid={"x": range(3)}, repeat=2, limits={"max_runs": 5})
    assert len(sls.sweep(script, grid={"x": range(3)}, repeat=2, limits={"max_runs": 6})) == 6


def test_limits_are_named_caps_of_whole_numbers() -> None:
    with pytest.raises(ValueError, match="limits has no `max_inflight`: its keys are max_runs, max_hosts, max_invocations, max_output, max_in_flight"):
        sls.check(BURST, limits={"max_inflight": 10})
    with pytest.raises(TypeError, match=r"limits\['max_in_flight'\] is a whole number, not float"):
        sls.check(BURST, limits={"max_in_flight": 2e7})
    with pytest.raises(ValueError, match="from 0 to 2\\*\\*64 - 1"):
        sls.check(BURST, limits={"max_in_flight": -1})
    with pytest.raises(TypeError, match="limits maps caps to numbers"):
        sls.check(BURST, limits=[("max_in_flight", 10)])
    program = sls.check(BURST)
    with pytest.raises(ValueError, match="give params, seed, policies and limits to sls.check"):
        sls.run(program, limits={"max_in_flight": 10})
